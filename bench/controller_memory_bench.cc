// controller_memory_bench: the resident memory of a real pedisim-controller
// running S sessions at 1x with D devices each (monitors asking for every
// waveform, half over gRPC and half over the TCP transport), against the same
// controller idle, measured in the same run. Read from /proc/<pid>/status:
// VmRSS (resident now) and VmHWM (the peak). Figures: docs/BENCHMARKS.md.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <thread>

#include "bench/load_common.h"
#include "controller_process.h"

namespace pedisim::bench {
namespace {

struct Figures {
  ResidentMemory idle;
  ResidentMemory loaded;       // at the end of the run
  double highest_rss_mib = 0;  // sampled every half second
  double controller_cpu_s = 0;
  double wall_s = 0;
  uint64_t messages = 0;
  uint64_t links_ended_early = 0;
};

Figures Run(testing::ControllerProcess& controller, const std::string& scenario, int session_count,
            int devices_per_session, double duration_s, double settle_s) {
  Figures figures;
  // The controller has served no call yet but the one that saw it ready.
  std::this_thread::sleep_for(std::chrono::duration<double>(settle_s));
  figures.idle = ProcessResidentMemory(controller.pid());

  Sessions sessions(controller.channel());
  std::vector<std::string> session_ids;
  std::vector<std::unique_ptr<devices::DeviceClient>> clients;
  const std::string tcp_address = fmt::format("127.0.0.1:{}", controller.device_tcp_port());
  fmt::print(stderr, "creating {} sessions with {} devices each...\n", session_count,
             devices_per_session);
  for (int s = 0; s < session_count; ++s) {
    session_ids.push_back(sessions.Create(scenario, 1.0, static_cast<uint64_t>(s) + 1).id());
    for (int d = 0; d < devices_per_session; ++d) {
      const bool tcp = d % 2 == 1;
      devices::DeviceClient::Options options = DeviceOptions(
          tcp ? devices::DeviceClient::Transport::kTcp : devices::DeviceClient::Transport::kGrpc,
          tcp ? tcp_address : controller.address(), session_ids.back(),
          fmt::format("monitor-{}", d), "memory monitor", controller.admin_token());
      AskForAllWaveforms(&options.hello);
      clients.push_back(ConnectDevice(options));
    }
  }
  std::atomic<uint64_t> messages = 0;
  std::atomic<uint64_t> ended_early = 0;
  std::vector<std::thread> readers;
  for (auto& client : clients) {
    readers.emplace_back([&, device = client.get()] {
      v1::ControllerMessage message;
      uint64_t count = 0;
      while (device->Next(&message)) ++count;
      messages += count;
      if (!device->final_status().ok()) ++ended_early;
    });
  }

  const double cpu_before = ProcessCpuSeconds(controller.pid());
  const auto started = std::chrono::steady_clock::now();
  for (const std::string& id : session_ids) sessions.Start(id);
  const auto end = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                 std::chrono::duration<double>(duration_s));
  while (std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    figures.highest_rss_mib =
        std::max(figures.highest_rss_mib, ProcessResidentMemory(controller.pid()).rss_mib);
  }
  figures.loaded = ProcessResidentMemory(controller.pid());
  figures.controller_cpu_s = ProcessCpuSeconds(controller.pid()) - cpu_before;
  figures.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (const std::string& id : session_ids) sessions.Stop(id);
  for (std::thread& reader : readers) reader.join();
  figures.messages = messages;
  figures.links_ended_early = ended_early;
  return figures;
}

}  // namespace
}  // namespace pedisim::bench

int main(int argc, char** argv) {
  using namespace pedisim::bench;
  CLI::App app{
      "Controller memory: resident size with S sessions of D devices each, against the idle "
      "controller, same run (docs/BENCHMARKS.md)."};
  int session_count = 20;
  int devices_per_session = 10;
  double duration_s = 20;
  double settle_s = 1;
  std::string scenario = "infant-svt";
  std::string scenarios_dir = PEDISIM_SCENARIO_LIBRARY_DIR;
  std::string json_path;
  app.add_option("--sessions", session_count, "Sessions, all at 1x")->check(CLI::Range(1, 1000));
  app.add_option("--devices-per-session", devices_per_session,
                 "Devices in each session (every other one over TCP)")
      ->check(CLI::Range(0, 1000));
  app.add_option("--duration", duration_s, "Wall seconds the sessions run")
      ->check(CLI::Range(0.5, 3600.0));
  app.add_option("--settle", settle_s, "Seconds the idle controller runs before it is measured")
      ->check(CLI::Range(0.0, 60.0));
  app.add_option("--scenario", scenario, "Scenario id of every session");
  app.add_option("--scenarios-dir", scenarios_dir, "Scenario folder the controller serves");
  app.add_option("--json", json_path, "Also write the figures as JSON to this file ('-': stdout)");
  CLI11_PARSE(app, argc, argv);

  try {
    const uint64_t devices = static_cast<uint64_t>(session_count) * devices_per_session;
    RaiseFileLimitFor(devices);
    pedisim::testing::ControllerProcess controller(scenarios_dir);
    const Figures f =
        Run(controller, scenario, session_count, devices_per_session, duration_s, settle_s);
    const double per_session_mib = (f.loaded.rss_mib - f.idle.rss_mib) / session_count;
    // At 1x each session needs a second of work per wall second; what the
    // controller spent on them says how many one core would carry.
    const double sessions_per_core =
        f.controller_cpu_s > 0 ? session_count * f.wall_s / f.controller_cpu_s : 0;

    fmt::print(
        "controller memory: {} sessions of {} at 1x, {} devices each (all 4 waveforms, every "
        "other one over TCP), {:.0f} s; {}\n",
        session_count, scenario, devices_per_session, f.wall_s, MachineDescription());
    fmt::print("idle:   VmRSS {:.1f} MiB, VmHWM {:.1f} MiB\n", f.idle.rss_mib, f.idle.peak_mib);
    fmt::print("loaded: VmRSS {:.1f} MiB (highest sampled {:.1f}), VmHWM {:.1f} MiB\n",
               f.loaded.rss_mib, f.highest_rss_mib, f.loaded.peak_mib);
    fmt::print("per session (with its devices): {:.2f} MiB\n", per_session_mib);
    fmt::print(
        "controller CPU {:.1f} s in {:.1f} s: {:.0f} such sessions per core; {} messages to "
        "devices, {} links ended early\n",
        f.controller_cpu_s, f.wall_s, sessions_per_core, f.messages, f.links_ended_early);

    if (!json_path.empty()) {
      const std::string load =
          fmt::format("{} sessions x {} devices", session_count, devices_per_session);
      JsonObject json;
      json.Add("tool", "controller_memory_bench")
          .Add("sessions", session_count)
          .Add("devices_per_session", devices_per_session)
          .Add("duration_s", f.wall_s)
          .Add("scenario", scenario)
          .Add("machine", MachineDescription())
          .Add("idle_rss_mib", f.idle.rss_mib)
          .Add("idle_peak_mib", f.idle.peak_mib)
          .Add("loaded_rss_mib", f.loaded.rss_mib)
          .Add("loaded_peak_mib", f.loaded.peak_mib)
          .Add("highest_sampled_rss_mib", f.highest_rss_mib)
          .Add("per_session_mib", per_session_mib)
          .Add("controller_cpu_s", f.controller_cpu_s)
          .Add("sessions_per_core", sessions_per_core)
          .Add("device_messages", f.messages)
          .Add("links_ended_early", f.links_ended_early)
          .Add("figures", FiguresJson({
                              {"controller VmRSS, " + load, f.loaded.rss_mib, "MiB", f.idle.rss_mib,
                               "idle controller"},
                              {"controller VmHWM (peak), " + load, f.loaded.peak_mib, "MiB",
                               f.idle.peak_mib, "idle controller"},
                              {"sessions one controller core keeps at 1x, " + load,
                               sessions_per_core, "sessions", 0, ""},
                          }));
      json.WriteTo(json_path);
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "controller_memory_bench: {}\n", error.what());
    return 1;
  }
  return 0;
}
