// monitor_latency_bench: how long the room's monitor takes to show what
// happened. A real pedisim-controller on loopback; pedisim-monitor's own
// library (MonitorLink, MonitorModel, MonitorApp) joined over gRPC by the
// device protocol and drawing its screen headless on SDL's software renderer
// at 60 frames a second, as a monitor on a 60 Hz display does. After each
// frame the bench reads what that frame drew (MonitorApp::shown()).
//
// (a) An instructor's SessionService.OverrideVitals with a new heart rate,
//     timed from the call to the end of the first frame that drew it.
// (b) A shock from a defibrillator (a second device, reporting
//     ACTION_KIND_DEFIBRILLATION as pedisim-monitor --role defibrillator
//     does) in VF, in a scenario whose shock trigger converts to sinus;
//     timed from the report to the end of the first frame that drew sinus.
//     The scenario goes back to VF 0.3 s later for the next shock.
//
// Baseline, same run: a plain gRPC server in a process of its own whose
// unary call pushes a frame onto a server stream, the request and the frame
// padded to the sizes of PediSim's (bench/grpc_baseline.h). The issue's goal:
// p99 <= 1.5 x the baseline's p99 + one frame (16.7 ms). Figures:
// docs/BENCHMARKS.md.

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <imgui.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
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
#include "monitor/app/monitor_app.h"
#include "monitor/link/monitor_link.h"
#include "monitor/model/monitor_model.h"
#include "render/headless_platform.h"
#include "render/imgui_sdl_renderer.h"

namespace pedisim::bench {
namespace {

constexpr auto kFramePeriod = std::chrono::microseconds(16'667);
constexpr double kFrameMs = 16.667;

// (a): one state that never ends, the monitor's sensors on.
constexpr char kSteadyScenario[] = R"(
id: bench-monitor-steady
title: Benchmark, steady sinus
patient: {age_years: 4}
attached_sensors: [MONITOR_SENSOR_ECG_LEADS, MONITOR_SENSOR_SPO2_PROBE]
initial_state: sinus
states:
  - name: sinus
    vitals: {heart_rate_bpm: 110, spo2_pct: 97, respiratory_rate_bpm: 24, etco2_mmhg: 38,
             nibp_systolic_mmhg: 100, nibp_diastolic_mmhg: 60, temperature_c: 37, rhythm: sinus}
    transitions: [{to_state: done, on_action: {kind: intubation}}]
  - name: done
    terminal: true
)";

// (b): VF that a shock converts, back in VF 0.3 s later.
constexpr char kShockScenario[] = R"(
id: bench-monitor-shock
title: Benchmark, shocks that convert VF
patient: {age_years: 4}
attached_sensors: [MONITOR_SENSOR_ECG_LEADS, MONITOR_SENSOR_SPO2_PROBE]
initial_state: sinus
states:
  - name: sinus
    vitals: {heart_rate_bpm: 110, spo2_pct: 97, respiratory_rate_bpm: 24, etco2_mmhg: 38,
             nibp_systolic_mmhg: 100, nibp_diastolic_mmhg: 60, temperature_c: 37, rhythm: sinus}
    transitions:
      - {to_state: vf, after_time_in_state_s: 0.3}
      - {to_state: done, on_action: {kind: intubation}}
  - name: vf
    vitals: {rhythm: ventricular_fibrillation}
    transitions: [{to_state: sinus, on_action: {kind: defibrillation}}]
  - name: done
    terminal: true
)";

void WriteScenario(const std::filesystem::path& library, const std::string& id, const char* yaml) {
  std::filesystem::create_directories(library / id);
  std::ofstream(library / id / "scenario.yaml") << yaml;
}

struct Run {
  std::vector<float> latencies_ms;
  std::vector<uint32_t> request_bytes;
  std::vector<uint32_t> frame_bytes;
  uint64_t missed = 0;
};

// Times one call: `call` makes it; `arrival` says when its value was seen.
void TimeCall(bool counted, std::chrono::microseconds pause, Arrival& arrival, uint64_t key,
              const std::function<void()>& call, Run* run) {
  std::this_thread::sleep_for(pause);
  arrival.Expect(key);
  const Clock::time_point called = Clock::now();
  call();
  size_t bytes = 0;
  const std::optional<Clock::time_point> seen = arrival.Wait(std::chrono::seconds(5), &bytes);
  if (!seen) {
    ++run->missed;
    return;
  }
  run->frame_bytes.push_back(static_cast<uint32_t>(bytes));
  if (counted) {
    run->latencies_ms.push_back(std::chrono::duration<float, std::milli>(*seen - called).count());
  }
}

// pedisim-monitor's screen joined to a session, drawn headless at 60 frames
// a second on a thread of its own. After each frame it offers the heart
// rate and the rhythm that frame drew, with the size of the numerics
// message that carried them.
class MonitorScreen {
 public:
  MonitorScreen(devices::DeviceClient::Options options, int width, int height, Arrival& heart_rate,
                Arrival& rhythm)
      : link_(std::move(options), model_),
        heart_rate_(heart_rate),
        rhythm_(rhythm),
        thread_([this, width, height] { Draw(width, height); }) {}

  ~MonitorScreen() { Stop(); }

  // Stops drawing; returns the time each frame took to draw (ms).
  std::vector<float> Stop() {
    stopping_ = true;
    if (thread_.joinable()) thread_.join();
    return frame_ms_;
  }

 private:
  void Draw(int width, int height) {
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    {
      monitor::MonitorApp app(
          model_, [this](const v1::LearnerAction& action) { link_.Report(action); }, nullptr);
      app.LoadFonts(ImVec2(static_cast<float>(width), static_cast<float>(height)));
      dashboard::HeadlessPlatform platform(width, height);
      dashboard::ImGuiSdlRenderer renderer(platform.renderer());
      const auto started = std::chrono::steady_clock::now();
      auto next_frame = started;
      while (!stopping_) {
        const auto frame_start = std::chrono::steady_clock::now();
        platform.NewFrame();
        renderer.NewFrame();
        ImGui::NewFrame();
        app.Frame(std::chrono::duration<double>(frame_start - started).count());
        ImGui::Render();
        renderer.Render(ImGui::GetDrawData());
        frame_ms_.push_back(
            std::chrono::duration<float, std::milli>(std::chrono::steady_clock::now() - frame_start)
                .count());
        Offer(app.shown());
        next_frame += kFramePeriod;
        // A slow frame is not made up for by a burst of fast ones (vsync).
        if (next_frame < std::chrono::steady_clock::now()) {
          next_frame = std::chrono::steady_clock::now();
        }
        std::this_thread::sleep_until(next_frame);
      }
    }
    ImGui::DestroyContext();
  }

  void Offer(const monitor::MonitorView& shown) {
    if (shown.link != monitor::LinkState::kLive || !shown.has_vitals) return;
    v1::ControllerMessage carrier;
    *carrier.mutable_update()->mutable_vitals() = shown.vitals;
    const size_t bytes = carrier.ByteSizeLong();
    const v1::Vitals& vitals = shown.vitals.vitals();
    if (vitals.has_heart_rate_bpm()) {
      heart_rate_.Offer(static_cast<uint64_t>(std::llround(vitals.heart_rate_bpm())), bytes);
    }
    if (vitals.has_rhythm()) rhythm_.Offer(static_cast<uint64_t>(vitals.rhythm()), bytes);
  }

  monitor::MonitorModel model_;
  monitor::MonitorLink link_;
  Arrival& heart_rate_;
  Arrival& rhythm_;
  std::atomic<bool> stopping_{false};
  std::vector<float> frame_ms_;
  std::thread thread_;
};

devices::DeviceClient::Options MonitorOptions(const testing::ControllerProcess& controller,
                                              const std::string& session_id) {
  devices::DeviceClient::Options options =
      DeviceOptions(devices::DeviceClient::Transport::kGrpc, controller.address(), session_id,
                    "bedside-monitor", "pedisim-monitor", controller.admin_token());
  AskForAllWaveforms(&options.hello);
  for (const char* vital : {"heart_rate_bpm", "spo2_pct", "respiratory_rate_bpm", "etco2_mmhg"}) {
    options.hello.mutable_capabilities()->add_renders_vitals(vital);
  }
  return options;
}

struct Plan {
  int overrides = 300;
  int shocks = 60;
  int warmup = 5;
  int width = 1920;
  int height = 1080;
  std::vector<std::chrono::microseconds> pauses;  // before each call, the same in the baseline
};

struct PediSimRuns {
  Run override_run;
  Run shock_run;
  std::vector<float> frame_ms;
};

// Waits until the screen draws `key`; throws when it does not within 10 s.
void AwaitShown(Arrival& arrival, uint64_t key, const char* what) {
  arrival.Expect(key);
  size_t bytes = 0;
  if (!arrival.Wait(std::chrono::seconds(10), &bytes)) {
    throw std::runtime_error(fmt::format("the monitor never showed {}", what));
  }
}

PediSimRuns RunPediSim(testing::ControllerProcess& controller, const Plan& plan) {
  PediSimRuns runs;
  Sessions sessions(controller.channel());
  // (a) OverrideVitals to the heart rate drawn.
  {
    const v1::Session session = sessions.Create("bench-monitor-steady", 1.0, 1);
    Arrival heart_rate;
    Arrival rhythm;
    MonitorScreen screen(MonitorOptions(controller, session.id()), plan.width, plan.height,
                         heart_rate, rhythm);
    sessions.Start(session.id());
    AwaitShown(heart_rate, 110, "the scenario's heart rate");
    for (int i = 0; i < plan.overrides; ++i) {
      const int value = 120 + i % 60;  // never the previous one, never the scenario's 110
      v1::OverrideVitalsRequest request;
      request.set_session_id(session.id());
      request.mutable_vitals()->set_heart_rate_bpm(value);
      request.set_reason("benchmark");
      runs.override_run.request_bytes.push_back(static_cast<uint32_t>(request.ByteSizeLong()));
      TimeCall(
          i >= plan.warmup, plan.pauses[static_cast<size_t>(i)], heart_rate,
          static_cast<uint64_t>(value), [&] { sessions.OverrideVitals(request); },
          &runs.override_run);
    }
    runs.frame_ms = screen.Stop();
    sessions.Stop(session.id());
  }
  // (b) A shock to sinus drawn.
  {
    const v1::Session session = sessions.Create("bench-monitor-shock", 1.0, 1);
    Arrival heart_rate;
    Arrival rhythm;
    MonitorScreen screen(MonitorOptions(controller, session.id()), plan.width, plan.height,
                         heart_rate, rhythm);
    devices::DeviceClient::Options defibrillator_options =
        DeviceOptions(devices::DeviceClient::Transport::kGrpc, controller.address(), session.id(),
                      "defibrillator", "pedisim-monitor defibrillator", controller.admin_token());
    defibrillator_options.hello.mutable_capabilities()->add_senses_actions(
        v1::ActionKind_Name(v1::ACTION_KIND_DEFIBRILLATION));
    monitor::MonitorModel defibrillator_model;
    monitor::MonitorLink defibrillator(defibrillator_options, defibrillator_model);
    sessions.Start(session.id());
    for (int waited = 0; defibrillator.joins() == 0; ++waited) {
      if (waited > 1000) throw std::runtime_error("the defibrillator never joined");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // What pedisim-monitor --role defibrillator reports for a manual shock
    // with child/adult pads (monitor/defib/defibrillator.cc).
    v1::LearnerAction shock;
    shock.set_kind(v1::ACTION_KIND_DEFIBRILLATION);
    shock.set_energy_j(32);
    shock.set_pads(v1::DEFIBRILLATOR_PADS_CHILD_ADULT);
    shock.set_defibrillator_mode(v1::DEFIBRILLATOR_MODE_MANUAL);
    v1::DeviceMessage sent;
    *sent.mutable_observation()->mutable_action() = shock;
    *sent.mutable_observation()->mutable_sensed_at() =
        google::protobuf::util::TimeUtil::GetCurrentTime();
    for (int i = 0; i < plan.shocks; ++i) {
      AwaitShown(rhythm, v1::RHYTHM_VENTRICULAR_FIBRILLATION, "VF");
      runs.shock_run.request_bytes.push_back(static_cast<uint32_t>(sent.ByteSizeLong()));
      TimeCall(
          i >= plan.warmup, plan.pauses[static_cast<size_t>(i)], rhythm, v1::RHYTHM_SINUS,
          [&] { defibrillator.Report(shock); }, &runs.shock_run);
    }
    sessions.Stop(session.id());
  }
  return runs;
}

// The baseline server process (`--baseline-server`): serves until it has
// answered `pokes` timed pokes (key > 0), then exits.
int ServeBaseline(const std::string& port_file, int pokes) {
  BaselineServer server;
  WritePortFile(port_file, server.port);
  server.service.AwaitPokes(static_cast<uint64_t>(pokes));
  server.service.CloseAll();
  server.server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  return 0;
}

// The same number of calls against plain gRPC: call i padded to PediSim's
// request i, the frame pushed in answer to the size of the numerics message
// that carried PediSim's value i.
Run RunBaseline(const Run& pedisim, int calls, int warmup, const Plan& plan) {
  BaselineProcess server({"--baseline-server", "--baseline-pokes", std::to_string(calls)});
  const std::string address = fmt::format("127.0.0.1:{}", server.port());
  Run run;
  {
    PokeBaselineClient client(address);
    for (int i = 0; i < calls; ++i) {
      const BaselinePoke poke = PokeBaselineClient::MakePoke(
          static_cast<uint64_t>(i) + 1, PokeBaselineClient::SizeAt(pedisim.request_bytes, i),
          PokeBaselineClient::SizeAt(pedisim.frame_bytes, i));
      run.request_bytes.push_back(static_cast<uint32_t>(poke.ByteSizeLong()));
      TimeCall(
          i >= warmup, plan.pauses[static_cast<size_t>(i)], client.arrival(), poke.key(),
          [&] { client.Send(poke); }, &run);
    }
  }
  server.Wait();
  return run;
}

}  // namespace
}  // namespace pedisim::bench

int main(int argc, char** argv) {
  using namespace pedisim::bench;
  CLI::App app{
      "The room's monitor: an instructor's OverrideVitals, and a defibrillator's shock, to the "
      "frame of pedisim-monitor's screen that draws the change, against a plain gRPC unary call "
      "answered on a stream, same sizes (docs/BENCHMARKS.md)."};
  Plan plan;
  bool quick = false;
  std::string size = "1920x1080";
  std::string json_path;
  app.add_option("--overrides", plan.overrides, "OverrideVitals calls")
      ->check(CLI::Range(2, 100000));
  app.add_option("--shocks", plan.shocks, "Shocks")->check(CLI::Range(2, 100000));
  app.add_option("--warmup", plan.warmup, "First calls of each kind left out of the figures")
      ->check(CLI::Range(0, 1000));
  app.add_option("--size", size, "The monitor's screen, WIDTHxHEIGHT");
  app.add_flag("--quick", quick, "40 overrides and 10 shocks (./pedisim bench --quick)");
  app.add_option("--json", json_path, "Also write the figures as JSON to this file ('-': stdout)");
  bool baseline_server = false;
  int baseline_pokes = 0;
  std::string port_file;
  app.add_flag("--baseline-server", baseline_server)->group("");
  app.add_option("--baseline-pokes", baseline_pokes)->group("");
  app.add_option("--port-file", port_file)->group("");
  CLI11_PARSE(app, argc, argv);
  if (baseline_server) return ServeBaseline(port_file, baseline_pokes);
  if (quick) {
    plan.overrides = std::min(plan.overrides, 40);
    plan.shocks = std::min(plan.shocks, 10);
  }
  if (std::sscanf(size.c_str(), "%dx%d", &plan.width, &plan.height) != 2 || plan.width < 320 ||
      plan.height < 240) {
    fmt::print(stderr, "--size: expected WIDTHxHEIGHT, got '{}'\n", size);
    return 2;
  }
  plan.warmup = std::min({plan.warmup, plan.overrides - 1, plan.shocks - 1});

  // Random pauses, so that calls fall anywhere in the session's 100 ms step
  // and the monitor's 16.7 ms frame; the same ones in the baseline.
  std::mt19937 random(2026);
  std::uniform_int_distribution<int> pause_us(20'000, 80'000);
  for (int i = 0; i < std::max(plan.overrides, plan.shocks); ++i) {
    plan.pauses.emplace_back(pause_us(random));
  }

  try {
    PediSimRuns pedisim;
    {
      pedisim::testing::TempDir library;
      WriteScenario(library.path(), "bench-monitor-steady", kSteadyScenario);
      WriteScenario(library.path(), "bench-monitor-shock", kShockScenario);
      pedisim::testing::ControllerProcess controller(library.path());
      pedisim = RunPediSim(controller, plan);
    }
    Run override_baseline = RunBaseline(pedisim.override_run, plan.overrides, plan.warmup, plan);
    Run shock_baseline = RunBaseline(pedisim.shock_run, plan.shocks, plan.warmup, plan);
    const LatencySummary override_latency = Summarize(pedisim.override_run.latencies_ms);
    const LatencySummary override_base = Summarize(override_baseline.latencies_ms);
    const LatencySummary shock_latency = Summarize(pedisim.shock_run.latencies_ms);
    const LatencySummary shock_base = Summarize(shock_baseline.latencies_ms);
    const LatencySummary frame = Summarize(pedisim.frame_ms);
    const auto goal_ms = [](const LatencySummary& baseline) {
      return 1.5 * baseline.p99_ms + kFrameMs;
    };

    fmt::print(
        "room monitor latency: pedisim-monitor's screen at {}x{} drawn at 60 fps (software "
        "renderer, frame p50 {:.2f} ms, p99 {:.2f} ms); {}\n",
        plan.width, plan.height, frame.p50_ms, frame.p99_ms, MachineDescription());
    fmt::print("{:<28} {:>7} {:>7} {:>7} {:>7} {:>9} {:>9} {:>6}\n", "run", "p50 ms", "p90 ms",
               "p99 ms", "max ms", "bytes up", "bytes dn", "missed");
    const auto row = [](const std::string& name, const LatencySummary& latency, const Run& run) {
      fmt::print("{:<28} {:>7.2f} {:>7.2f} {:>7.2f} {:>7.2f} {:>9.0f} {:>9.0f} {:>6}\n", name,
                 latency.p50_ms, latency.p90_ms, latency.p99_ms, latency.max_ms,
                 PokeBaselineClient::MeanSize(run.request_bytes),
                 PokeBaselineClient::MeanSize(run.frame_bytes), run.missed);
    };
    row("override -> monitor frame", override_latency, pedisim.override_run);
    row("  bare gRPC, same sizes", override_base, override_baseline);
    row("shock -> rhythm on monitor", shock_latency, pedisim.shock_run);
    row("  bare gRPC, same sizes", shock_base, shock_baseline);
    fmt::print(
        "goal p99 <= 1.5 x bare gRPC p99 + 16.7 ms: override {:.2f} <= {:.2f} ms: {}; "
        "shock {:.2f} <= {:.2f} ms: {}\n",
        override_latency.p99_ms, goal_ms(override_base),
        override_latency.p99_ms <= goal_ms(override_base) ? "met" : "NOT met", shock_latency.p99_ms,
        goal_ms(shock_base), shock_latency.p99_ms <= goal_ms(shock_base) ? "met" : "NOT met");

    if (!json_path.empty()) {
      const auto run_json = [](const LatencySummary& latency, const Run& run) {
        JsonObject json;
        json.Add("latency", latency)
            .Add("missed", run.missed)
            .Add("request_bytes", PokeBaselineClient::MeanSize(run.request_bytes))
            .Add("message_bytes", PokeBaselineClient::MeanSize(run.frame_bytes));
        return json;
      };
      const std::string baseline_name = "bare gRPC unary + stream, same sizes";
      JsonObject json;
      json.Add("tool", "monitor_latency_bench")
          .Add("overrides", plan.overrides)
          .Add("shocks", plan.shocks)
          .Add("warmup", plan.warmup)
          .Add("width", plan.width)
          .Add("height", plan.height)
          .Add("machine", MachineDescription())
          .Add("frame", frame)
          .Add("override", run_json(override_latency, pedisim.override_run))
          .Add("override_baseline", run_json(override_base, override_baseline))
          .Add("shock", run_json(shock_latency, pedisim.shock_run))
          .Add("shock_baseline", run_json(shock_base, shock_baseline))
          .Add("override_goal_p99_ms", goal_ms(override_base))
          .Add("shock_goal_p99_ms", goal_ms(shock_base))
          .Add("figures", FiguresJson({
                              {"OverrideVitals to the room monitor's frame: p50",
                               override_latency.p50_ms, "ms", override_base.p50_ms, baseline_name},
                              {"OverrideVitals to the room monitor's frame: p99",
                               override_latency.p99_ms, "ms", override_base.p99_ms, baseline_name},
                              {"shock to the rhythm on the room monitor's frame: p50",
                               shock_latency.p50_ms, "ms", shock_base.p50_ms, baseline_name},
                              {"shock to the rhythm on the room monitor's frame: p99",
                               shock_latency.p99_ms, "ms", shock_base.p99_ms, baseline_name},
                          }));
      json.WriteTo(json_path);
    }
  } catch (const std::exception& error) {
    fmt::print(stderr, "monitor_latency_bench: {}\n", error.what());
    return 1;
  }
  return 0;
}
