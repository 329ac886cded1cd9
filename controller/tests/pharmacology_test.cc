// The pharmacology layer: the drug files load clean and say where each
// number comes from; every drug responds as its file states in every age
// band at a tenth, the usual and ten times the dose; the same doses give
// the same levels bit for bit; docs/pharmacology.md holds the table the
// models give; and in the toddler-anaphylaxis case a ten-fold epinephrine
// dose harms the child, with the drug named as the cause.

#include "controller/engine/pharmacology.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "controller/engine/drug_response.h"
#include "controller/engine/engine.h"
#include "controller/tests/learner_actions.h"
#include "core/pharmacology/drug_library.h"
#include "core/scenario/scenario_loader.h"
#include "core/vitals/vital_table.h"

namespace pedisim::engine {
namespace {

const std::filesystem::path kScenarios = PEDISIM_SOURCE_DIR "/scenarios";

const pharmacology::DrugLibrary& Library() {
  static const pharmacology::DrugLibrary library =
      pharmacology::DrugLibrary::LoadFolder(kScenarios / "pharmacology");
  return library;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(PharmacologyLibraryTest, TheDrugFilesLoadCleanAndModelEveryDrugTheIssueLists) {
  EXPECT_TRUE(Library().diagnostics().empty())
      << scenario::FormatDiagnostics(Library().diagnostics());
  for (const char* drug : {"epinephrine", "adenosine", "amiodarone", "atropine", "calcium chloride",
                           "sodium bicarbonate", "dextrose", "naloxone", "midazolam", "lorazepam",
                           "levetiracetam", "fentanyl", "ketamine", "salbutamol", "albuterol",
                           "ceftriaxone", "normal saline", "balanced crystalloid", "oxygen"}) {
    EXPECT_NE(Library().Find(drug), nullptr) << drug << " has no model";
  }
  EXPECT_NE(Library().Find("adrenaline"), nullptr) << "aliases find their drug";
}

TEST(PharmacologyLibraryTest, ABadModelIsAnErrorAtItsLineAndColumnWithAFix) {
  const pharmacology::DrugModelResult result =
      pharmacology::ParseDrugModel("pharmacology/calm.yaml",
                                   R"(name: calm
reference_dose_per_kg: 0.1
sources: [x]
routes:
  - {routes: [IV], usual_dose_per_kg: 0.1, source: x}
kinetics: {half_life_min: 10, reference_weight_kg: 10, source: x}
responses:
  - {vital: heart_rate, max_change: -10, half_effect_level: 0.5, source: x}
  - {vital: spo2_pct, max_change: -5, half_effect_level: 0.5}
)");
  ASSERT_FALSE(result.ok());
  const std::string text = result.FormatDiagnostics();
  EXPECT_NE(text.find("calm.yaml:8:"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'heart_rate_bpm'"), std::string::npos) << text;
  EXPECT_NE(text.find("calm.yaml:9:"), std::string::npos) << text;
  EXPECT_NE(text.find("names no source"), std::string::npos) << text;
}

TEST(PharmacologyLibraryTest, AScenarioSaysWhichDrugsItScriptsAndIsWarnedOfDoubleEffects) {
  constexpr char kScenario[] = R"(id: double
title: Double
patient: {age_years: 2, weight_kg: 12}
initial_state: calm
pharmacology: {enabled: true, scripted: [oxygen, salbutamol, adrenalin]}
states:
  - name: calm
    vitals: {heart_rate_bpm: 120}
handlers:
  - name: epinephrine raises the pressure
    on_action: {kind: drug, drug: epinephrine}
    effects: [{vital: nibp_systolic_mmhg, change: 6, onset_s: 60, hold_s: 60, wear_off_s: 60}]
)";
  const scenario::LoadResult result =
      scenario::ParseScenario("double.yaml", kScenario, {}, nullptr, &Library());
  const std::string text = result.FormatDiagnostics();
  EXPECT_NE(text.find("double.yaml:5:"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'adrenaline'?"), std::string::npos) << text;

  std::string fixed(kScenario);
  fixed.replace(fixed.find(", adrenalin]"), 12, "]");
  const scenario::LoadResult loaded =
      scenario::ParseScenario("double.yaml", fixed, {}, nullptr, &Library());
  ASSERT_TRUE(loaded.ok()) << loaded.FormatDiagnostics();
  const std::string warnings = loaded.FormatDiagnostics();
  EXPECT_NE(warnings.find("double.yaml:12:"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("which the pharmacology layer also models"), std::string::npos)
      << warnings;
  // Every model but the scripted ones travels with the scenario.
  const v1::PharmacologySettings& settings = loaded.scenario->pharmacology();
  EXPECT_EQ(settings.models_size(), static_cast<int>(Library().models().size()) - 2);
  for (const v1::DrugModel& model : settings.models()) {
    EXPECT_NE(model.name(), "oxygen");
    EXPECT_NE(model.name(), "salbutamol");
  }
}

// What the drug file promises, checked in every age band.
TEST(PharmacologyValidationTest, EveryDrugRespondsAsItsFileStatesInEveryAgeBand) {
  int checked = 0;
  for (const v1::DrugModel& model : Library().models()) {
    // A drug that moves no vital the monitor shows (ceftriaxone: a dose
    // check only; naloxone alone) states none; one that moves some must.
    EXPECT_EQ(model.expected().empty(), model.responses().empty())
        << model.name() << ": responses and expected responses go together";
    const double minutes = SimulatedMinutes(model);
    for (const v1::ExpectedResponse& expected : model.expected()) {
      for (const TestPatient& patient : TestPatients()) {
        SCOPED_TRACE(model.name() + " " + expected.route() + " " + expected.vital() + " in a " +
                     patient.band);
        // Oxygen's "doses" are flows: 1, 5 and 15 L/min.
        const bool oxygen = model.given_by() == v1::ACTION_KIND_OXYGEN;
        const double low = oxygen ? 1 : 0.1, usual = oxygen ? 5 : 1, high = oxygen ? 15 : 10;
        std::map<double, VitalResponse> by_dose;
        for (double multiple : {low, usual, high}) {
          const std::optional<DoseResponse> response =
              SimulateDose(model, expected.route(), multiple, patient, minutes);
          ASSERT_TRUE(response.has_value());
          for (const VitalResponse& vital : response->vitals) {
            if (vital.vital == expected.vital()) by_dose[multiple] = vital;
          }
        }
        ASSERT_EQ(by_dose.size(), 3u) << "no response on " << expected.vital();
        const VitalResponse& at_usual = by_dose[usual];
        EXPECT_GT(at_usual.peak_change * expected.direction(), 0) << at_usual.peak_change;
        EXPECT_GT(by_dose[high].peak_change * expected.direction(), 0);
        EXPECT_LT(std::abs(by_dose[low].peak_change), std::abs(at_usual.peak_change));
        EXPECT_LT(std::abs(at_usual.peak_change), std::abs(by_dose[high].peak_change));
        EXPECT_GE(at_usual.peak_after_min, expected.peak_after_min_low());
        EXPECT_LE(at_usual.peak_after_min, expected.peak_after_min_high());
        if (expected.returned_by_min() > 0) {
          ASSERT_TRUE(at_usual.returned_after_min.has_value()) << "never returns";
          EXPECT_LE(*at_usual.returned_after_min, expected.returned_by_min());
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(PharmacologyValidationTest, TheSameDosesGiveTheSameLevelsBitForBit) {
  const v1::DrugModel* epinephrine = Library().Find("epinephrine");
  ASSERT_NE(epinephrine, nullptr);
  auto run = [&] {
    v1::PharmacologySettings settings;
    settings.set_enabled(true);
    *settings.add_models() = *epinephrine;
    Pharmacology layer(settings, 12, 2);
    layer.Give(testing::Drug("epinephrine", 0.12, "IM"));
    std::vector<double> changes;
    for (int step = 0; step < 3000; ++step) {
      layer.Advance(Engine::kStepS);
      if (step == 700) layer.Give(testing::Drug("adrenaline", 1.2, "IV"));
      changes.push_back(layer.Change(0, 120));
    }
    return changes;
  };
  const std::vector<double> first = run();
  const std::vector<double> second = run();
  ASSERT_EQ(first.size(), second.size());
  EXPECT_EQ(std::memcmp(first.data(), second.data(), first.size() * sizeof(double)), 0);
}

// Naloxone alone moves nothing; given after ten times the fentanyl dose
// it lifts the breathing the opioid depressed (an antagonist, pharmacology.md
// §6.7).
TEST(PharmacologyValidationTest, NaloxoneReversesAnOpioidsRespiratoryDepression) {
  v1::PharmacologySettings settings;
  settings.set_enabled(true);
  *settings.add_models() = *Library().Find("fentanyl");
  *settings.add_models() = *Library().Find("naloxone");
  const int rr = *vitals::VitalFieldIndex("respiratory_rate_bpm");
  auto depression_after = [&](bool naloxone) {
    Pharmacology layer(settings, 20, 6);
    layer.Give(testing::Drug("fentanyl", 0.2, "IV"));  // 10 ug/kg: ten times 1 ug/kg
    for (int step = 0; step < 1200; ++step) layer.Advance(Engine::kStepS);  // 2 min
    if (naloxone) layer.Give(testing::Drug("naloxone", 2, "IV"));           // 0.1 mg/kg
    for (int step = 0; step < 1800; ++step) layer.Advance(Engine::kStepS);  // 3 min more
    return layer.Change(rr, 22);
  };
  const double without = depression_after(false);
  const double with = depression_after(true);
  EXPECT_LT(without, -5) << "ten times the fentanyl dose depresses breathing";
  EXPECT_GT(with, without / 2) << "naloxone takes back at least half of it";
}

v1::LearnerAction Bolus(double volume_ml) {
  v1::LearnerAction action = testing::Fluid(volume_ml);
  action.set_route("IV");
  return action;
}

// Fluid as a model: a bolus raises the pressure with diminishing returns;
// past the overload threshold the saturation falls and crackles begin.
TEST(PharmacologyValidationTest, FluidHasDiminishingReturnsThenOverloads) {
  v1::PharmacologySettings settings;
  settings.set_enabled(true);
  *settings.add_models() = *Library().Find("normal_saline");
  Pharmacology layer(settings, 20, 6);
  const int systolic = *vitals::VitalFieldIndex("nibp_systolic_mmhg");
  const int spo2 = *vitals::VitalFieldIndex("spo2_pct");
  std::vector<double> rise_per_bolus;
  bool overloaded = false;
  for (int bolus = 0; bolus < 4; ++bolus) {
    const double before = layer.Change(systolic, 80);
    layer.Give(Bolus(400));  // 20 mL/kg
    double peak = before;
    for (int step = 0; step < 6000; ++step) {  // 10 minutes
      for (const Pharmacology::ToxicChange& change : layer.Advance(Engine::kStepS)) {
        overloaded =
            overloaded ||
            (change.began &&
             layer.model(change.drug).toxicities(change.toxicity).description().find("overload") !=
                 std::string::npos);
      }
      peak = std::max(peak, layer.Change(systolic, 80));
    }
    rise_per_bolus.push_back(peak - before);
    if (bolus == 0) {
      EXPECT_FALSE(overloaded) << "one 20 mL/kg bolus is no overload";
    }
  }
  EXPECT_GT(rise_per_bolus[0], 0);
  EXPECT_LT(rise_per_bolus[2], rise_per_bolus[0]) << "diminishing returns";
  EXPECT_TRUE(overloaded) << "80 mL/kg in 40 minutes";
  EXPECT_LT(layer.Change(spo2, 97), -0.5) << "the overloaded lungs desaturate";
}

// Oxygen as a model: the saturation rises with the device's FiO2, less as
// the shunt grows, not at all past no_gain_shunt_fraction.
TEST(PharmacologyValidationTest, OxygenRaisesTheSaturationLessThroughAShunt) {
  const int spo2 = *vitals::VitalFieldIndex("spo2_pct");
  auto gain = [&](double shunt, v1::OxygenDevice device, double flow) {
    v1::PharmacologySettings settings;
    settings.set_enabled(true);
    settings.set_shunt_fraction(shunt);
    *settings.add_models() = *Library().Find("oxygen");
    Pharmacology layer(settings, 20, 6);
    v1::LearnerAction oxygen = testing::ActionOf(v1::ACTION_KIND_OXYGEN);
    oxygen.set_oxygen_device(device);
    oxygen.set_oxygen_flow_l_per_min(flow);
    EXPECT_TRUE(layer.Give(oxygen).has_value());
    for (int step = 0; step < 3000; ++step) layer.Advance(Engine::kStepS);  // 5 minutes
    return layer.Change(spo2, 85);
  };
  const double open_lung = gain(0, v1::OXYGEN_DEVICE_NON_REBREATHER, 15);
  EXPECT_GT(open_lung, 5);
  EXPECT_LT(gain(0, v1::OXYGEN_DEVICE_NASAL_CANNULA, 1), open_lung) << "less oxygen, less gain";
  EXPECT_LT(gain(0.2, v1::OXYGEN_DEVICE_NON_REBREATHER, 15), open_lung);
  EXPECT_EQ(gain(0.4, v1::OXYGEN_DEVICE_NON_REBREATHER, 15), 0) << "a large shunt: no gain";
}

TEST(PharmacologyTableTest, DocsPharmacologyMdHoldsTheTableTheModelsGive) {
  const std::string doc = ReadFile(PEDISIM_SOURCE_DIR "/docs/pharmacology.md");
  const std::string table = ResponseTable(Library().models());
  EXPECT_NE(doc.find(table), std::string::npos)
      << "docs/pharmacology.md is out of date: run ./pedisim docs (or "
         "build/controller/pedisim-pharmacology-table scenarios --update docs/pharmacology.md)";
}

// The toddler-anaphylaxis case (12 kg), as the controller loads it.
v1::Scenario ToddlerAnaphylaxis() {
  const scenario::GuidelineLibrary guidelines =
      scenario::GuidelineLibrary::LoadFolder(kScenarios / "guidelines");
  scenario::LoadResult result = scenario::LoadScenarioFile(
      kScenarios / "toddler-anaphylaxis" / "scenario.yaml", &guidelines, &Library());
  EXPECT_TRUE(result.ok()) << result.FormatDiagnostics();
  return result.scenario.value_or(v1::Scenario());
}

struct Course {
  double max_hr = 0;
  double max_systolic = 0;
  bool ventricular_tachycardia = false;
  std::string hr_cause;  // the summary of the event the HR names as cause at its peak
};

// Epinephrine IM at 30 s, then five minutes.
Course GiveEpinephrine(double dose_mg) {
  Engine engine(ToddlerAnaphylaxis(), 1);
  std::map<uint64_t, std::string> summaries;
  uint64_t next_id = 1;
  auto keep = [&](const std::vector<v1::Event>& events) {
    for (const v1::Event& event : events) summaries[event.id()] = event.summary();
    if (!events.empty()) next_id = events.back().id() + 1;
  };
  keep(engine.Begin(next_id));
  for (int step = 0; step < 300; ++step) keep(engine.Step(next_id));
  v1::Event given;
  given.set_id(next_id++);
  given.set_kind(v1::EVENT_KIND_LEARNER_ACTION);
  given.set_sim_time_s(engine.sim_time_s());
  *given.mutable_action() = testing::Drug("epinephrine", dose_mg, "IM");
  summaries[given.id()] = "the action";
  keep(engine.Apply(given, next_id));
  Course course;
  for (int step = 0; step < 3000 && !engine.completed(); ++step) {
    keep(engine.Step(next_id));
    const v1::VitalsSample sample = engine.Sample();
    if (sample.vitals().rhythm() == v1::RHYTHM_VENTRICULAR_TACHYCARDIA) {
      course.ventricular_tachycardia = true;
    }
    course.max_systolic = std::max(course.max_systolic, sample.vitals().nibp_systolic_mmhg());
    if (sample.vitals().heart_rate_bpm() > course.max_hr) {
      course.max_hr = sample.vitals().heart_rate_bpm();
      for (const v1::VitalCause& cause : sample.causes()) {
        if (cause.vital() == "heart_rate_bpm") course.hr_cause = summaries[cause.event_id()];
      }
    }
  }
  return course;
}

TEST(PharmacologyEngineTest, ATenfoldEpinephrineDoseHarmsTheToddlerAndTheDebriefNamesTheDrug) {
  const Course usual = GiveEpinephrine(0.12);
  const Course tenfold = GiveEpinephrine(1.2);
  // The usual dose helps as scripted (the state's own vitals) and adds a
  // moderate beta effect; no arrhythmia.
  EXPECT_FALSE(usual.ventricular_tachycardia);
  EXPECT_LT(usual.max_hr, 200);
  // Ten times the dose: extreme tachycardia, hypertension for a toddler in
  // shock (normal systolic 86-106, clinical.md S1), and ventricular
  // tachycardia above the threshold the drug file states.
  EXPECT_GT(tenfold.max_hr, 210);
  EXPECT_GT(tenfold.max_systolic, 106);
  EXPECT_GT(tenfold.max_systolic, usual.max_systolic + 20);
  EXPECT_TRUE(tenfold.ventricular_tachycardia);
  EXPECT_NE(tenfold.hr_cause.find("epinephrine 1.2 mg IM"), std::string::npos) << tenfold.hr_cause;
  EXPECT_NE(tenfold.hr_cause.find("ten times the usual dose"), std::string::npos)
      << tenfold.hr_cause;
}

}  // namespace
}  // namespace pedisim::engine
