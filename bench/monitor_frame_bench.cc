// Frame time of pedisim-monitor's screen against the dashboard's monitor
// view drawing the same waveforms in the same run: SDL's software renderer,
// headless, 1920x1080 by default, ECG 500 Hz, pleth 125 Hz, capnogram and
// respiration 62.5 Hz of synthetic data fed as the controller sends them
// (60 chunks a second), every sensor attached, numerics, NIBP measuring,
// an HR alarm flashing. A frame is ImGui's frame plus rasterizing it. The
// room monitor draws five rows by default (the "five waveforms":
// ECG II cascaded over two rows, pleth, capnogram, respiration); the
// dashboard's view has its four.
// Figures in docs/BENCHMARKS.md and docs/monitor.md.
#include <fmt/format.h>
#include <imgui.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "bench/load_common.h"
#include "model/alarm_tracker.h"
#include "model/session_model.h"
#include "monitor/app/monitor_app.h"
#include "monitor/model/monitor_model.h"
#include "render/headless_platform.h"
#include "render/imgui_sdl_renderer.h"
#include "views/monitor_view.h"
#include "views/theme.h"

namespace pedisim {
namespace {

constexpr double kFrameS = 1.0 / 60;
constexpr int kWarmUpFrames = 30;

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
float Pleth(double t) {
  return static_cast<float>(0.5 + 0.45 * std::sin(2 * std::numbers::pi * t / 0.4));
}
float Capnogram(double t) { return std::fmod(t, 2.0) < 1.0 ? 42.0f : 0.0f; }
float Respiration(double t) {
  return static_cast<float>(0.5 + 0.4 * std::sin(2 * std::numbers::pi * t / 2.0));
}

constexpr SyntheticTrace kTraces[] = {
    {v1::WAVEFORM_KIND_ECG_II, 500, Ecg},
    {v1::WAVEFORM_KIND_PLETH, 125, Pleth},
    {v1::WAVEFORM_KIND_CAPNOGRAM, 62.5, Capnogram},
    {v1::WAVEFORM_KIND_RESPIRATION, 62.5, Respiration},
};

v1::Session SyntheticSession() {
  v1::Session session;
  session.set_id("bench");
  session.set_status(v1::SESSION_STATUS_RUNNING);
  session.set_speed(1);
  session.mutable_patient()->set_name("Maya");
  session.mutable_patient()->set_age_months(8);
  session.mutable_patient()->set_weight_kg(7.4);
  for (const char* vital : {"heart_rate_bpm", "spo2_pct", "etco2_mmhg", "respiratory_rate_bpm"}) {
    v1::VitalRange* limit = session.mutable_age_band()->add_alarm_limits();
    limit->set_vital(vital);
    limit->set_low(10);
    limit->set_high(160);
  }
  for (v1::MonitorSensor sensor :
       {v1::MONITOR_SENSOR_ECG_LEADS, v1::MONITOR_SENSOR_SPO2_PROBE, v1::MONITOR_SENSOR_CAPNOGRAPHY,
        v1::MONITOR_SENSOR_TEMPERATURE_PROBE, v1::MONITOR_SENSOR_NIBP_CUFF}) {
    session.add_attached_sensors(sensor);
  }
  return session;
}

// The updates of simulated time [from_s, to_s): a chunk of each waveform,
// and the numerics each second.
std::vector<v1::SessionUpdate> Updates(double from_s, double to_s) {
  std::vector<v1::SessionUpdate> updates;
  for (const SyntheticTrace& trace : kTraces) {
    v1::WaveformChunk* chunk = updates.emplace_back().mutable_waveform();
    chunk->set_kind(trace.kind);
    chunk->set_sample_rate_hz(trace.rate_hz);
    const auto first = static_cast<int64_t>(std::ceil(from_s * trace.rate_hz));
    const auto end = static_cast<int64_t>(std::ceil(to_s * trace.rate_hz));
    chunk->set_start_sim_time_s(static_cast<double>(first) / trace.rate_hz);
    for (int64_t i = first; i < end; ++i)
      chunk->add_samples(trace.shape(static_cast<double>(i) / trace.rate_hz));
  }
  if (std::floor(to_s) != std::floor(from_s) || from_s == 0) {
    v1::VitalsSample* sample = updates.emplace_back().mutable_vitals();
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
  }
  return updates;
}

struct Figures {
  std::vector<double> frame_ms;
  double p50 = 0;
  double p99 = 0;
  double max = 0;
  double fps = 0;
};

double Percentile(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  return values[std::min(values.size() - 1, static_cast<size_t>(fraction * values.size()))];
}

Figures Summarise(std::vector<double> frame_ms) {
  Figures figures;
  double total_ms = 0;
  for (double ms : frame_ms) total_ms += ms;
  figures.p50 = Percentile(frame_ms, 0.5);
  figures.p99 = Percentile(frame_ms, 0.99);
  figures.max = Percentile(frame_ms, 1.0);
  figures.fps = 1000.0 * static_cast<double>(frame_ms.size()) / total_ms;
  figures.frame_ms = std::move(frame_ms);
  return figures;
}

// Renders `frames` frames of `draw(now_s)`, fed by `feed(from, to)`.
template <typename Feed, typename Draw>
std::vector<double> Measure(int frames, int width, int height, Feed feed, Draw draw) {
  std::vector<double> frame_ms;
  dashboard::HeadlessPlatform platform(width, height);
  dashboard::ImGuiSdlRenderer renderer(platform.renderer());
  double sim_s = 0;
  for (int frame = 0; frame < frames + kWarmUpFrames; ++frame) {
    feed(sim_s, sim_s + kFrameS);
    sim_s += kFrameS;
    const auto start = std::chrono::steady_clock::now();
    platform.NewFrame();
    renderer.NewFrame();
    ImGui::NewFrame();
    draw(sim_s);
    ImGui::Render();
    renderer.Render(ImGui::GetDrawData());
    const auto end = std::chrono::steady_clock::now();
    if (frame >= kWarmUpFrames) {
      frame_ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    }
  }
  return frame_ms;
}

Figures MeasureRoomMonitor(int frames, int width, int height, int wave_rows) {
  ImGui::CreateContext();
  // A benchmark leaves nothing behind: no imgui.ini in the working folder.
  ImGui::GetIO().IniFilename = nullptr;
  monitor::MonitorModel model;
  v1::DeviceWelcome welcome;
  welcome.set_session_id("bench");
  welcome.set_device_name("monitor");
  *welcome.mutable_snapshot() = SyntheticSession();
  model.Joined(welcome);
  monitor::MonitorApp app(
      model, [](const v1::LearnerAction&) {}, nullptr);
  app.SetWaveRows(wave_rows);
  app.LoadFonts(ImVec2(static_cast<float>(width), static_cast<float>(height)));
  bool measuring = false;
  std::vector<double> frame_ms = Measure(
      frames, width, height,
      [&](double from_s, double to_s) {
        for (const v1::SessionUpdate& update : Updates(from_s, to_s)) model.Apply(update);
      },
      [&](double now_s) {
        app.Frame(now_s);
        // A measurement going on: the cuff pressure is drawn too.
        if (!measuring) measuring = app.Press("nibp");
      });
  ImGui::DestroyContext();
  return Summarise(std::move(frame_ms));
}

Figures MeasureDashboardMonitor(int frames, int width, int height) {
  ImGui::CreateContext();
  // A benchmark leaves nothing behind: no imgui.ini in the working folder.
  ImGui::GetIO().IniFilename = nullptr;
  const dashboard::Fonts fonts = dashboard::LoadFontsAndStyle(1.0f);
  dashboard::SessionModel model;
  v1::SessionUpdate snapshot;
  *snapshot.mutable_snapshot() = SyntheticSession();
  model.Apply(snapshot);
  dashboard::SessionView view;
  dashboard::AlarmTracker alarms;
  std::vector<double> frame_ms = Measure(
      frames, width, height,
      [&](double from_s, double to_s) {
        for (const v1::SessionUpdate& update : Updates(from_s, to_s)) model.Apply(update);
      },
      [&](double now_s) {
        model.CopyInto(view);
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
        ImGui::Begin("monitor", nullptr, ImGuiWindowFlags_NoDecoration);
        const std::array<double, dashboard::kTraceCount> windows =
            dashboard::DrawMonitor({view, nullptr, alarms, fonts, now_s});
        ImGui::End();
        model.SetTraceWindows(windows);
      });
  ImGui::DestroyContext();
  return Summarise(std::move(frame_ms));
}

int Run(int frames, int width, int height, int wave_rows, const std::string& json_path) {
  const Figures room = MeasureRoomMonitor(frames, width, height, wave_rows);
  const Figures dashboard = MeasureDashboardMonitor(frames, width, height);
  for (const auto& [name, figures] :
       {std::pair<const char*, const Figures&>{"pedisim-monitor", room},
        std::pair<const char*, const Figures&>{"dashboard monitor view", dashboard}}) {
    fmt::print(
        "{}: {} frames at {}x{} (software renderer): p50 {:.2f} ms, p99 {:.2f} ms, "
        "max {:.2f} ms, {:.0f} fps\n",
        name, figures.frame_ms.size(), width, height, figures.p50, figures.p99, figures.max,
        figures.fps);
  }
  fmt::print("pedisim-monitor: {} waveform rows; the dashboard's view: its four\n", wave_rows);
  if (!json_path.empty()) {
    const std::string baseline = "the dashboard's monitor view, same waveforms, same run";
    bench::JsonObject out;
    out.Add("frames", static_cast<uint64_t>(room.frame_ms.size()))
        .Add("width", width)
        .Add("height", height)
        .Add("wave_rows", wave_rows)
        .Add("p50_ms", room.p50)
        .Add("p99_ms", room.p99)
        .Add("max_ms", room.max)
        .Add("fps", room.fps)
        .Add("dashboard_p50_ms", dashboard.p50)
        .Add("dashboard_p99_ms", dashboard.p99)
        .Add("figures",
             bench::FiguresJson({
                 {fmt::format("room monitor frame at {}x{}, {} waveform rows: p50", width, height,
                              wave_rows),
                  room.p50, "ms", dashboard.p50, baseline},
                 {fmt::format("room monitor frame at {}x{}, {} waveform rows: p99", width, height,
                              wave_rows),
                  room.p99, "ms", dashboard.p99, baseline},
                 {"room monitor frames per second", room.fps, "fps", dashboard.fps, baseline},
             }));
    out.WriteTo(json_path);
  }
  return 0;
}

}  // namespace
}  // namespace pedisim

int main(int argc, char** argv) {
  int frames = 600;
  int wave_rows = 5;  // the "five waveforms": ECG II cascaded over two rows
  std::string size = "1920x1080";
  std::string json_path;
  bool quick = false;
  CLI::App cli{
      "Frame time of pedisim-monitor's screen against the dashboard's monitor view, same "
      "waveforms, same run, software renderer"};
  cli.add_option("--frames", frames, "Frames to measure for each (after 30 of warm-up)")
      ->check(CLI::Range(1, 1000000));
  cli.add_option("--size", size, "WIDTHxHEIGHT");
  cli.add_option("--json", json_path, "Also write the figures as one JSON line here (- = stdout)");
  cli.add_option("--rows", wave_rows, "The room monitor's waveform rows (2-6)")
      ->check(CLI::Range(2, 6));
  cli.add_flag("--quick", quick, "120 frames (for ./pedisim bench --quick)");
  CLI11_PARSE(cli, argc, argv);
  int width = 0;
  int height = 0;
  if (std::sscanf(size.c_str(), "%dx%d", &width, &height) != 2 || width < 320 || height < 240) {
    fmt::print(stderr, "--size: expected WIDTHxHEIGHT, got '{}'\n", size);
    return 2;
  }
  if (quick) frames = std::min(frames, 120);
  return pedisim::Run(frames, width, height, wave_rows, json_path);
}
