// The running totals of quantities (conditions.proto), computed from the
// learner actions and state entries an ActionLedger was shown.

#include "controller/engine/action_ledger.h"

#include <gtest/gtest.h>

#include <string>

#include "core/scenario/scenario_loader.h"

namespace pedisim::engine {
namespace {

constexpr char kScenario[] = R"(
id: ledger
title: Ledger
patient: {age_years: 5, weight_kg: 20}
quantities:
  - {name: ceftriaxone-mg-per-kg, kind: drug_mg_per_kg, drug: ceftriaxone}
  - {name: epinephrine-mcg-per-kg, kind: drug_mcg_per_kg, drug: epinephrine}
  - {name: ceftriaxone-mg, kind: drug_mg, drug: ceftriaxone}
  - {name: epinephrine-doses, kind: drug_doses, drug: Epinephrine}
  - {name: shocks, kind: shocks}
  - {name: compressions, kind: compressions_s}
  - {name: fluid-after-arrest, kind: fluid_ml_per_kg, window: {from_state: arrest, within_s: 60}}
  - {name: pulse-checks, kind: matching_actions, action: {kind: pulse_check}}
initial_state: shock
states:
  - {name: shock, transitions: [{to_state: arrest, instructor_choice: true}]}
  - {name: arrest, terminal: true}
)";

class ActionLedgerTest : public ::testing::Test {
 protected:
  ActionLedgerTest() : scenario_(Load()), ledger_(scenario_, 20) {}

  static v1::Scenario Load() {
    scenario::LoadResult result = scenario::ParseScenario("ledger.yaml", kScenario);
    EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
    return result.scenario.value_or(v1::Scenario());
  }
  void Record(double t, v1::ActionKind kind, const std::string& drug = "", double dose_mg = 0) {
    v1::LearnerAction action;
    action.set_kind(kind);
    if (!drug.empty()) {
      action.set_drug(drug);
      action.set_dose_mg(dose_mg);
    }
    ledger_.RecordAction(++id_, t, action);
  }
  void Fluid(double t, double volume_ml) {
    v1::LearnerAction action;
    action.set_kind(v1::ACTION_KIND_FLUID_BOLUS);
    action.set_volume_ml(volume_ml);
    ledger_.RecordAction(++id_, t, action);
  }
  double Value(const std::string& name, double now_s) {
    return ledger_.TotalOf(name, now_s).value().value;
  }

  v1::Scenario scenario_;
  ActionLedger ledger_;
  uint64_t id_ = 0;
};

TEST_F(ActionLedgerTest, DrugTotalsPerKgInMicrogramsAbsoluteAndAsDoses) {
  Record(10, v1::ACTION_KIND_DRUG, "ceftriaxone", 1000);
  Record(20, v1::ACTION_KIND_DRUG, "Ceftriaxone", 1000);
  Record(30, v1::ACTION_KIND_DRUG, "epinephrine", 0.2);
  Record(40, v1::ACTION_KIND_DRUG, "epinephrine", 0.2);
  EXPECT_DOUBLE_EQ(Value("ceftriaxone-mg-per-kg", 50), 100);
  EXPECT_DOUBLE_EQ(Value("ceftriaxone-mg", 50), 2000);
  EXPECT_DOUBLE_EQ(Value("epinephrine-mcg-per-kg", 50), 20);
  EXPECT_DOUBLE_EQ(Value("epinephrine-doses", 50), 2);
  // Only what was logged by now counts.
  EXPECT_DOUBLE_EQ(Value("ceftriaxone-mg", 15), 1000);
  const ActionLedger::Total total = *ledger_.TotalOf("epinephrine-doses", 50);
  EXPECT_EQ(total.last_event_id, 4u);
  EXPECT_DOUBLE_EQ(total.last_time_s, 40);
  EXPECT_FALSE(ledger_.TotalOf("no-such-quantity", 50).has_value());
}

TEST_F(ActionLedgerTest, ShocksCountDefibrillationAndCardioversion) {
  Record(5, v1::ACTION_KIND_DEFIBRILLATION);
  Record(6, v1::ACTION_KIND_DEFIBRILLATOR_CHARGED);
  Record(7, v1::ACTION_KIND_SYNCHRONIZED_CARDIOVERSION);
  EXPECT_DOUBLE_EQ(Value("shocks", 10), 2);
  Record(8, v1::ACTION_KIND_PULSE_CHECK);
  EXPECT_DOUBLE_EQ(Value("pulse-checks", 10), 1);
}

TEST_F(ActionLedgerTest, CompressionTimeRunsFromEachStartToItsStop) {
  Record(10, v1::ACTION_KIND_CHEST_COMPRESSIONS_START);
  Record(40, v1::ACTION_KIND_CHEST_COMPRESSIONS_STOP);
  Record(50, v1::ACTION_KIND_CHEST_COMPRESSIONS_START);
  EXPECT_DOUBLE_EQ(Value("compressions", 30), 20) << "running, counted up to now";
  EXPECT_DOUBLE_EQ(Value("compressions", 45), 30);
  EXPECT_DOUBLE_EQ(Value("compressions", 70), 50);
}

TEST_F(ActionLedgerTest, AWindowFromAStateCountsNothingBeforeItOpensOrAfterItCloses) {
  ledger_.RecordStateEntered("shock", 0);
  Fluid(10, 200);
  EXPECT_DOUBLE_EQ(Value("fluid-after-arrest", 20), 0) << "not open before 'arrest'";
  ledger_.RecordStateEntered("arrest", 100);
  Fluid(120, 200);
  Fluid(160, 100);  // exactly at the end: still counts
  Fluid(161, 400);
  EXPECT_DOUBLE_EQ(Value("fluid-after-arrest", 200), 15);
  // A later entry does not move the window: it opens at the first.
  ledger_.RecordStateEntered("shock", 170);
  ledger_.RecordStateEntered("arrest", 180);
  Fluid(185, 400);
  EXPECT_DOUBLE_EQ(Value("fluid-after-arrest", 200), 15);
}

}  // namespace
}  // namespace pedisim::engine
