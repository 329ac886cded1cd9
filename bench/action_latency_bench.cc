// action_latency_bench: how long an instructor's change takes to reach a
// device. A real pedisim-controller on loopback runs one session at 1x with
// one device joined over gRPC (DeviceService.Connect, numerics only). The
// tool calls SessionService.OverrideVitals with a new heart rate at random
// intervals and times each from the call to the numerics sample carrying that
// value arriving on the device's stream (OverrideVitals publishes the numerics
// before it answers). Baseline, same run: a plain gRPC server in a process of
// its own whose unary call pushes a frame onto a server stream, the request
// and the frame padded to the sizes of PediSim's. Figures:
// docs/BENCHMARKS.md.

#include <fmt/format.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "baseline_stream.grpc.pb.h"
#include "bench/arrival.h"
#include "bench/baseline_process.h"
#include "bench/grpc_baseline.h"
#include "bench/load_common.h"
#include "bench/poke_baseline_client.h"
#include "controller_process.h"

namespace pedisim::bench {
namespace {

struct Plan {
  int actions = 500;
  int warmup = 10;                                // first calls left out (connections, caches)
  std::vector<std::chrono::microseconds> pauses;  // before each call, the same in both runs
};

struct Run {
  std::vector<float> latencies_ms;  // call to arrival on the stream
  std::vector<float> reply_ms;      // call to the unary answer
  std::vector<uint32_t> request_bytes;
  std::vector<uint32_t> frame_bytes;
  uint64_t missed = 0;
  double server_cpu_s = 0;
};

// The value of call `i`: consecutive calls differ, so a numerics sample
// still holding the previous one is never taken for this one.
int HeartRate(int i) { return 100 + i % 80; }

// Times one call: `call` makes it; `arrival` says when its value arrived.
void TimeCall(int i, const Plan& plan, Arrival& arrival, uint64_t key,
              const std::function<void()>& call, Run* run) {
  std::this_thread::sleep_for(plan.pauses[static_cast<size_t>(i)]);
  arrival.Expect(key);
  const Clock::time_point called = Clock::now();
  call();
  const Clock::time_point answered = Clock::now();
  size_t bytes = 0;
  const std::optional<Clock::time_point> received = arrival.Wait(std::chrono::seconds(5), &bytes);
  if (!received) {
    ++run->missed;
    return;
  }
  run->frame_bytes.push_back(static_cast<uint32_t>(bytes));
  if (i < plan.warmup) return;
  run->latencies_ms.push_back(std::chrono::duration<float, std::milli>(*received - called).count());
  run->reply_ms.push_back(std::chrono::duration<float, std::milli>(answered - called).count());
}

Run RunPediSim(testing::ControllerProcess& controller, const std::string& scenario,
               const Plan& plan) {
  Sessions sessions(controller.channel());
  const v1::Session session = sessions.Create(scenario, 1.0, 1);
  std::unique_ptr<devices::DeviceClient> device = ConnectDevice(
      DeviceOptions(devices::DeviceClient::Transport::kGrpc, controller.address(), session.id(),
                    "monitor", "latency monitor", controller.admin_token()));
  Arrival arrival;
  std::thread reader([&] {
    v1::ControllerMessage message;
    while (device->Next(&message)) {
      if (!message.has_update() || !message.update().has_vitals()) continue;
      const v1::Vitals& vitals = message.update().vitals().vitals();
      if (vitals.has_heart_rate_bpm()) {
        arrival.Offer(static_cast<uint64_t>(std::llround(vitals.heart_rate_bpm())),
                      message.ByteSizeLong());
      }
    }
  });
  sessions.Start(session.id());
  const double cpu_before = ProcessCpuSeconds(controller.pid());
  Run run;
  for (int i = 0; i < plan.actions; ++i) {
    v1::OverrideVitalsRequest request;
    request.set_session_id(session.id());
    request.mutable_vitals()->set_heart_rate_bpm(HeartRate(i));
    request.set_reason("benchmark");
    run.request_bytes.push_back(static_cast<uint32_t>(request.ByteSizeLong()));
    TimeCall(
        i, plan, arrival, static_cast<uint64_t>(HeartRate(i)),
        [&] { sessions.OverrideVitals(request); }, &run);
  }
  run.server_cpu_s = ProcessCpuSeconds(controller.pid()) - cpu_before;
  sessions.Stop(session.id());
  reader.join();
  return run;
}

// The baseline server process (`action_latency_bench --baseline-server`):
// serves until it has answered `pokes` timed pokes (key > 0), then prints
// its CPU seconds.
int ServeBaseline(const std::string& port_file, int pokes) {
  BaselineServer server;
  WritePortFile(port_file, server.port);
  const double cpu_before = ProcessCpuSeconds(getpid());
  server.service.AwaitPokes(static_cast<uint64_t>(pokes));
  const double cpu_s = ProcessCpuSeconds(getpid()) - cpu_before;
  server.service.CloseAll();
  server.server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  fmt::print("{}\n", cpu_s);
  return 0;
}

// The same calls against plain gRPC: request i padded to PediSim's request
// i, the frame pushed in answer to the size of the message that carried
// PediSim's value i.
Run RunBaseline(const Run& pedisim, const Plan& plan) {
  BaselineProcess server({"--baseline-server", "--actions", std::to_string(plan.actions)});
  const std::string address = fmt::format("127.0.0.1:{}", server.port());
  Run run;
  {
    PokeBaselineClient client(address);
    for (int i = 0; i < plan.actions; ++i) {
      const BaselinePoke poke = PokeBaselineClient::MakePoke(
          static_cast<uint64_t>(i) + 1, PokeBaselineClient::SizeAt(pedisim.request_bytes, i),
          PokeBaselineClient::SizeAt(pedisim.frame_bytes, i));
      run.request_bytes.push_back(static_cast<uint32_t>(poke.ByteSizeLong()));
      TimeCall(
          i, plan, client.arrival(), poke.key(), [&] { client.Send(poke); }, &run);
    }
  }
  std::istringstream(server.Wait()) >> run.server_cpu_s;
  return run;
}

}  // namespace
}  // namespace pedisim::bench

int main(int argc, char** argv) {
  using namespace pedisim::bench;
  CLI::App app{
      "Instructor action to device: OverrideVitals to the new value on a gRPC device's stream, "
      "against a plain gRPC unary call answered on a stream, same sizes (docs/BENCHMARKS.md)."};
  Plan plan;
  int min_pause_ms = 20;
  int max_pause_ms = 80;
  std::string scenario = "infant-svt";
  std::string scenarios_dir = PEDISIM_SCENARIO_LIBRARY_DIR;
  std::string json_path;
  app.add_option("--actions", plan.actions, "Calls in each run")->check(CLI::Range(2, 100000));
  app.add_option("--warmup", plan.warmup, "First calls left out of the figures")
      ->check(CLI::Range(0, 1000));
  app.add_option("--min-pause-ms", min_pause_ms, "Shortest pause before a call")
      ->check(CLI::Range(0, 10000));
  app.add_option("--max-pause-ms", max_pause_ms, "Longest pause before a call")
      ->check(CLI::Range(0, 10000));
  app.add_option("--scenario", scenario, "Scenario id of the session");
  app.add_option("--scenarios-dir", scenarios_dir, "Scenario folder the controller serves");
  app.add_option("--json", json_path, "Also write the figures as JSON to this file ('-': stdout)");
  bool baseline_server = false;
  std::string port_file;
  app.add_flag("--baseline-server", baseline_server)->group("");
  app.add_option("--port-file", port_file)->group("");
  CLI11_PARSE(app, argc, argv);
  if (baseline_server) return ServeBaseline(port_file, plan.actions);
  plan.warmup = std::min(plan.warmup, plan.actions - 1);
  max_pause_ms = std::max(max_pause_ms, min_pause_ms);

  // Random pauses, so that calls fall anywhere in the session's 100 ms step;
  // the same ones in both runs.
  std::mt19937 random(2026);
  std::uniform_int_distribution<int> pause_us(min_pause_ms * 1000, max_pause_ms * 1000);
  for (int i = 0; i < plan.actions; ++i) plan.pauses.emplace_back(pause_us(random));

  try {
    Run pedisim;
    {
      pedisim::testing::ControllerProcess controller(scenarios_dir);
      pedisim = RunPediSim(controller, scenario, plan);
    }
    Run baseline = RunBaseline(pedisim, plan);
    const LatencySummary pedisim_latency = Summarize(pedisim.latencies_ms);
    const LatencySummary baseline_latency = Summarize(baseline.latencies_ms);
    const LatencySummary pedisim_reply = Summarize(pedisim.reply_ms);
    const LatencySummary baseline_reply = Summarize(baseline.reply_ms);

    fmt::print(
        "instructor action to device: {} OverrideVitals calls ({} warm-up) on a session of {} "
        "at 1x, one gRPC device; {}\n",
        plan.actions, plan.warmup, scenario, MachineDescription());
    fmt::print("sizes (bytes, mean): request {:.0f}, message on the stream {:.0f}\n",
               PokeBaselineClient::MeanSize(pedisim.request_bytes),
               PokeBaselineClient::MeanSize(pedisim.frame_bytes));
    fmt::print("{:<10} {:>8} {:>8} {:>8} {:>8} {:>12} {:>7}\n", "run", "p50 ms", "p90 ms", "p99 ms",
               "max ms", "reply p50", "missed");
    const auto row = [](const char* name, const LatencySummary& latency,
                        const LatencySummary& reply, uint64_t missed) {
      fmt::print("{:<10} {:>8.2f} {:>8.2f} {:>8.2f} {:>8.2f} {:>12.2f} {:>7}\n", name,
                 latency.p50_ms, latency.p90_ms, latency.p99_ms, latency.max_ms, reply.p50_ms,
                 missed);
    };
    row("pedisim", pedisim_latency, pedisim_reply, pedisim.missed);
    row("baseline", baseline_latency, baseline_reply, baseline.missed);

    if (!json_path.empty()) {
      const auto run_json = [](const LatencySummary& latency, const LatencySummary& reply,
                               const Run& run) {
        JsonObject json;
        json.Add("call_to_device", latency)
            .Add("call_to_reply", reply)
            .Add("missed", run.missed)
            .Add("server_cpu_s", run.server_cpu_s);
        return json;
      };
      const std::string baseline_name = "bare gRPC unary + stream, same sizes";
      JsonObject json;
      json.Add("tool", "action_latency_bench")
          .Add("actions", plan.actions)
          .Add("warmup", plan.warmup)
          .Add("scenario", scenario)
          .Add("machine", MachineDescription())
          .Add("request_bytes", PokeBaselineClient::MeanSize(pedisim.request_bytes))
          .Add("message_bytes", PokeBaselineClient::MeanSize(pedisim.frame_bytes))
          .Add("pedisim", run_json(pedisim_latency, pedisim_reply, pedisim))
          .Add("baseline", run_json(baseline_latency, baseline_reply, baseline))
          .Add("figures",
               FiguresJson({
                   {"OverrideVitals to the value on a gRPC device: p50", pedisim_latency.p50_ms,
                    "ms", baseline_latency.p50_ms, baseline_name},
                   {"OverrideVitals to the value on a gRPC device: p99", pedisim_latency.p99_ms,
                    "ms", baseline_latency.p99_ms, baseline_name},
               }));
      json.WriteTo(json_path);
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "action_latency_bench: {}\n", error.what());
    return 1;
  }
  return 0;
}
