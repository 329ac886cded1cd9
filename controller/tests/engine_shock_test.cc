// Shocks that can fail (State.shock_odds): the author's odds by attempt and
// energy, one seeded draw per attempt, an event that explains the outcome,
// and transitions that follow it.

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "controller/engine/engine.h"
#include "controller/engine/shock_outcome.h"
#include "controller/tests/learner_actions.h"
#include "core/scenario/scenario_loader.h"

namespace pedisim::engine {
namespace {

// 20 kg, so 40 J is 2 J/kg and 80 J is 4 J/kg. The odds are test values.
constexpr char kCertainOdds[] = R"(
id: shocks
title: Shocks
patient: {age_years: 6, weight_kg: 20}
noise_scale: 0
initial_state: vf
states:
  - name: vf
    vitals: {rhythm: ventricular_fibrillation, heart_rate_bpm: 0}
    shock_odds:
      bands:
        - {attempt: {max: 1}, success_probability: 0}
        - {energy_j_per_kg: {min: 3.8}, success_probability: 1}
    transitions:
      - {to_state: refractory, label: VF after two failed shocks, on_action: {kind: defibrillation, shock_result: failed, count: 2}}
      - {to_state: rosc, label: shock terminates VF, on_action: {kind: defibrillation}}
  - name: refractory
    vitals: {rhythm: ventricular_fibrillation}
    transitions:
      - {to_state: rosc, label: any shock, on_action: {kind: defibrillation}}
  - name: rosc
    terminal: true
    vitals: {rhythm: sinus_tachycardia, heart_rate_bpm: 140}
)";

v1::Scenario Load(const char* yaml) {
  scenario::LoadResult result = scenario::ParseScenario("shocks.yaml", yaml);
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  return result.scenario.value_or(v1::Scenario());
}

v1::Event Shock(const Engine& engine, uint64_t id, double energy_j) {
  v1::Event event;
  event.set_id(id);
  event.set_sim_time_s(engine.sim_time_s());
  event.set_kind(v1::EVENT_KIND_LEARNER_ACTION);
  event.set_agent(v1::AGENT_LEARNER);
  *event.mutable_action() = testing::ActionOf(v1::ACTION_KIND_DEFIBRILLATION);
  event.mutable_action()->set_energy_j(energy_j);
  return event;
}

std::vector<v1::Event> OfKind(const std::vector<v1::Event>& events, v1::EventKind kind) {
  std::vector<v1::Event> found;
  for (const v1::Event& event : events) {
    if (event.kind() == kind) found.push_back(event);
  }
  return found;
}

TEST(EngineShockTest, AFailedShockLeavesTheRhythmAndSaysWhy) {
  Engine engine(Load(kCertainOdds), 7);
  engine.Begin(1);
  engine.Step(10);
  const std::vector<v1::Event> events = engine.Apply(Shock(engine, 20, 40), 21);
  const std::vector<v1::Event> outcomes = OfKind(events, v1::EVENT_KIND_SHOCK_OUTCOME);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].summary(), "shock 1 at 2.0 J/kg did not terminate VF (odds 0 %)");
  EXPECT_EQ(outcomes[0].cause_event_id(), 20u);
  EXPECT_FALSE(outcomes[0].shock_outcome().terminated());
  EXPECT_EQ(outcomes[0].shock_outcome().attempt(), 1u);
  EXPECT_EQ(outcomes[0].shock_outcome().band(), 0);
  EXPECT_EQ(outcomes[0].shock_outcome().rhythm(), v1::RHYTHM_VENTRICULAR_FIBRILLATION);
  EXPECT_EQ(engine.current_state(), "vf");
  EXPECT_EQ(engine.Vitals().rhythm(), v1::RHYTHM_VENTRICULAR_FIBRILLATION);
}

TEST(EngineShockTest, ASuccessfulShockTakesTheTransitionTheAuthorWrote) {
  Engine engine(Load(kCertainOdds), 7);
  engine.Begin(1);
  engine.Apply(Shock(engine, 20, 40), 21);
  const std::vector<v1::Event> events = engine.Apply(Shock(engine, 30, 80), 31);
  const std::vector<v1::Event> outcomes = OfKind(events, v1::EVENT_KIND_SHOCK_OUTCOME);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].summary(), "shock 2 at 4.0 J/kg terminated VF (odds 100 %)");
  const std::vector<v1::Event> entered = OfKind(events, v1::EVENT_KIND_STATE_ENTERED);
  ASSERT_EQ(entered.size(), 1u);
  EXPECT_EQ(entered[0].state_change().to_state(), "rosc");
  EXPECT_EQ(entered[0].cause_event_id(), 30u) << "the shock, not its outcome, causes the entry";
  EXPECT_EQ(engine.Vitals().rhythm(), v1::RHYTHM_SINUS_TACHYCARDIA);
}

TEST(EngineShockTest, FailedShocksCountForAFailedShockTransition) {
  Engine engine(Load(kCertainOdds), 7);
  engine.Begin(1);
  engine.Apply(Shock(engine, 20, 40), 21);  // attempt 1: odds 0
  // Attempt 2 at 2 J/kg: no band covers it, so it does not end VF.
  const std::vector<v1::Event> events = engine.Apply(Shock(engine, 30, 40), 31);
  const std::vector<v1::Event> outcomes = OfKind(events, v1::EVENT_KIND_SHOCK_OUTCOME);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].summary(),
            "shock 2 at 2.0 J/kg did not terminate VF (no odds cover this shock)");
  EXPECT_EQ(outcomes[0].shock_outcome().band(), -1);
  EXPECT_EQ(engine.current_state(), "refractory");
  // A state without odds decides nothing: every shock counts, and the
  // attempt number goes on counting for the next state that has odds.
  const std::vector<v1::Event> later = engine.Apply(Shock(engine, 40, 80), 41);
  EXPECT_TRUE(OfKind(later, v1::EVENT_KIND_SHOCK_OUTCOME).empty());
  EXPECT_EQ(engine.current_state(), "rosc");
}

// Odds of one half: the seed decides, always the same way for one seed.
constexpr char kEvenOdds[] = R"(
id: even
title: Even odds
patient: {age_years: 6, weight_kg: 20}
noise_scale: 0
initial_state: vf
states:
  - name: vf
    vitals: {rhythm: ventricular_fibrillation, heart_rate_bpm: 0}
    shock_odds:
      bands:
        - {success_probability: 0.5}
    transitions:
      - {to_state: rosc, label: shock terminates VF, on_action: {kind: defibrillation}}
  - name: rosc
    terminal: true
    vitals: {rhythm: sinus, heart_rate_bpm: 110}
)";

// The attempt at which VF ends under `seed` (0 = not within ten shocks) and
// the serialized events of the run.
std::pair<int, std::string> ShootUntilTerminated(uint64_t seed) {
  Engine engine(Load(kEvenOdds), seed);
  std::string trace;
  for (const v1::Event& event : engine.Begin(1)) trace += event.SerializeAsString();
  for (int attempt = 1; attempt <= 10; ++attempt) {
    engine.Step(100);
    for (const v1::Event& event : engine.Apply(Shock(engine, 10 * attempt, 40), 200)) {
      trace += event.SerializeAsString();
    }
    if (engine.current_state() == "rosc") return {attempt, trace};
  }
  return {0, trace};
}

TEST(EngineShockTest, TheSeedDecidesAndDecidesTheSameEveryTime) {
  std::set<int> attempts_that_ended_vf;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    const auto [attempt, trace] = ShootUntilTerminated(seed);
    const auto [again, trace_again] = ShootUntilTerminated(seed);
    EXPECT_EQ(attempt, again) << "seed " << seed;
    EXPECT_EQ(trace, trace_again) << "seed " << seed;
    attempts_that_ended_vf.insert(attempt);
  }
  EXPECT_GT(attempts_that_ended_vf.size(), 1u) << "with odds of one half, seeds differ";
}

TEST(EngineShockTest, BetterOddsNeverTurnASuccessIntoAFailure) {
  v1::ShockOdds low;
  low.add_bands()->set_success_probability(0.3);
  v1::ShockOdds high;
  high.add_bands()->set_success_probability(0.6);
  int low_successes = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    for (uint32_t attempt = 1; attempt <= 3; ++attempt) {
      const bool with_low =
          DecideShock(low, attempt, 2, v1::RHYTHM_VENTRICULAR_FIBRILLATION, seed).terminated();
      const bool with_high =
          DecideShock(high, attempt, 4, v1::RHYTHM_VENTRICULAR_FIBRILLATION, seed).terminated();
      if (with_low) ++low_successes;
      EXPECT_TRUE(!with_low || with_high) << "seed " << seed << " attempt " << attempt;
    }
  }
  // 600 draws at 0.3: the count is fixed by the seeds, and near 180.
  EXPECT_GT(low_successes, 120);
  EXPECT_LT(low_successes, 240);
}

}  // namespace
}  // namespace pedisim::engine
