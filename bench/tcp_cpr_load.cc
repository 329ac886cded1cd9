// tcp_cpr_load: N devices on the plain-TCP transport joined to one session
// of a real pedisim-controller on loopback, each receiving numerics (no
// waveforms) while sending 60 Hz chest-compression samples. Checks that no
// numerics sample is missed and that every sample sent became a
// LEARNER_ACTION event. Figures and how to run it: docs/performance.md.

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <thread>

#include "bench/load_common.h"
#include "controller_process.h"
#include "devices/network/device_client.h"

namespace pedisim::bench {
namespace {

// What one device saw.
struct DeviceRecord {
  std::vector<float> numerics_latency_ms;
  std::vector<double> numerics_sim_times;  // in arrival order
  uint64_t events = 0;
  uint64_t other_messages = 0;
  uint64_t sent = 0;
  bool send_failed = false;
  std::string ended;  // how the link ended, if not OK
};

struct Figures {
  LatencySummary numerics;
  uint64_t numerics_samples = 0;
  uint64_t numerics_missing = 0;  // sim-time gaps of more than one second
  uint64_t devices_with_gaps = 0;
  double numerics_max_interval_s = 0;  // simulated, between consecutive samples
  double numerics_per_device_per_sim_s = 0;
  uint64_t sent = 0;
  uint64_t recorded = 0;
  uint64_t lost = 0;
  uint64_t devices_with_loss = 0;
  uint64_t links_ended_early = 0;
  uint64_t send_failures = 0;
  uint64_t events_received = 0;
  double sim_time_s = 0;
  double wall_time_s = 0;  // from Start's reply to Stop's
  double controller_cpu_s = 0;
  std::string first_end_reason;
};

void ReadDevice(devices::DeviceClient& device, DeviceRecord* record) {
  v1::ControllerMessage message;
  while (device.Next(&message)) {
    const Clock::time_point received = Clock::now();
    if (message.has_update() && message.update().has_vitals()) {
      record->numerics_sim_times.push_back(message.update().vitals().sim_time_s());
      record->numerics_latency_ms.push_back(
          static_cast<float>(LatencyMs(message.queued_at(), received)));
    } else if (message.has_update() && message.update().has_event()) {
      ++record->events;
    } else {
      ++record->other_messages;
    }
  }
  const grpc::Status status = device.final_status();
  if (!status.ok()) record->ended = status.error_message();
}

// Each sender thread serves a slice of the devices at `rate_hz`, on a fixed
// schedule (a late tick is caught up, never skipped: every sample counts).
void SendCompressions(std::vector<std::unique_ptr<devices::DeviceClient>>& clients,
                      std::vector<DeviceRecord>& records, size_t first, size_t last, double rate_hz,
                      const std::atomic<bool>& stop) {
  v1::LearnerAction action;
  action.set_kind(v1::ACTION_KIND_CHEST_COMPRESSION);
  v1::CompressionSample& sample = *action.mutable_compression();
  sample.set_depth_mm(52);
  sample.set_rate_per_min(110);
  sample.set_full_recoil(true);
  const auto period = std::chrono::duration<double>(1 / rate_hz);
  const auto anchor = std::chrono::steady_clock::now();
  for (uint64_t tick = 1; !stop.load(); ++tick) {
    std::this_thread::sleep_until(
        anchor + std::chrono::duration_cast<std::chrono::steady_clock::duration>(period * tick));
    if (stop.load()) break;
    for (size_t i = first; i < last; ++i) {
      if (records[i].send_failed) continue;
      if (clients[i]->SendObservation(action)) {
        ++records[i].sent;
      } else {
        records[i].send_failed = true;
      }
    }
  }
}

Figures Run(testing::ControllerProcess& controller, const std::string& scenario, int device_count,
            double duration_s, double rate_hz, int sender_threads, double settle_s) {
  Sessions sessions(controller.channel());
  const v1::Session session = sessions.Create(scenario, 1.0, 1);
  const std::string address = fmt::format("127.0.0.1:{}", controller.device_tcp_port());

  fmt::print(stderr, "connecting {} TCP devices to session {}...\n", device_count, session.id());
  std::vector<std::unique_ptr<devices::DeviceClient>> clients;
  for (int i = 0; i < device_count; ++i) {
    devices::DeviceClient::Options options =
        DeviceOptions(devices::DeviceClient::Transport::kTcp, address, session.id(),
                      fmt::format("manikin-{}", i), "CPR load manikin", controller.admin_token());
    options.hello.mutable_capabilities()->add_senses_actions("ACTION_KIND_CHEST_COMPRESSION");
    clients.push_back(ConnectDevice(options));
  }

  std::vector<DeviceRecord> records(device_count);
  std::vector<std::thread> readers;
  for (int i = 0; i < device_count; ++i) {
    readers.emplace_back([&, i] { ReadDevice(*clients[i], &records[i]); });
  }

  const double cpu_before = ProcessCpuSeconds(controller.pid());
  sessions.Start(session.id());
  const auto started = std::chrono::steady_clock::now();
  std::atomic<bool> stop = false;
  std::vector<std::thread> senders;
  const int threads = std::clamp(sender_threads, 1, device_count);
  for (int t = 0; t < threads; ++t) {
    const size_t first = static_cast<size_t>(device_count) * t / threads;
    const size_t last = static_cast<size_t>(device_count) * (t + 1) / threads;
    senders.emplace_back(
        [&, first, last] { SendCompressions(clients, records, first, last, rate_hz, stop); });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(duration_s));
  stop = true;
  for (std::thread& sender : senders) sender.join();
  // The session takes what devices sent at its next engine step: give the
  // last samples a few steps to arrive before stopping.
  std::this_thread::sleep_for(std::chrono::duration<double>(settle_s));
  Figures figures;
  figures.controller_cpu_s = ProcessCpuSeconds(controller.pid()) - cpu_before;
  const v1::Session stopped = sessions.Stop(session.id());
  figures.sim_time_s = stopped.sim_time_s();
  figures.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  fmt::print(stderr, "stopped at {:.1f} s of simulated time; waiting for the links to end...\n",
             stopped.sim_time_s());
  for (std::thread& reader : readers) reader.join();
  clients.clear();

  std::map<std::string, uint64_t> recorded;
  for (const v1::Event& event : sessions.Events(session.id())) {
    if (event.kind() == v1::EVENT_KIND_LEARNER_ACTION &&
        event.action().kind() == v1::ACTION_KIND_CHEST_COMPRESSION) {
      ++recorded[event.source()];
    }
  }

  std::vector<float> latencies;
  for (int i = 0; i < device_count; ++i) {
    DeviceRecord& record = records[i];
    latencies.insert(latencies.end(), record.numerics_latency_ms.begin(),
                     record.numerics_latency_ms.end());
    figures.numerics_samples += record.numerics_sim_times.size();
    // Numerics come every simulated second: consecutive samples 1 s apart
    // (the one published at Start, at 0 s, and the final one at Stop may be
    // closer).
    uint64_t missing = 0;
    for (size_t k = 1; k < record.numerics_sim_times.size(); ++k) {
      const double step = record.numerics_sim_times[k] - record.numerics_sim_times[k - 1];
      figures.numerics_max_interval_s = std::max(figures.numerics_max_interval_s, step);
      if (step > 1.05) missing += static_cast<uint64_t>(std::llround(step) - 1);
    }
    // A link that ended early missed everything after it ended.
    if (!record.numerics_sim_times.empty()) {
      const double last = record.numerics_sim_times.back();
      if (figures.sim_time_s - last > 1.05) {
        missing += static_cast<uint64_t>(std::floor(figures.sim_time_s - last));
      }
    } else {
      missing += static_cast<uint64_t>(std::floor(figures.sim_time_s));
    }
    figures.numerics_missing += missing;
    if (missing > 0) ++figures.devices_with_gaps;
    const uint64_t got = recorded[fmt::format("manikin-{}", i)];
    figures.sent += record.sent;
    figures.recorded += got;
    if (got != record.sent) ++figures.devices_with_loss;
    figures.lost += record.sent > got ? record.sent - got : 0;
    figures.events_received += record.events;
    if (record.send_failed) ++figures.send_failures;
    if (!record.ended.empty()) {
      ++figures.links_ended_early;
      if (figures.first_end_reason.empty()) {
        figures.first_end_reason = fmt::format("manikin-{}: {}", i, record.ended);
      }
    }
  }
  figures.numerics = Summarize(latencies);
  figures.numerics_per_device_per_sim_s = figures.numerics_samples /
                                          static_cast<double>(device_count) /
                                          std::max(figures.sim_time_s, 1e-9);
  return figures;
}

}  // namespace
}  // namespace pedisim::bench

int main(int argc, char** argv) {
  using namespace pedisim::bench;
  CLI::App app{
      "TCP CPR load: N TCP devices receiving numerics while each sends 60 Hz chest-compression "
      "samples to one session; checks for loss (docs/performance.md)."};
  int devices = 1000;
  double duration_s = 20;
  double rate_hz = 60;
  int sender_threads = 4;
  double settle_s = 1;
  bool quick = false;
  std::string scenario = "school-age-vf-arrest";
  std::string scenarios_dir = PEDISIM_SCENARIO_LIBRARY_DIR;
  std::string json_path;
  app.add_option("--devices", devices, "Number of TCP devices")->check(CLI::Range(1, 20000));
  app.add_option("--duration", duration_s, "Wall seconds of sending")
      ->check(CLI::Range(0.5, 3600.0));
  app.add_option("--rate", rate_hz, "Compression samples per second per device")
      ->check(CLI::Range(0.1, 1000.0));
  app.add_option("--sender-threads", sender_threads, "Threads sending the samples")
      ->check(CLI::Range(1, 64));
  app.add_option("--settle", settle_s, "Seconds between the last sample and Stop")
      ->check(CLI::Range(0.0, 60.0));
  app.add_flag("--quick", quick, "A short run: 5 s");
  app.add_option("--scenario", scenario, "Scenario id of the session");
  app.add_option("--scenarios-dir", scenarios_dir, "Scenario folder the controller serves");
  app.add_option("--json", json_path, "Also write the figures as JSON to this file ('-': stdout)");
  CLI11_PARSE(app, argc, argv);
  if (quick) duration_s = std::min(duration_s, 5.0);

  try {
    // Each device is a socket here and one in the controller, which
    // inherits this limit (and raises its own at start).
    const uint64_t file_limit = RaiseFileLimitFor(static_cast<uint64_t>(devices));
    // All devices join one session: room for however many are asked for.
    pedisim::testing::ControllerProcess controller(
        scenarios_dir, {"--max-devices-per-session", std::to_string(std::max(devices, 1024))});
    const Figures f =
        Run(controller, scenario, devices, duration_s, rate_hz, sender_threads, settle_s);
    // At 1x the simulated clock follows the wall clock; a session whose
    // thread cannot keep up falls behind (its numerics then come late, and
    // fewer of them, without a gap in simulated time).
    const double pace = f.sim_time_s / std::max(f.wall_time_s, 1e-9);
    const bool kept_pace = pace >= 0.9;
    const bool no_loss = f.lost == 0 && f.numerics_missing == 0 && f.links_ended_early == 0 &&
                         f.send_failures == 0 && f.sent > 0 && kept_pace;

    fmt::print(
        "TCP CPR load: {} TCP devices, numerics only, {:.0f} Hz compressions each, "
        "scenario {}, speed 1x, {} s, {}; fd limit {}\n",
        devices, rate_hz, scenario, duration_s, MachineDescription(), file_limit);
    fmt::print(
        "numerics: {} samples, {:.3f} per device per simulated second ({:.1f} s "
        "simulated), {} missing on {} devices, longest interval {:.2f} s\n",
        f.numerics_samples, f.numerics_per_device_per_sim_s, f.sim_time_s, f.numerics_missing,
        f.devices_with_gaps, f.numerics_max_interval_s);
    fmt::print(
        "numerics latency (queued_at to receipt): p50 {:.2f} ms, p90 {:.2f} ms, p99 "
        "{:.2f} ms, max {:.2f} ms\n",
        f.numerics.p50_ms, f.numerics.p90_ms, f.numerics.p99_ms, f.numerics.max_ms);
    fmt::print(
        "compressions: {} sent ({:.0f}/s), {} recorded as events, {} lost on {} devices; "
        "{} devices could not send\n",
        f.sent, f.sent / duration_s, f.recorded, f.lost, f.devices_with_loss, f.send_failures);
    fmt::print("events received by devices: {} ({:.0f} per device per second)\n", f.events_received,
               f.events_received / static_cast<double>(devices) / duration_s);
    fmt::print("links ended early: {}{}\n", f.links_ended_early,
               f.first_end_reason.empty() ? "" : " (first: " + f.first_end_reason + ")");
    fmt::print("session pace: {:.1f} s simulated in {:.1f} s of wall time ({:.2f}x at 1x){}\n",
               f.sim_time_s, f.wall_time_s, pace, kept_pace ? "" : ": FELL BEHIND");
    fmt::print("controller CPU {:.1f} s during {:.1f} s; result: {}\n", f.controller_cpu_s,
               duration_s + settle_s, no_loss ? "no loss" : "LOSS");

    if (!json_path.empty()) {
      JsonObject json;
      json.Add("tool", "tcp_cpr_load")
          .Add("devices", devices)
          .Add("duration_s", duration_s)
          .Add("rate_hz", rate_hz)
          .Add("scenario", scenario)
          .Add("machine", MachineDescription())
          .Add("sim_time_s", f.sim_time_s)
          .Add("wall_time_s", f.wall_time_s)
          .Add("pace", pace)
          .Add("kept_pace", kept_pace)
          .Add("numerics_latency", f.numerics)
          .Add("numerics_samples", f.numerics_samples)
          .Add("numerics_per_device_per_sim_s", f.numerics_per_device_per_sim_s)
          .Add("numerics_missing", f.numerics_missing)
          .Add("numerics_max_interval_s", f.numerics_max_interval_s)
          .Add("compressions_sent", f.sent)
          .Add("compressions_recorded", f.recorded)
          .Add("compressions_lost", f.lost)
          .Add("devices_with_loss", f.devices_with_loss)
          .Add("send_failures", f.send_failures)
          .Add("links_ended_early", f.links_ended_early)
          .Add("events_received", f.events_received)
          .Add("controller_cpu_s", f.controller_cpu_s)
          .Add("no_loss", no_loss);
      // The baseline of this load is what was offered: every sample sent
      // recorded, at the wall clock's pace.
      const std::string who = fmt::format("{} TCP manikins at {:.0f} Hz", devices, rate_hz);
      json.Add("figures", FiguresJson({
                              {who + ": compression samples recorded", f.recorded / duration_s,
                               "samples/s", f.sent / duration_s, "samples sent"},
                              {who + ": session pace", pace, "x real time", 1.0, "real time at 1x"},
                              {who + ": numerics p99 latency", f.numerics.p99_ms, "ms", 0, ""},
                          }));
      json.WriteTo(json_path);
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "tcp_cpr_load: {}\n", error.what());
    return 1;
  }
  return 0;
}
