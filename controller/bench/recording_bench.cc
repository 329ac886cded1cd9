// What recording costs and how fast a record is navigated, on an hour of a
// worst-case session (every waveform, a rhythm change every two minutes,
// CPR at 110/min with breaths through every VF period, a bookmark every five
// minutes), in process so the figures are the recorder's own:
//   size      bytes of the record (and its index) per simulated hour;
//   cost      CPU the recorder adds, as a share of one core at real time,
//             against the same hour simulated without a recorder (baseline);
//   seek      opening the record and starting a replay, waveforms included,
//             at random points, against reading from the start to the same
//             point (what a record without keyframes costs);
//   report    the HTML report of the hour, against reading its entries.

#include <time.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <random>

#include "bench/cycling_scenario.h"
#include "bench/load_common.h"
#include "controller/recording/record_player.h"
#include "controller/recording/session_digest.h"
#include "controller/recording/session_recorder.h"
#include "controller/session/simulation.h"

namespace pedisim::bench {
namespace {

constexpr uint64_t kSteps = 36000;  // one simulated hour

double CpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

using Wall = std::chrono::steady_clock;
double MsSince(Wall::time_point start) {
  return std::chrono::duration<double, std::milli>(Wall::now() - start).count();
}

v1::Event Input(const session::Simulation& simulation, v1::ActionKind kind) {
  v1::Event event =
      simulation.MakeEvent(v1::EVENT_KIND_LEARNER_ACTION, v1::AGENT_LEARNER, "manikin", "");
  event.mutable_action()->set_kind(kind);
  if (kind == v1::ACTION_KIND_CHEST_COMPRESSION) {
    event.mutable_action()->mutable_compression()->set_depth_mm(52);
    event.mutable_action()->mutable_compression()->set_rate_per_min(110);
    event.mutable_action()->mutable_compression()->set_full_recoil(true);
  }
  return event;
}

// One simulated hour; with `recorder`, recorded as a live session records
// (a flush each simulated second, as at real time).
// `stream_bytes` (when given) counts the bytes of every update published:
// what storing the live stream, waveforms included, would take.
void RunHour(const v1::Scenario& scenario, recording::SessionRecorder* recorder,
             uint64_t* stream_bytes = nullptr) {
  session::Simulation simulation(scenario, 7, {}, /*waveforms=*/true);
  simulation.fan_out().SetRecorder(recorder);
  session::UpdateCallback count_bytes([&](const v1::SessionUpdate& update) {
    if (stream_bytes) *stream_bytes += update.ByteSizeLong();
  });
  simulation.fan_out().AddWatcher(&count_bytes);
  simulation.Begin();
  double next_compression_s = 0;
  for (uint64_t step = 1; step <= kSteps; ++step) {
    const double now = simulation.engine().sim_time_s();
    const bool in_vf = simulation.engine().current_state() == "vf";
    // CPR at 110/min and 10 breaths/min through VF.
    if (in_vf && now + 1e-9 >= next_compression_s) {
      simulation.ApplyInput(Input(simulation, v1::ACTION_KIND_CHEST_COMPRESSION));
      next_compression_s = now + 60.0 / 110;
      if (step % 60 == 0) simulation.ApplyInput(Input(simulation, v1::ACTION_KIND_VENTILATION));
    }
    if (step % 3000 == 0) {
      v1::Event mark =
          simulation.MakeEvent(v1::EVENT_KIND_BOOKMARK, v1::AGENT_INSTRUCTOR, "", "bookmark");
      mark.mutable_bookmark()->set_label("every five minutes");
      simulation.Record(std::move(mark));
    }
    simulation.Tick();
    if (recorder) {
      recorder->OnStepEnd(simulation.engine().step(), simulation.waveform_inputs(),
                          simulation.waveform_generator(), [&] {
                            v1::Session snapshot;
                            simulation.FillSnapshot(&snapshot, true);
                            return snapshot;
                          });
      if (step % 10 == 0) recorder->Flush();
    }
  }
  if (recorder) {
    v1::Session final_session;
    simulation.FillSnapshot(&final_session, false);
    recorder->Finish(final_session, simulation.engine().step());
  }
}

int Main(int argc, char** argv) {
  CLI::App app("recording_bench: size, cost, seek and report time of an hour's record");
  std::string json_path = "-";
  int seeks = 200;
  app.add_option("--json", json_path, "Write the figures as one JSON line here (- = stdout)");
  app.add_option("--seeks", seeks, "Random seeks to time");
  CLI11_PARSE(app, argc, argv);

  const v1::Scenario scenario = LoadCyclingScenario();
  const std::filesystem::path folder = std::filesystem::temp_directory_path() /
                                       ("pedisim-recording-bench-" + std::to_string(getpid()));
  std::filesystem::remove_all(folder);

  // Cost: the same hour without and with the recorder, best of two each.
  double baseline_cpu = 1e9, recorded_cpu = 1e9;
  uint64_t stream_bytes = 0;
  for (int round = 0; round < 2; ++round) {
    double start = CpuSeconds();
    RunHour(scenario, nullptr, round == 0 ? &stream_bytes : nullptr);
    baseline_cpu = std::min(baseline_cpu, CpuSeconds() - start);
    std::filesystem::remove_all(folder);
    v1::RecordHeader header;
    header.set_session_id("bench");
    *header.mutable_scenario() = scenario;
    header.set_seed(7);
    recording::SessionRecorder recorder(folder, header);
    start = CpuSeconds();
    RunHour(scenario, &recorder);
    recorded_cpu = std::min(recorded_cpu, CpuSeconds() - start);
  }
  const std::filesystem::path record = folder / recording::SessionRecorder::kRecordName;
  const uint64_t record_bytes = std::filesystem::file_size(record);
  const uint64_t index_bytes = std::filesystem::file_size(recording::IndexPathFor(record));
  const double recorder_cpu = std::max(0.0, recorded_cpu - baseline_cpu);

  // Seek: open + start a replay with waveforms at random points, until the
  // first update at the start point; baseline: read from the start to it.
  std::mt19937 random(1);
  std::uniform_real_distribution<double> anywhere(0, 3599);
  std::vector<float> seek_ms, sequential_ms;
  for (int i = 0; i < seeks; ++i) {
    const double at_s = anywhere(random);
    Wall::time_point start = Wall::now();
    recording::RecordPlayer::Options options;
    options.from_s = at_s;
    options.waveforms = true;
    recording::RecordPlayer player(record, options);
    recording::RecordPlayer::Played played;
    while (player.Next(&played) && played.catching_up) {
    }
    seek_ms.push_back(static_cast<float>(MsSince(start)));

    start = Wall::now();
    recording::RecordReader reader(record);
    v1::RecordEntry entry;
    const auto target = static_cast<uint64_t>(at_s * 10);
    while (reader.Next(&entry) && entry.step() < target) {
    }
    sequential_ms.push_back(static_cast<float>(MsSince(start)));
  }
  const LatencySummary seek = Summarize(seek_ms);
  const LatencySummary sequential = Summarize(sequential_ms);

  // Report: digest + HTML, best of three; baseline: reading every entry.
  double report_ms = 1e9, read_ms = 1e9;
  size_t html_bytes = 0;
  for (int round = 0; round < 3; ++round) {
    Wall::time_point start = Wall::now();
    const std::string html = recording::RenderHtmlReport(recording::DigestRecord(record));
    report_ms = std::min(report_ms, MsSince(start));
    html_bytes = html.size();
    start = Wall::now();
    recording::RecordReader reader(record);
    v1::RecordEntry entry;
    while (reader.Next(&entry)) {
    }
    read_ms = std::min(read_ms, MsSince(start));
  }
  std::filesystem::remove_all(folder);

  JsonObject out;
  out.Add("simulated_hours", 1.0)
      .Add("record_mb_per_hour", static_cast<double>(record_bytes + index_bytes) / 1e6)
      .Add("record_bytes", record_bytes)
      .Add("live_stream_bytes", stream_bytes)
      .Add("index_bytes", index_bytes)
      .Add("baseline_engine_cpu_s", baseline_cpu)
      .Add("recorder_cpu_s", recorder_cpu)
      .Add("recorder_core_percent_at_real_time", 100.0 * recorder_cpu / 3600.0)
      .Add("recorder_vs_engine_ratio", baseline_cpu > 0 ? recorder_cpu / baseline_cpu : 0.0)
      .Add("seek", seek)
      .Add("sequential_read_to_same_point", sequential)
      .Add("seek_ratio_p50", sequential.p50_ms > 0 ? seek.p50_ms / sequential.p50_ms : 0.0)
      .Add("report_html_ms", report_ms)
      .Add("report_html_bytes", static_cast<uint64_t>(html_bytes))
      .Add("read_all_entries_ms", read_ms)
      .Add("report_ratio", read_ms > 0 ? report_ms / read_ms : 0.0)
      .Add("figures",
           FiguresJson({
               {"record size per simulated hour (worst case: every waveform, CPR)",
                static_cast<double>(record_bytes + index_bytes) / 1e6, "MB",
                static_cast<double>(stream_bytes) / 1e6,
                "every update it streamed live, waveforms included, as protobuf"},
               {"recorder CPU per simulated hour", recorder_cpu, "s", baseline_cpu,
                "the same hour simulated, unrecorded"},
               {"seek and start a replay: p50", seek.p50_ms, "ms", sequential.p50_ms,
                "reading from the start to the same point"},
               {"seek and start a replay: p99", seek.p99_ms, "ms", sequential.p99_ms,
                "reading from the start to the same point"},
               {"HTML report of the hour", report_ms, "ms", read_ms, "reading every entry"},
           }));
  std::cout << "record: " << (record_bytes + index_bytes) / 1e6 << " MB per simulated hour\n"
            << "recorder: " << recorder_cpu << " s CPU per hour = " << 100.0 * recorder_cpu / 3600.0
            << " % of a core at real time (engine " << baseline_cpu << " s)\n"
            << "seek: p50 " << seek.p50_ms << " ms, p99 " << seek.p99_ms << " ms, max "
            << seek.max_ms << " ms (reading from the start: p50 " << sequential.p50_ms << " ms)\n"
            << "HTML report: " << report_ms << " ms (reading the entries: " << read_ms << " ms)\n";
  out.WriteTo(json_path);
  return 0;
}

}  // namespace
}  // namespace pedisim::bench

int main(int argc, char** argv) { return pedisim::bench::Main(argc, argv); }
