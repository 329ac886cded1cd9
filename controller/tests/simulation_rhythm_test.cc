// A handler's rhythm for a while as the room sees it: the monitor's
// numerics show it at once and the ECG waveform follows it.

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "controller/session/simulation.h"
#include "controller/tests/learner_actions.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::session {
namespace {

// The pause lasts 6 s [test value].
constexpr char kSvt[] = R"(
id: svt
title: SVT
patient: {age_months: 6, weight_kg: 7}
noise_scale: 0
initial_state: svt
states:
  - name: svt
    vitals: {rhythm: svt, heart_rate_bpm: 260, spo2_pct: 95}
handlers:
  - name: adenosine pause
    on_action: {kind: drug, drug: adenosine}
    rhythm_effect: {rhythm: asystole, duration_s: 6}
    explanation: adenosine blocks the AV node for a few seconds
)";

class Room {
 public:
  Room() : simulation_(Load(), 1, {}, /*waveforms=*/true) {
    simulation_.fan_out().AddWatcher(&collect_);
    simulation_.Begin();
  }
  static v1::Scenario Load() {
    scenario::LoadResult result = scenario::ParseScenario("svt.yaml", kSvt);
    EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
    return result.scenario.value_or(v1::Scenario());
  }
  void RunTo(double t) {
    while (simulation_.engine().sim_time_s() + 1e-9 < t) simulation_.Tick();
  }
  void Act(const v1::LearnerAction& action) {
    v1::Event event =
        simulation_.MakeEvent(v1::EVENT_KIND_LEARNER_ACTION, v1::AGENT_LEARNER, "test", "action");
    *event.mutable_action() = action;
    simulation_.ApplyInput(std::move(event));
  }
  // The peak-to-peak ECG amplitude over [from_s, to_s).
  double EcgSpan(double from_s, double to_s) const {
    float low = 0, high = 0;
    bool any = false;
    for (const v1::SessionUpdate& update : updates_) {
      if (!update.has_waveform() || update.waveform().kind() != v1::WAVEFORM_KIND_ECG_II) continue;
      const v1::WaveformChunk& chunk = update.waveform();
      for (int i = 0; i < chunk.samples_size(); ++i) {
        const double t = chunk.start_sim_time_s() + i / chunk.sample_rate_hz();
        if (t < from_s || t >= to_s) continue;
        low = any ? std::min(low, chunk.samples(i)) : chunk.samples(i);
        high = any ? std::max(high, chunk.samples(i)) : chunk.samples(i);
        any = true;
      }
    }
    EXPECT_TRUE(any) << "no ECG samples in " << from_s << "-" << to_s << " s";
    return high - low;
  }
  // The first numerics sample at or after t.
  v1::VitalsSample VitalsAt(double t) const {
    for (const v1::SessionUpdate& update : updates_) {
      if (update.has_vitals() && update.vitals().sim_time_s() + 1e-9 >= t) return update.vitals();
    }
    ADD_FAILURE() << "no numerics after " << t << " s";
    return v1::VitalsSample();
  }

 private:
  std::vector<v1::SessionUpdate> updates_;
  UpdateCallback collect_{[this](const v1::SessionUpdate& update) { updates_.push_back(update); }};
  Simulation simulation_;
};

TEST(SimulationRhythmTest, TheMonitorAndTheEcgShowAdenosinesPauseThenSvt) {
  Room room;
  room.RunTo(2.05);
  room.Act(testing::Drug("adenosine", 0.7));
  room.RunTo(12);
  // Published in the next step, not up to a second later.
  const v1::VitalsSample paused = room.VitalsAt(2.05);
  EXPECT_LE(paused.sim_time_s(), 2.2);
  EXPECT_EQ(paused.vitals().rhythm(), v1::RHYTHM_ASYSTOLE);
  EXPECT_EQ(paused.vitals().heart_rate_bpm(), 0);
  EXPECT_EQ(room.VitalsAt(8.5).vitals().rhythm(), v1::RHYTHM_SVT);
  const double svt = room.EcgSpan(0, 2);
  const double pause = room.EcgSpan(3, 7.5);
  const double svt_again = room.EcgSpan(9, 12);
  EXPECT_GT(svt, 0.5) << "SVT's complexes, in mV";
  EXPECT_LT(pause, 0.2 * svt) << "a flat line while the AV node is blocked";
  EXPECT_GT(svt_again, 0.5) << "SVT again after the pause";
}

}  // namespace
}  // namespace pedisim::session
