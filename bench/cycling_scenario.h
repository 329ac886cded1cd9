#pragma once

// The benchmarks' scenario: it never ends and keeps changing rhythm (sinus,
// SVT, VF, two minutes each), so an hour exercises trends, transitions,
// handlers and every waveform model.

#include <stdexcept>

#include "core/scenario/scenario_loader.h"

namespace pedisim::bench {

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

inline v1::Scenario LoadCyclingScenario() {
  scenario::LoadResult loaded = scenario::ParseScenario("bench.yaml", kCyclingScenario);
  if (!loaded.ok()) throw std::runtime_error(loaded.FormatDiagnostics());
  return *loaded.scenario;
}

}  // namespace pedisim::bench
