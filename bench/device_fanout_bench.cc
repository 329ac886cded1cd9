// device_fanout_bench: N devices subscribed to every waveform of one session
// of a real pedisim-controller on loopback, over gRPC (DeviceService.Connect)
// against plain gRPC streaming, or over the plain-TCP device transport
// against a bare Asio server, of the same message sizes and rate measured in
// the same run. Figures and how to run it: docs/performance.md.

#include <fmt/format.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "baseline_stream.grpc.pb.h"
#include "bench/asio_baseline.h"
#include "bench/baseline_process.h"
#include "bench/grpc_baseline.h"
#include "bench/load_common.h"
#include "controller_process.h"
#include "core/wall_clock.h"
#include "devices/network/device_client.h"

namespace pedisim::bench {
namespace {

using Nanos = int64_t;

enum class Transport { kGrpc, kTcp };

std::string TransportName(Transport transport) {
  return transport == Transport::kTcp ? "tcp" : "grpc";
}

Nanos ToNanos(Clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

Nanos ToNanos(const google::protobuf::Timestamp& timestamp) {
  return ToNanos(FromTimestamp(timestamp));
}

// The four waveform kinds, 1..4 in the proto; index 0 unused.
constexpr int kKinds = 5;

// One received waveform message: which chunk it was (the same for every
// device), when it was queued for this device, when it arrived.
struct Receipt {
  uint64_t chunk;
  Nanos queued;
  Nanos received;
};

// What one client thread saw, PediSim device or baseline client.
struct ClientRecord {
  std::vector<Receipt> receipts;  // inside the measurement window
  uint64_t messages = 0;          // waveform messages, whole run
  uint64_t other_messages = 0;    // numerics, events, snapshots, heartbeats
  uint64_t gaps = 0;
  uint64_t missing_samples = 0;
  std::array<double, kKinds> next_start_s{};
  std::array<bool, kKinds> seen{};
  // Serialized sizes per kind, kept for one device to size the baseline.
  std::array<std::vector<uint32_t>, kKinds> sizes;
  std::string ended;  // how the stream ended, if not OK
};

struct Window {
  std::atomic<Nanos> start{std::numeric_limits<Nanos>::max()};
  std::atomic<Nanos> end{std::numeric_limits<Nanos>::max()};
  bool Contains(Nanos time) const { return time >= start.load() && time <= end.load(); }
};

struct RunFigures {
  LatencySummary tick_to_receipt;   // from the first device's queued_at of that chunk
  LatencySummary queue_to_receipt;  // from this device's own queued_at
  uint64_t window_messages = 0;
  double window_s = 0;
  uint64_t messages = 0;
  uint64_t other_messages = 0;
  uint64_t gaps = 0;
  uint64_t missing_samples = 0;
  uint64_t dropped = 0;
  uint64_t ended_early = 0;
  double server_cpu_s = 0;
  double bench_cpu_s = 0;
};

// Latency from the tick: a chunk is queued for every device in turn by the
// session's thread, so the earliest queued_at of a chunk is (within a
// microsecond) when its engine step published it. The same for the baseline.
void Summarize(std::vector<ClientRecord>& records, RunFigures* figures) {
  std::unordered_map<uint64_t, Nanos> first_queued;
  for (const ClientRecord& record : records) {
    for (const Receipt& receipt : record.receipts) {
      auto [it, inserted] = first_queued.try_emplace(receipt.chunk, receipt.queued);
      if (!inserted && receipt.queued < it->second) it->second = receipt.queued;
    }
  }
  std::vector<float> from_tick;
  std::vector<float> from_queue;
  for (ClientRecord& record : records) {
    for (const Receipt& receipt : record.receipts) {
      from_tick.push_back(
          static_cast<float>((receipt.received - first_queued[receipt.chunk]) / 1e6));
      from_queue.push_back(static_cast<float>((receipt.received - receipt.queued) / 1e6));
    }
    figures->messages += record.messages;
    figures->other_messages += record.other_messages;
    figures->gaps += record.gaps;
    figures->missing_samples += record.missing_samples;
    if (!record.ended.empty()) ++figures->ended_early;
    std::vector<Receipt>().swap(record.receipts);
  }
  figures->window_messages = from_tick.size();
  figures->tick_to_receipt = bench::Summarize(from_tick);
  figures->queue_to_receipt = bench::Summarize(from_queue);
}

// ---------------------------------------------------------------- PediSim run

struct PediSimRun {
  RunFigures figures;
  std::array<std::vector<uint32_t>, kKinds> sizes;  // of device 0
  double steps_per_s = 0;
};

void ReadDevice(devices::DeviceClient& device, const Window& window, bool keep_sizes,
                ClientRecord* record) {
  v1::ControllerMessage message;
  while (device.Next(&message)) {
    const Nanos received = ToNanos(Clock::now());
    if (!message.has_update() || !message.update().has_waveform()) {
      ++record->other_messages;
      continue;
    }
    const v1::WaveformChunk& chunk = message.update().waveform();
    const int kind = chunk.kind();
    if (kind <= 0 || kind >= kKinds) continue;
    ++record->messages;
    // Continuity: each chunk starts where the previous one of its kind ended.
    const double period_s = 1 / chunk.sample_rate_hz();
    if (record->seen[kind] &&
        std::abs(chunk.start_sim_time_s() - record->next_start_s[kind]) > 0.5 * period_s) {
      ++record->gaps;
      record->missing_samples += static_cast<uint64_t>(std::max(
          0.0, std::round((chunk.start_sim_time_s() - record->next_start_s[kind]) / period_s)));
    }
    record->seen[kind] = true;
    record->next_start_s[kind] =
        chunk.start_sim_time_s() + static_cast<double>(chunk.samples_size()) * period_s;
    if (keep_sizes) record->sizes[kind].push_back(static_cast<uint32_t>(message.ByteSizeLong()));
    if (window.Contains(received)) {
      const uint64_t sample_index =
          static_cast<uint64_t>(std::llround(chunk.start_sim_time_s() * chunk.sample_rate_hz()));
      record->receipts.push_back({(sample_index << 3) | static_cast<uint64_t>(kind),
                                  ToNanos(message.queued_at()), received});
    }
  }
  const grpc::Status status = device.final_status();
  if (!status.ok()) record->ended = status.error_message();
}

PediSimRun RunPediSim(testing::ControllerProcess& controller, Transport transport,
                      const std::string& scenario, int device_count, double duration_s,
                      double warmup_s) {
  Sessions sessions(controller.channel());
  const v1::Session session = sessions.Create(scenario, 1.0, 1);

  fmt::print(stderr, "pedisim: connecting {} {} devices to session {}...\n", device_count,
             TransportName(transport), session.id());
  std::vector<std::unique_ptr<devices::DeviceClient>> clients;
  for (int i = 0; i < device_count; ++i) {
    const bool tcp = transport == Transport::kTcp;
    devices::DeviceClient::Options options = DeviceOptions(
        tcp ? devices::DeviceClient::Transport::kTcp : devices::DeviceClient::Transport::kGrpc,
        tcp ? fmt::format("127.0.0.1:{}", controller.device_tcp_port()) : controller.address(),
        session.id(), fmt::format("monitor-{}", i), "fan-out monitor", controller.admin_token());
    AskForAllWaveforms(&options.hello);
    clients.push_back(ConnectDevice(options));
  }

  Window window;
  std::vector<ClientRecord> records(device_count);
  std::vector<std::thread> readers;
  for (int i = 0; i < device_count; ++i) {
    readers.emplace_back(
        [&, i] { ReadDevice(*clients[i], window, /*keep_sizes=*/i == 0, &records[i]); });
  }

  const double cpu_before = ProcessCpuSeconds(controller.pid());
  const double bench_cpu_before = ProcessCpuSeconds(getpid());
  const Clock::time_point started = Clock::now();
  window.start = ToNanos(started + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(warmup_s)));
  const v1::Session running = sessions.Start(session.id());
  std::this_thread::sleep_for(std::chrono::duration<double>(duration_s));
  window.end = ToNanos(Clock::now());
  PediSimRun run;
  run.figures.server_cpu_s = ProcessCpuSeconds(controller.pid()) - cpu_before;
  run.figures.bench_cpu_s = ProcessCpuSeconds(getpid()) - bench_cpu_before;
  run.figures.window_s = (window.end - window.start) / 1e9;
  const v1::Session at_end = sessions.Get(session.id());
  run.steps_per_s = at_end.sim_time_s() / duration_s / 0.1;
  if (at_end.status() != v1::SESSION_STATUS_RUNNING) {
    fmt::print(stderr, "warning: the session is {} before the end of the run\n",
               v1::SessionStatus_Name(at_end.status()));
  }
  for (const v1::Device& device : at_end.devices()) {
    run.figures.dropped += device.waveform_chunks_dropped();
  }
  sessions.Stop(session.id());
  // The streams end after the final snapshot.
  for (std::thread& reader : readers) reader.join();
  clients.clear();
  run.sizes = records[0].sizes;
  Summarize(records, &run.figures);
  return run;
}

// ------------------------------------------------------------------ baseline

// Sizes of the frames the baseline sends, per kind, through a file.
void WriteSizes(const std::array<std::vector<uint32_t>, kKinds>& sizes, const std::string& path) {
  std::ofstream out(path);
  for (int kind = 1; kind < kKinds; ++kind) {
    for (uint32_t size : sizes[kind]) out << size << ' ';
    out << '\n';
  }
}

std::array<std::vector<uint32_t>, kKinds> ReadSizes(const std::string& path) {
  std::array<std::vector<uint32_t>, kKinds> sizes;
  std::ifstream in(path);
  std::string line;
  for (int kind = 1; kind < kKinds && std::getline(in, line); ++kind) {
    std::istringstream numbers(line);
    for (uint32_t size; numbers >> size;) sizes[kind].push_back(size);
  }
  return sizes;
}

// Waits for `clients` subscribers, sends `duration_s` of 10 Hz steps of
// frames of the recorded sizes, cycling through the record, on a fixed
// 100 ms schedule as the session's pacer keeps, then ends the streams.
// Prints the frames dropped and the CPU seconds of the steps, for the parent.
template <typename Server>
void TickBaseline(Server& server, const std::array<std::vector<uint32_t>, kKinds>& sizes,
                  int clients, double duration_s) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (server.clients() < static_cast<size_t>(clients) &&
         std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const auto anchor = std::chrono::steady_clock::now();
  // CPU over the steps only, as the PediSim run measures the controller's
  // from Start to the end of its duration.
  const double cpu_before = ProcessCpuSeconds(getpid());
  const int steps = static_cast<int>(std::llround(duration_s * 10));
  std::vector<BaselineFrame> frames;
  for (int step = 1; step <= steps; ++step) {
    std::this_thread::sleep_until(anchor + std::chrono::milliseconds(100) * step);
    frames.clear();
    for (int kind = 1; kind < kKinds; ++kind) {
      if (sizes[kind].empty()) continue;
      const uint32_t size = sizes[kind][static_cast<size_t>(step) % sizes[kind].size()];
      frames.push_back(SizedFrame((static_cast<uint64_t>(step) << 3) | kind, size));
    }
    server.Broadcast(frames);
  }
  const double cpu_s = ProcessCpuSeconds(getpid()) - cpu_before;
  const uint64_t dropped = server.CloseAll();
  fmt::print("{} {}\n", dropped, cpu_s);
}

// The baseline server process (`device_fanout_bench --baseline-server`,
// started by RunBaseline): plain gRPC streaming, or bare Asio for the TCP
// transport.
int ServeBaseline(Transport transport, const std::string& sizes_file, const std::string& port_file,
                  int clients, double duration_s) {
  const std::array<std::vector<uint32_t>, kKinds> sizes = ReadSizes(sizes_file);
  if (transport == Transport::kTcp) {
    AsioBaselineServer server;
    WritePortFile(port_file, server.port());
    TickBaseline(server, sizes, clients, duration_s);
    return 0;
  }
  BaselineServer server;
  WritePortFile(port_file, server.port);
  TickBaseline(server.service, sizes, clients, duration_s);
  server.server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return 0;
}

// What a baseline client does with each frame: the same bookkeeping as a
// device's, for the steps after the warm-up.
void RecordBaselineFrame(const BaselineFrame& frame, Nanos received, uint64_t first_step,
                         ClientRecord* record) {
  ++record->messages;
  uint64_t chunk = 0;
  if (FrameKey(frame, &chunk) && (chunk >> 3) >= first_step) {
    record->receipts.push_back({chunk, ToNanos(frame.queued_at()), received});
  }
}

void ReadGrpcBaseline(const std::string& address, int client, uint64_t first_step,
                      ClientRecord* record) {
  // A channel per client, as each DeviceClient makes its own.
  auto channel = grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  auto stub = BaselineStream::NewStub(channel);
  grpc::ClientContext context;
  BaselineRequest request;
  request.set_client(static_cast<uint32_t>(client));
  auto reader = stub->Subscribe(&context, request);
  BaselineFrame frame;
  while (reader->Read(&frame))
    RecordBaselineFrame(frame, ToNanos(Clock::now()), first_step, record);
  const grpc::Status status = reader->Finish();
  if (!status.ok()) record->ended = status.error_message();
}

void ReadAsioBaseline(int port, uint64_t first_step, ClientRecord* record) {
  try {
    AsioBaselineClient client("127.0.0.1", port);
    BaselineFrame frame;
    while (client.Read(&frame, &record->ended)) {
      RecordBaselineFrame(frame, ToNanos(Clock::now()), first_step, record);
    }
  } catch (const std::exception& error) {
    record->ended = error.what();
  }
}

RunFigures RunBaseline(Transport transport, const std::array<std::vector<uint32_t>, kKinds>& sizes,
                       int client_count, double duration_s, double warmup_s) {
  testing::TempDir folder;
  const std::string sizes_file = (folder.path() / "sizes").string();
  WriteSizes(sizes, sizes_file);
  BaselineProcess server({"--baseline-server", "--transport", TransportName(transport),
                          "--sizes-file", sizes_file, "--devices", std::to_string(client_count),
                          "--duration", std::to_string(duration_s)});

  fmt::print(stderr, "baseline: connecting {} {} clients...\n", client_count,
             transport == Transport::kTcp ? "bare Asio" : "plain gRPC");
  // Steps before the warm-up's end are left out, as the PediSim run leaves
  // out what arrives before it.
  const uint64_t first_step = static_cast<uint64_t>(std::llround(warmup_s * 10)) + 1;
  std::vector<ClientRecord> records(client_count);
  std::vector<std::thread> readers;
  const std::string address = fmt::format("127.0.0.1:{}", server.port());
  for (int i = 0; i < client_count; ++i) {
    readers.emplace_back([&, i] {
      if (transport == Transport::kTcp) {
        ReadAsioBaseline(server.port(), first_step, &records[i]);
      } else {
        ReadGrpcBaseline(address, i, first_step, &records[i]);
      }
    });
  }
  const double bench_cpu_before = ProcessCpuSeconds(getpid());
  for (std::thread& reader : readers) reader.join();
  RunFigures figures;
  figures.bench_cpu_s = ProcessCpuSeconds(getpid()) - bench_cpu_before;
  std::istringstream(server.Wait()) >> figures.dropped >> figures.server_cpu_s;
  figures.window_s = duration_s - static_cast<double>(first_step - 1) / 10;
  Summarize(records, &figures);
  return figures;
}

// ------------------------------------------------------------------- report

JsonObject RunJson(const RunFigures& figures, int clients) {
  JsonObject json;
  json.Add("tick_to_receipt", figures.tick_to_receipt)
      .Add("queue_to_receipt", figures.queue_to_receipt)
      .Add("waveform_messages", figures.messages)
      .Add("messages_per_s", figures.window_messages / std::max(figures.window_s, 1e-9))
      .Add("messages_per_s_per_client",
           figures.window_messages / std::max(figures.window_s, 1e-9) / std::max(clients, 1))
      .Add("other_messages", figures.other_messages)
      .Add("dropped_chunks", figures.dropped)
      .Add("gaps", figures.gaps)
      .Add("missing_samples", figures.missing_samples)
      .Add("streams_ended_early", figures.ended_early)
      .Add("server_cpu_s", figures.server_cpu_s)
      .Add("bench_cpu_s", figures.bench_cpu_s);
  return json;
}

double Ratio(double a, double b) { return b > 0 ? a / b : std::nan(""); }

// The rows of `./pedisim bench`'s table. CPU per device: the server's CPU
// milliseconds per wall second of streaming, divided by the devices it
// streams to (1 ms/s = a thousandth of a core).
std::vector<Figure> FanoutFigures(Transport transport, const RunFigures& pedisim,
                                  const RunFigures& baseline, int devices, double duration_s,
                                  bool skip_baseline) {
  const bool tcp = transport == Transport::kTcp;
  const std::string what = fmt::format("waveforms to {} {} devices", devices, tcp ? "TCP" : "gRPC");
  const std::string baseline_name =
      skip_baseline ? ""
                    : (tcp ? "bare Asio server, same frames" : "bare gRPC streaming, same bytes");
  const auto cpu_per_device = [&](const RunFigures& run) {
    return run.server_cpu_s * 1000 / duration_s / std::max(devices, 1);
  };
  return {
      {what + ": p50 tick to receipt", pedisim.tick_to_receipt.p50_ms, "ms",
       baseline.tick_to_receipt.p50_ms, baseline_name},
      {what + ": p99 tick to receipt", pedisim.tick_to_receipt.p99_ms, "ms",
       baseline.tick_to_receipt.p99_ms, baseline_name},
      {what + ": server CPU per device", cpu_per_device(pedisim), "CPU ms/s",
       cpu_per_device(baseline), baseline_name},
  };
}

}  // namespace
}  // namespace pedisim::bench

int main(int argc, char** argv) {
  using namespace pedisim::bench;
  CLI::App app{
      "Device fan-out: N devices on every waveform of one session, over gRPC against plain "
      "gRPC streaming or over TCP against bare Asio, of the same message sizes and rate "
      "(docs/performance.md)."};
  int devices = 200;
  double duration_s = 20;
  double warmup_s = 2;
  bool quick = false;
  bool skip_baseline = false;
  std::string scenario = "infant-svt";
  std::string scenarios_dir = PEDISIM_SCENARIO_LIBRARY_DIR;
  std::string json_path;
  Transport transport = Transport::kGrpc;
  app.add_option("--transport", transport, "Device transport: grpc or tcp")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, Transport>{{"grpc", Transport::kGrpc}, {"tcp", Transport::kTcp}}));
  app.add_option("--devices", devices, "Number of devices (and baseline clients)")
      ->check(CLI::Range(1, 5000));
  app.add_option("--duration", duration_s, "Wall seconds each run lasts")
      ->check(CLI::Range(0.5, 3600.0));
  app.add_option("--warmup", warmup_s, "Seconds at the start of each run left out of latencies")
      ->check(CLI::Range(0.0, 600.0));
  app.add_flag("--quick", quick, "A short run: 5 s, 1 s of warm-up");
  app.add_flag("--no-baseline", skip_baseline, "Only the PediSim run");
  app.add_option("--scenario", scenario, "Scenario id of the session");
  app.add_option("--scenarios-dir", scenarios_dir, "Scenario folder the controller serves");
  app.add_option("--json", json_path, "Also write the figures as JSON to this file ('-': stdout)");
  // Internal: the baseline server process that RunBaseline starts.
  bool baseline_server = false;
  std::string sizes_file;
  std::string port_file;
  app.add_flag("--baseline-server", baseline_server)->group("");
  app.add_option("--sizes-file", sizes_file)->group("");
  app.add_option("--port-file", port_file)->group("");
  CLI11_PARSE(app, argc, argv);
  if (baseline_server) {
    return ServeBaseline(transport, sizes_file, port_file, devices, duration_s);
  }
  if (quick) {
    duration_s = std::min(duration_s, 5.0);
    warmup_s = std::min(warmup_s, 1.0);
  }
  if (warmup_s >= duration_s) warmup_s = duration_s / 4;

  try {
    const uint64_t file_limit = RaiseFileLimit();
    // All devices join one session: room for however many are asked for.
    pedisim::testing::ControllerProcess controller(
        scenarios_dir, {"--max-devices-per-session", std::to_string(std::max(devices, 1024))});
    const PediSimRun pedisim =
        RunPediSim(controller, transport, scenario, devices, duration_s, warmup_s);
    RunFigures baseline;
    if (!skip_baseline) {
      baseline = RunBaseline(transport, pedisim.sizes, devices, duration_s, warmup_s);
    }

    std::array<double, kKinds> mean_size{};
    for (int kind = 1; kind < kKinds; ++kind) {
      double sum = 0;
      for (uint32_t size : pedisim.sizes[kind]) sum += size;
      mean_size[kind] = pedisim.sizes[kind].empty() ? 0 : sum / pedisim.sizes[kind].size();
    }
    const double ratio_p50 =
        Ratio(pedisim.figures.tick_to_receipt.p50_ms, baseline.tick_to_receipt.p50_ms);
    const double ratio_p99 =
        Ratio(pedisim.figures.tick_to_receipt.p99_ms, baseline.tick_to_receipt.p99_ms);

    const auto row = [](const char* name, const RunFigures& f) {
      fmt::print("{:<10} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f} {:>9.2f} {:>10.0f} {:>8} {:>6}\n",
                 name, f.tick_to_receipt.p50_ms, f.tick_to_receipt.p90_ms, f.tick_to_receipt.p99_ms,
                 f.tick_to_receipt.max_ms, f.queue_to_receipt.p99_ms,
                 f.window_messages / std::max(f.window_s, 1e-9), f.dropped, f.gaps);
    };
    fmt::print(
        "device fan-out: {} {} devices, all 4 waveforms, scenario {}, speed 1x, {} s "
        "({} s warm-up), {}; fd limit {}\n",
        devices, TransportName(transport), scenario, duration_s, warmup_s, MachineDescription(),
        file_limit);
    fmt::print(
        "message sizes (bytes, mean): ECG {:.0f}, pleth {:.0f}, capnogram {:.0f}, "
        "respiration {:.0f}; engine steps/s {:.2f}\n",
        mean_size[1], mean_size[2], mean_size[3], mean_size[4], pedisim.steps_per_s);
    fmt::print("{:<10} {:>8} {:>8} {:>8} {:>8} {:>9} {:>10} {:>8} {:>6}\n", "run", "p50 ms",
               "p90 ms", "p99 ms", "max ms", "q-p99 ms", "msgs/s", "dropped", "gaps");
    row("pedisim", pedisim.figures);
    if (!skip_baseline) row("baseline", baseline);
    fmt::print(
        "ratio pedisim/baseline: p50 {:.2f}, p99 {:.2f} (targets: p99 < 20 ms, ratio <= "
        "1.5)\n",
        ratio_p50, ratio_p99);
    fmt::print(
        "CPU seconds: controller {:.1f}, devices {:.1f} (pedisim run); server {:.1f}, "
        "clients {:.1f} (baseline)\n",
        pedisim.figures.server_cpu_s, pedisim.figures.bench_cpu_s, baseline.server_cpu_s,
        baseline.bench_cpu_s);
    if (pedisim.figures.ended_early > 0) {
      fmt::print("{} device streams ended with an error\n", pedisim.figures.ended_early);
    }

    if (!json_path.empty()) {
      JsonObject json;
      JsonObject sizes;
      sizes.Add("ecg", mean_size[1])
          .Add("pleth", mean_size[2])
          .Add("capnogram", mean_size[3])
          .Add("respiration", mean_size[4]);
      JsonObject pedisim_json = RunJson(pedisim.figures, devices);
      pedisim_json.Add("engine_steps_per_s", pedisim.steps_per_s);
      json.Add("tool", "device_fanout_bench")
          .Add("transport", TransportName(transport))
          .Add("devices", devices)
          .Add("duration_s", duration_s)
          .Add("warmup_s", warmup_s)
          .Add("scenario", scenario)
          .Add("machine", MachineDescription())
          .Add("message_bytes", sizes)
          .Add("pedisim", pedisim_json);
      if (!skip_baseline) {
        json.Add("baseline", RunJson(baseline, devices))
            .Add("ratio_p50", ratio_p50)
            .Add("ratio_p99", ratio_p99);
      }
      json.Add("figures", FiguresJson(FanoutFigures(transport, pedisim.figures, baseline, devices,
                                                    duration_s, skip_baseline)));
      json.WriteTo(json_path);
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "device_fanout_bench: {}\n", error.what());
    return 1;
  }
  return 0;
}
