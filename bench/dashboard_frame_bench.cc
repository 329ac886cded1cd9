// Frame time of the dashboard's live view on SDL's software renderer,
// headless, at 1600x900 with four sweeping waveforms fed synthetic data at
// the controller's rates (ECG 500 Hz, pleth 125 Hz, capnogram and
// respiration 62.5 Hz), numerics, a scenario graph, an assessment and an
// event log. A frame is ImGui's frame plus rasterizing it; figures in
// docs/dashboard.md.
#include <fmt/format.h>
#include <imgui.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "bench/load_common.h"
#include "client/controller_link.h"
#include "client/session_commands.h"
#include "render/headless_platform.h"
#include "render/imgui_sdl_renderer.h"
#include "views/live_screen.h"
#include "views/theme.h"

namespace pedisim::dashboard {
namespace {

constexpr double kFrameS = 1.0 / 60;

struct SyntheticTrace {
  v1::WaveformKind kind;
  double rate_hz;
  float (*shape)(double t);
};

float Ecg(double t) {
  const double beat = std::fmod(t, 0.4);  // 150 bpm
  return static_cast<float>(1.2 * std::exp(-std::pow((beat - 0.1) / 0.008, 2)) +
                            0.25 * std::exp(-std::pow((beat - 0.25) / 0.03, 2)));
}
float Pleth(double t) { return static_cast<float>(0.5 + 0.45 * std::sin(2 * M_PI * t / 0.4)); }
float Capnogram(double t) { return std::fmod(t, 2.0) < 1.0 ? 42.0f : 0.0f; }
float Respiration(double t) { return static_cast<float>(0.5 + 0.4 * std::sin(2 * M_PI * t / 2.0)); }

constexpr SyntheticTrace kTraces[] = {
    {v1::WAVEFORM_KIND_ECG_II, 500, Ecg},
    {v1::WAVEFORM_KIND_PLETH, 125, Pleth},
    {v1::WAVEFORM_KIND_CAPNOGRAM, 62.5, Capnogram},
    {v1::WAVEFORM_KIND_RESPIRATION, 62.5, Respiration},
};

v1::Scenario SyntheticScenario() {
  v1::Scenario scenario;
  scenario.set_initial_state("distress");
  const char* names[] = {"distress",   "improving", "decompensation",
                         "pre-arrest", "arrest",    "stable"};
  for (int i = 0; i < 6; ++i) {
    v1::State* state = scenario.add_states();
    state->set_name(names[i]);
    if (i + 1 < 6) state->add_transitions()->set_to_state(names[i + 1]);
    if (i > 1) state->add_transitions()->set_to_state(names[1]);
  }
  return scenario;
}

v1::Session SyntheticSession() {
  v1::Session session;
  session.set_id("bench");
  session.set_scenario_title("Synthetic session");
  session.set_status(v1::SESSION_STATUS_RUNNING);
  session.set_current_state("decompensation");
  session.set_speed(1);
  session.mutable_patient()->set_name("Maya");
  session.mutable_patient()->set_weight_kg(7.4);
  for (const char* vital : {"heart_rate_bpm", "spo2_pct", "etco2_mmhg", "respiratory_rate_bpm"}) {
    v1::VitalRange* limit = session.mutable_age_band()->add_alarm_limits();
    limit->set_vital(vital);
    limit->set_low(10);
    limit->set_high(160);
  }
  for (int i = 0; i < 3; ++i) {
    v1::PendingTransition* pending = session.add_pending_transitions();
    pending->set_to_state("improving");
    pending->set_label("oxygen given");
    pending->set_waiting_for("oxygen");
  }
  v1::Device* monitor = session.add_devices();
  monitor->set_name("monitor");
  monitor->set_status(v1::DEVICE_STATUS_CONNECTED);
  for (int i = 0; i < 8; ++i) {
    v1::ItemGrade* item = session.mutable_assessment()->add_items();
    item->set_item(fmt::format("Checklist item {}", i + 1));
    item->set_grade(i % 2 ? v1::GRADE_MET : v1::GRADE_PENDING);
    item->set_seconds_left(60);
  }
  return session;
}

void Feed(SessionModel& model, double from_s, double to_s) {
  for (const SyntheticTrace& trace : kTraces) {
    v1::SessionUpdate update;
    v1::WaveformChunk* chunk = update.mutable_waveform();
    chunk->set_kind(trace.kind);
    chunk->set_sample_rate_hz(trace.rate_hz);
    const auto first = static_cast<int64_t>(std::ceil(from_s * trace.rate_hz));
    const auto end = static_cast<int64_t>(std::ceil(to_s * trace.rate_hz));
    chunk->set_start_sim_time_s(static_cast<double>(first) / trace.rate_hz);
    for (int64_t i = first; i < end; ++i)
      chunk->add_samples(trace.shape(static_cast<double>(i) / trace.rate_hz));
    model.Apply(update);
  }
  if (std::floor(to_s) != std::floor(from_s)) {
    v1::SessionUpdate update;
    v1::VitalsSample* sample = update.mutable_vitals();
    sample->set_sim_time_s(to_s);
    sample->mutable_vitals()->set_heart_rate_bpm(168);
    sample->mutable_vitals()->set_spo2_pct(88);
    sample->mutable_vitals()->set_etco2_mmhg(42);
    sample->mutable_vitals()->set_respiratory_rate_bpm(60);
    sample->mutable_vitals()->set_nibp_systolic_mmhg(88);
    sample->mutable_vitals()->set_nibp_diastolic_mmhg(52);
    sample->mutable_vitals()->set_nibp_mean_mmhg(64);
    sample->mutable_vitals()->set_temperature_c(38.4);
    sample->add_alarming("heart_rate_bpm");
    model.Apply(update);
    v1::SessionUpdate event;
    event.mutable_event()->set_id(static_cast<uint64_t>(to_s) + 1);
    event.mutable_event()->set_sim_time_s(to_s);
    event.mutable_event()->set_summary(fmt::format("synthetic event at {:.0f} s", to_s));
    model.Apply(event);
  }
}

double Percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(fraction * values.size()))];
}

int Run(int frames, int width, int height, const std::string& json_path) {
  ImGui::CreateContext();
  // A benchmark leaves nothing behind: no imgui.ini in the working folder.
  ImGui::GetIO().IniFilename = nullptr;
  const Fonts fonts = LoadFontsAndStyle(1.0f);
  std::vector<double> frame_ms;
  // The part of each frame spent building ImGui's draw lists; the rest is
  // SDL rasterizing them.
  std::vector<double> build_ms;
  {
    HeadlessPlatform platform(width, height);
    ImGuiSdlRenderer renderer(platform.renderer());
    // Never called: the controls are drawn, not used, so no controller is needed.
    ControllerLink link("127.0.0.1:1", {});
    SessionCommands commands(link, "bench");
    SessionModel model;
    model.SetScenario(std::make_shared<v1::Scenario>(SyntheticScenario()));
    v1::SessionUpdate snapshot;
    *snapshot.mutable_snapshot() = SyntheticSession();
    model.Apply(snapshot);
    LiveScreen live;
    double sim_s = 0;
    constexpr int kWarmUpFrames = 30;
    for (int frame = 0; frame < frames + kWarmUpFrames; ++frame) {
      Feed(model, sim_s, sim_s + kFrameS);
      sim_s += kFrameS;
      const auto start = std::chrono::steady_clock::now();
      platform.NewFrame();
      renderer.NewFrame();
      ImGui::NewFrame();
      live.Draw(model, &commands, {}, fonts, sim_s);
      ImGui::Render();
      const auto built = std::chrono::steady_clock::now();
      renderer.Render(ImGui::GetDrawData());
      const auto end = std::chrono::steady_clock::now();
      if (frame >= kWarmUpFrames) {
        frame_ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
        build_ms.push_back(std::chrono::duration<double, std::milli>(built - start).count());
      }
    }
  }
  ImGui::DestroyContext();
  double total_ms = 0;
  for (double ms : frame_ms) total_ms += ms;
  const double p50 = Percentile(frame_ms, 0.50);
  const double p99 = Percentile(frame_ms, 0.99);
  const double fps = 1000.0 * static_cast<double>(frame_ms.size()) / total_ms;
  const double build_p50 = Percentile(build_ms, 0.50);
  const double build_p99 = Percentile(build_ms, 0.99);
  fmt::print(
      "{} frames at {}x{} (software renderer): p50 {:.2f} ms (ImGui {:.2f} ms), "
      "p99 {:.2f} ms, max {:.2f} ms, {:.0f} fps\n",
      frame_ms.size(), width, height, p50, build_p50, p99, Percentile(frame_ms, 1.0), fps);
  if (!json_path.empty()) {
    // The baseline is ImGui building the same frame's draw lists: what
    // drawing them on the software renderer adds shows in the ratio.
    const std::string baseline = "ImGui building the same frame, not drawn";
    bench::JsonObject out;
    out.Add("frames", static_cast<uint64_t>(frame_ms.size()))
        .Add("width", width)
        .Add("height", height)
        .Add("p50_ms", p50)
        .Add("p99_ms", p99)
        .Add("max_ms", Percentile(frame_ms, 1.0))
        .Add("imgui_p50_ms", build_p50)
        .Add("fps", fps)
        .Add("figures", bench::FiguresJson({
                            {fmt::format("frame time at {}x{}, four waveforms: p50", width, height),
                             p50, "ms", build_p50, baseline},
                            {fmt::format("frame time at {}x{}, four waveforms: p99", width, height),
                             p99, "ms", build_p99, baseline},
                            {"frames per second", fps, "fps", 0, ""},
                        }));
    out.WriteTo(json_path);
  }
  return 0;
}

}  // namespace
}  // namespace pedisim::dashboard

int main(int argc, char** argv) {
  int frames = 600;
  std::string size = "1600x900";
  std::string json_path;
  bool quick = false;
  CLI::App cli{"Frame time of the dashboard's live view on the software renderer"};
  cli.add_option("--frames", frames, "Frames to measure (after 30 of warm-up)")
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--size", size, "WIDTHxHEIGHT");
  cli.add_option("--json", json_path, "Also write the figures as one JSON line here (- = stdout)");
  cli.add_flag("--quick", quick, "120 frames (for ./pedisim bench --quick)");
  CLI11_PARSE(cli, argc, argv);
  int width = 0;
  int height = 0;
  if (std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2 || width < 320 || height < 240) {
    fmt::print(stderr, "--size: expected WIDTHxHEIGHT, got '{}'\n", size);
    return 2;
  }
  if (quick) frames = std::min(frames, 120);
  return pedisim::dashboard::Run(frames, width, height, json_path);
}
