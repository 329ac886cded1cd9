// How much faster than real time one session runs: the engine alone, and
// the engine with every waveform generated, over an hour of simulated time.
// The baseline is the wall clock itself (1x = real time); the figure of
// merit is simulated seconds per wall second.

#include <benchmark/benchmark.h>

#include "controller/scenario/scenario_loader.h"
#include "controller/session/simulation.h"

namespace pedisim {
namespace {

// A scenario that never ends and keeps changing rhythm, so an hour exercises
// trends, transitions, handlers and every waveform model.
constexpr char kCyclingScenario[] = R"(
id: bench-cycle
title: Benchmark cycle
patient: {age_years: 4}
initial_state: sinus
handlers:
  - {name: oxygen, on_action: {kind: oxygen},
     effects: [{vital: spo2_pct, change: 4, onset_s: 30, hold_s: 60, wear_off_s: 30}]}
states:
  - name: sinus
    trend_duration_s: 20
    vitals: {heart_rate_bpm: 110, spo2_pct: 96, respiratory_rate_bpm: 24, etco2_mmhg: 38,
             nibp_systolic_mmhg: 100, nibp_diastolic_mmhg: 60, rhythm: sinus}
    transitions: [{to_state: svt, after_time_in_state_s: 120}]
  - name: svt
    vitals: {heart_rate_bpm: 240, rhythm: svt}
    transitions: [{to_state: vf, after_time_in_state_s: 120}]
  - name: vf
    vitals: {rhythm: ventricular_fibrillation, respiratory_rate_bpm: 0}
    transitions: [{to_state: sinus, after_time_in_state_s: 120}]
)";

constexpr int kStepsPerHour = 36000;

v1::Scenario LoadCyclingScenario() {
  scenario::LoadResult loaded = scenario::ParseScenario("bench.yaml", kCyclingScenario);
  if (!loaded.ok()) throw std::runtime_error(loaded.FormatDiagnostics());
  return *loaded.scenario;
}

void RunOneHour(benchmark::State& state, bool waveforms) {
  const v1::Scenario scenario = LoadCyclingScenario();
  int64_t updates = 0;
  for (auto _ : state) {
    session::Simulation simulation(scenario, 42, {}, waveforms,
                                   [&](const v1::SessionUpdate&) { ++updates; });
    simulation.Begin();
    for (int step = 0; step < kStepsPerHour; ++step) simulation.Tick();
    benchmark::DoNotOptimize(updates);
  }
  // Simulated seconds per wall second: an hour per iteration.
  state.counters["x_real_time"] = benchmark::Counter(
      3600.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["updates_per_hour"] =
      static_cast<double>(updates) / static_cast<double>(state.iterations());
}

void BM_SessionHourEngineOnly(benchmark::State& state) { RunOneHour(state, false); }
void BM_SessionHourAllWaveforms(benchmark::State& state) { RunOneHour(state, true); }

BENCHMARK(BM_SessionHourEngineOnly)->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK(BM_SessionHourAllWaveforms)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace pedisim

BENCHMARK_MAIN();
