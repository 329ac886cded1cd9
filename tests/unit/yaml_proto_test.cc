#include "core/scenario/yaml_proto.h"

#include <gmock/gmock.h>
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/text/enum_names.h"
#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/event.pb.h"
#include "pedisim/v1/grade.pb.h"
#include "pedisim/v1/scenario.pb.h"
#include "scenario_test_support.h"

namespace pedisim::scenario {
namespace {

using ::pedisim::scenario::testing::Lines;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

template <typename Message>
struct Parsed {
  Message message;
  ParseReport report;
  bool ok = false;
};

template <typename Message>
Parsed<Message> Parse(const std::string& content) {
  Parsed<Message> parsed;
  parsed.ok = ParseYamlToMessage("t.yaml", content, parsed.message, parsed.report);
  return parsed;
}

TEST(YamlProtoTest, FillsScalarsOfEveryKind) {
  const auto parsed = Parse<v1::Event>(
      "id: 18446744073709551615\n"
      "sim_time_s: 1.5e2\n"
      "wall_time: {seconds: -5, nanos: +7}\n"
      "agent: instructor\n"
      "kind: EVENT_KIND_BOOKMARK\n"
      "summary: 123\n"
      "bookmark: {label: airway secured}\n");
  ASSERT_TRUE(parsed.ok) << parsed.report.FormatDiagnostics();
  EXPECT_EQ(parsed.message.id(), 18446744073709551615u);
  EXPECT_DOUBLE_EQ(parsed.message.sim_time_s(), 150);
  EXPECT_EQ(parsed.message.wall_time().seconds(), -5);
  EXPECT_EQ(parsed.message.wall_time().nanos(), 7);
  EXPECT_EQ(parsed.message.agent(), v1::AGENT_INSTRUCTOR);
  EXPECT_EQ(parsed.message.kind(), v1::EVENT_KIND_BOOKMARK);
  EXPECT_EQ(parsed.message.summary(), "123");
  EXPECT_EQ(parsed.message.bookmark().label(), "airway secured");
}

TEST(YamlProtoTest, AcceptsYamlBooleanSpellings) {
  for (const char* spelling : {"true", "yes", "On", "TRUE"}) {
    const auto parsed = Parse<v1::State>(std::string("terminal: ") + spelling + "\n");
    ASSERT_TRUE(parsed.ok) << spelling << ": " << parsed.report.FormatDiagnostics();
    EXPECT_TRUE(parsed.message.terminal()) << spelling;
  }
  const auto parsed = Parse<v1::State>("terminal: maybe\n");
  EXPECT_THAT(Lines(parsed.report.diagnostics),
              ElementsAre("t.yaml:1:11: error: expected true or false for terminal, got 'maybe'"));
}

class EnumSpellingTest : public ::testing::TestWithParam<const char*> {};

TEST_P(EnumSpellingTest, AcceptsFullNameShortNameAnyCaseAndNumber) {
  const auto parsed = Parse<v1::Vitals>(std::string("rhythm: ") + GetParam() + "\n");
  ASSERT_TRUE(parsed.ok) << parsed.report.FormatDiagnostics();
  EXPECT_EQ(parsed.message.rhythm(), v1::RHYTHM_SINUS_TACHYCARDIA);
}

INSTANTIATE_TEST_SUITE_P(Spellings, EnumSpellingTest,
                         ::testing::Values("RHYTHM_SINUS_TACHYCARDIA", "rhythm_sinus_tachycardia",
                                           "sinus_tachycardia", "SINUS_TACHYCARDIA",
                                           "Sinus-Tachycardia", "2"));

TEST(YamlProtoTest, ShortEnumNamesDropTheWholeCommonPrefix) {
  const auto parsed = Parse<v1::ActionTrigger>("kind: oxygen\n");
  ASSERT_TRUE(parsed.ok) << parsed.report.FormatDiagnostics();
  EXPECT_EQ(parsed.message.kind(), v1::ACTION_KIND_OXYGEN);
}

TEST(YamlProtoTest, EnumWordsAreForPeopleAndShortNamesForFiles) {
  EXPECT_EQ(text::EnumWords(v1::GRADE_MET_LATE), "met late");
  EXPECT_EQ(text::EnumWords(v1::GRADE_NOT_APPLICABLE), "not applicable");
  EXPECT_EQ(text::ShortEnumName(v1::GRADE_MET_LATE), "met_late");
  EXPECT_EQ(text::ParseEnumName(v1::Grade_descriptor(), "met_late"), v1::GRADE_MET_LATE);
}

// The finding: action kinds needed underscores where state names use
// dashes. Typed names take dashes, spaces or underscores alike.
TEST(YamlProtoTest, TypedEnumNamesTakeDashesAndSpacesForUnderscores) {
  for (const char* typed : {"bag_mask_ventilation", "bag-mask-ventilation", "Bag Mask Ventilation",
                            "ACTION_KIND_BAG_MASK_VENTILATION"}) {
    EXPECT_EQ(text::ParseEnumName(v1::ActionKind_descriptor(), typed),
              v1::ACTION_KIND_BAG_MASK_VENTILATION)
        << typed;
  }
  EXPECT_EQ(text::ParseEnumName(v1::Grade_descriptor(), "met late"), v1::GRADE_MET_LATE);
  EXPECT_FALSE(text::ParseEnumName(v1::Grade_descriptor(), "met--late"));
}

TEST(YamlProtoTest, UnknownEnumValueSuggestsOrListsValues) {
  const auto parsed = Parse<v1::Patient>("age_years: 3\nsex: girl\n");
  EXPECT_THAT(Lines(parsed.report.diagnostics),
              ElementsAre("t.yaml:2:6: error: unknown Sex value 'girl' for sex; expected one of: "
                          "female, male"));
  const auto misspelled = Parse<v1::ActionTrigger>("kind: oxygn\n");
  EXPECT_THAT(Lines(misspelled.report.diagnostics),
              ElementsAre("t.yaml:1:7: error: unknown ActionKind value 'oxygn' for kind; did you "
                          "mean 'oxygen'?"));
}

TEST(YamlProtoTest, ProtoOptionalFieldsKeepPresence) {
  const auto parsed = Parse<v1::Vitals>("spo2_pct: 0\nheart_rate_bpm:\netco2_mmhg: null\n");
  ASSERT_TRUE(parsed.ok) << parsed.report.FormatDiagnostics();
  EXPECT_TRUE(parsed.message.has_spo2_pct());
  EXPECT_DOUBLE_EQ(parsed.message.spo2_pct(), 0);
  EXPECT_FALSE(parsed.message.has_heart_rate_bpm());
  EXPECT_FALSE(parsed.message.has_etco2_mmhg());
  EXPECT_FALSE(parsed.message.has_nibp_mean_mmhg());
}

TEST(YamlProtoTest, UnknownFieldSuggestsTheClosestName) {
  const auto parsed = Parse<v1::State>("name: a\nvitals:\n  heart_rate: 120\n  spo2Pct: 90\n");
  EXPECT_FALSE(parsed.ok);
  EXPECT_THAT(
      Lines(parsed.report.diagnostics),
      ElementsAre(
          "t.yaml:3:3: error: unknown field 'heart_rate' in Vitals; did you mean 'heart_rate_bpm'?",
          "t.yaml:4:3: error: unknown field 'spo2Pct' in Vitals; did you mean 'spo2_pct'?"));
  EXPECT_EQ(parsed.report.diagnostics[0].field_path(), "vitals.heart_rate");
}

TEST(YamlProtoTest, UnknownFieldWithoutCloseMatchListsTheFields) {
  const auto parsed = Parse<v1::Range>("colour: blue\n");
  EXPECT_THAT(Lines(parsed.report.diagnostics),
              ElementsAre("t.yaml:1:1: error: unknown field 'colour' in Range; expected "
                          "one of: min, max"));
}

TEST(YamlProtoTest, WrongValueTypesPointAtTheValue) {
  const auto parsed = Parse<v1::Scenario>(
      "title: {text: x}\n"
      "patient: 3\n"
      "learning_objectives: be quick\n"
      "states:\n"
      "  - vitals:\n"
      "      heart_rate_bpm: fast\n"
      "      spo2_pct: [90]\n"
      "  - just a string\n");
  EXPECT_FALSE(parsed.ok);
  EXPECT_THAT(Lines(parsed.report.diagnostics),
              ElementsAre("t.yaml:1:8: error: expected a string for title, got a mapping",
                          "t.yaml:2:10: error: expected a mapping of Patient fields for patient, "
                          "got '3'",
                          "t.yaml:3:22: error: expected a list for learning_objectives, got 'be "
                          "quick'",
                          "t.yaml:6:23: error: expected a number for heart_rate_bpm, got 'fast'",
                          "t.yaml:7:17: error: expected a number for spo2_pct, got a list",
                          "t.yaml:8:5: error: expected a mapping of State fields for states, got "
                          "'just a string'"));
  EXPECT_EQ(parsed.report.diagnostics[3].field_path(), "states[0].vitals.heart_rate_bpm");
  EXPECT_EQ(parsed.report.diagnostics[5].field_path(), "states[1]");
}

TEST(YamlProtoTest, IntegersAreRangeChecked) {
  const auto parsed = Parse<v1::Event>(
      "id: -1\n"
      "wall_time: {seconds: 99999999999999999999, nanos: 3000000000}\n"
      "cause_event_id: 2.5\n");
  EXPECT_THAT(
      Lines(parsed.report.diagnostics),
      ElementsAre("t.yaml:1:5: error: expected a non-negative integer for id, got '-1'",
                  "t.yaml:2:22: error: value '99999999999999999999' for seconds is out of range "
                  "for int64 (-9223372036854775808 to 9223372036854775807)",
                  "t.yaml:2:51: error: value '3000000000' for nanos is out of range for int32 "
                  "(-2147483648 to 2147483647)",
                  "t.yaml:3:17: error: expected a non-negative integer for cause_event_id, got "
                  "'2.5'"));
  const auto age = Parse<v1::Patient>("age_days: 5000000000\n");
  EXPECT_THAT(Lines(age.report.diagnostics),
              ElementsAre("t.yaml:1:11: error: value '5000000000' for age_days is out of range "
                          "for uint32 (0 to 4294967295)"));
}

TEST(YamlProtoTest, NumbersMustBeFinite) {
  const auto parsed = Parse<v1::Vitals>("spo2_pct: inf\nheart_rate_bpm: 1e999\n");
  EXPECT_THAT(Lines(parsed.report.diagnostics),
              ElementsAre("t.yaml:1:11: error: expected a finite number for spo2_pct, got 'inf'",
                          "t.yaml:2:17: error: value '1e999' for heart_rate_bpm is out of range "
                          "for double"));
}

TEST(YamlProtoTest, DuplicateKeysAreErrors) {
  const auto parsed = Parse<v1::Scenario>("title: a\nid: x\ntitle: b\n");
  EXPECT_THAT(Lines(parsed.report.diagnostics),
              ElementsAre("t.yaml:3:1: error: duplicate field 'title'; first set at line 1"));
  EXPECT_EQ(parsed.message.title(), "a");
}

TEST(YamlProtoTest, TwoMembersOfOneOneofAreAnErrorNamingBoth) {
  const auto parsed = Parse<v1::Transition>(
      "to_state: b\n"
      "after_time_in_state_s: 10\n"
      "on_action: {kind: oxygen}\n");
  EXPECT_THAT(Lines(parsed.report.diagnostics),
              ElementsAre("t.yaml:3:1: error: fields 'after_time_in_state_s' (line 2) and "
                          "'on_action' are both members of oneof 'trigger' in Transition; set "
                          "only one"));
  // A null member does not count as set.
  const auto with_null = Parse<v1::Transition>("after_time_in_state_s: 10\non_action: ~\n");
  EXPECT_TRUE(with_null.ok) << with_null.report.FormatDiagnostics();
  EXPECT_EQ(with_null.message.trigger_case(), v1::Transition::kAfterTimeInStateS);
}

TEST(YamlProtoTest, OneofMemberSetToZeroStillSelectsIt) {
  const auto parsed = Parse<v1::Patient>("age_days: 0\n");
  ASSERT_TRUE(parsed.ok);
  EXPECT_EQ(parsed.message.age_case(), v1::Patient::kAgeDays);
}

TEST(YamlProtoTest, FillsMapFieldsAndChecksTheirEntries) {
  const auto parsed = Parse<v1::State>(
      "vital_trend_duration_s:\n"
      "  spo2_pct: 30\n"
      "  heart_rate_bpm: 90.5\n");
  ASSERT_TRUE(parsed.ok) << parsed.report.FormatDiagnostics();
  const auto& durations = parsed.message.vital_trend_duration_s();
  ASSERT_EQ(durations.size(), 2u);
  EXPECT_DOUBLE_EQ(durations.at("spo2_pct"), 30);
  EXPECT_DOUBLE_EQ(durations.at("heart_rate_bpm"), 90.5);

  const auto broken = Parse<v1::State>(
      "vital_trend_duration_s: {spo2_pct: 30, spo2_pct: 40, heart_rate_bpm: slow, etco2_mmhg:}\n");
  EXPECT_THAT(
      Lines(broken.report.diagnostics),
      ElementsAre("t.yaml:1:40: error: duplicate key 'spo2_pct' in vital_trend_duration_s; first "
                  "set at line 1",
                  "t.yaml:1:70: error: expected a number for "
                  "vital_trend_duration_s[heart_rate_bpm], got 'slow'",
                  "t.yaml:1:76: error: missing value for key 'etco2_mmhg' in "
                  "vital_trend_duration_s"));
  EXPECT_EQ(broken.report.diagnostics[1].field_path(), "vital_trend_duration_s[heart_rate_bpm]");
  // Only the valid entry survives.
  EXPECT_EQ(broken.message.vital_trend_duration_s().size(), 1u);
}

TEST(YamlProtoTest, FillsRepeatedScalarsAndMessages) {
  const auto parsed = Parse<v1::Scenario>(
      "learning_objectives: [airway first, call for help]\n"
      "states:\n"
      "  - name: a\n"
      "  - {name: b}\n");
  ASSERT_TRUE(parsed.ok) << parsed.report.FormatDiagnostics();
  EXPECT_THAT(parsed.message.learning_objectives(), ElementsAre("airway first", "call for help"));
  ASSERT_EQ(parsed.message.states_size(), 2);
  EXPECT_EQ(parsed.message.states(1).name(), "b");
}

TEST(YamlProtoTest, SyntaxErrorsCarryTheirPosition) {
  const auto parsed = Parse<v1::Scenario>("id: a\ntitle: [unclosed\nstates: []\n");
  EXPECT_FALSE(parsed.ok);
  ASSERT_EQ(parsed.report.diagnostics.size(), 1u);
  EXPECT_EQ(parsed.report.diagnostics[0].line(), 3u);
  EXPECT_THAT(parsed.report.diagnostics[0].message(), HasSubstr("end of sequence flow not found"));
}

TEST(YamlProtoTest, DocumentMustBeOneMapping) {
  EXPECT_THAT(Lines(Parse<v1::Scenario>("# nothing\n").report.diagnostics),
              ElementsAre("t.yaml:1:1: error: the document is empty; expected a mapping of "
                          "Scenario fields"));
  EXPECT_THAT(Lines(Parse<v1::Scenario>("- a\n- b\n").report.diagnostics),
              ElementsAre("t.yaml:1:1: error: expected a mapping of Scenario fields at the top of "
                          "the document, got a list"));
  EXPECT_THAT(Lines(Parse<v1::Scenario>("id: a\n---\nid: b\n").report.diagnostics),
              ElementsAre("t.yaml:3:1: error: expected a single document; another one starts "
                          "here"));
}

// Found by scenario_yaml_fuzzer (docs/RELIABILITY.md): yaml-cpp's LoadAll
// never returned on these, allocating until the process died.
TEST(YamlProtoTest, AStrayCommaAtTheTopIsAnErrorNotAHang) {
  for (const char* text : {",", ", a", "id: a\n---\n,\n"}) {
    const auto parsed = Parse<v1::Scenario>(text);
    EXPECT_FALSE(parsed.ok) << text;
    ASSERT_FALSE(parsed.report.diagnostics.empty()) << text;
    EXPECT_GE(parsed.report.diagnostics[0].line(), 1u) << text;
  }
}

TEST(YamlProtoTest, RecordsWhereEveryFieldWasWritten) {
  const auto parsed = Parse<v1::Scenario>(
      "id: demo\n"
      "patient:\n"
      "  weight_kg: 12.5\n"
      "states:\n"
      "  - name: a\n"
      "    vital_trend_duration_s: {spo2_pct: 30}\n"
      "    transitions:\n"
      "      - to_state: b\n");
  ASSERT_TRUE(parsed.ok) << parsed.report.FormatDiagnostics();
  const SourceMap& map = parsed.report.source_map;
  EXPECT_EQ(map.ValueLocation("id"), (SourceLocation{1, 5}));
  EXPECT_EQ(map.KeyLocation("patient"), (SourceLocation{2, 1}));
  EXPECT_EQ(map.ValueLocation("patient.weight_kg"), (SourceLocation{3, 14}));
  EXPECT_EQ(map.KeyLocation("states[0]"), (SourceLocation{5, 5}));
  EXPECT_EQ(map.KeyLocation("states[0].vital_trend_duration_s[spo2_pct]"), (SourceLocation{6, 30}));
  EXPECT_EQ(map.ValueLocation("states[0].vital_trend_duration_s[spo2_pct]"),
            (SourceLocation{6, 40}));
  EXPECT_EQ(map.ValueLocation("states[0].transitions[0].to_state"), (SourceLocation{8, 19}));
  // Fields never written resolve to the nearest written ancestor.
  EXPECT_FALSE(map.Contains("states[0].transitions[0].label"));
  EXPECT_EQ(map.KeyLocation("states[0].transitions[0].label"), (SourceLocation{8, 9}));
  EXPECT_EQ(map.KeyLocation("title"), (SourceLocation{1, 1}));
}

TEST(YamlProtoTest, JsonParsesLikeYaml) {
  const auto from_yaml = Parse<v1::Transition>(
      "to_state: recovered\non_action:\n  kind: drug\n  drug: adenosine\ndelay_s: 5\n");
  const auto from_json = Parse<v1::Transition>(
      "{\n\t\"to_state\": \"recovered\",\n\t\"on_action\": {\"kind\": \"ACTION_KIND_DRUG\", "
      "\"drug\": \"adenosine\"},\n\t\"delay_s\": 5\n}\n");
  ASSERT_TRUE(from_yaml.ok) << from_yaml.report.FormatDiagnostics();
  ASSERT_TRUE(from_json.ok) << from_json.report.FormatDiagnostics();
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(from_yaml.message, from_json.message));
  EXPECT_EQ(from_json.report.source_map.ValueLocation("on_action.drug"), (SourceLocation{3, 52}));
}

TEST(YamlProtoTest, CollectsEveryErrorInOnePass) {
  const auto parsed = Parse<v1::Scenario>(
      "idd: a\n"
      "patient: {age_years: -1, weight: 3}\n"
      "states:\n"
      "  - name: a\n"
      "    terminal: perhaps\n"
      "    vitals: {rhythm: wobbly}\n");
  EXPECT_EQ(parsed.report.diagnostics.size(), 5u) << parsed.report.FormatDiagnostics();
  EXPECT_THAT(parsed.report.source_map.Contains("states[0].name"), true);
}

TEST(YamlProtoTest, ActionScriptsUseTheSameMapping) {
  const auto parsed = Parse<v1::ActionScript>(
      "actions:\n  - at_s: 12\n    action: {kind: defibrillation, energy_j: 40}\n");
  ASSERT_TRUE(parsed.ok) << parsed.report.FormatDiagnostics();
  ASSERT_EQ(parsed.message.actions_size(), 1);
  EXPECT_EQ(parsed.message.actions(0).action().kind(), v1::ACTION_KIND_DEFIBRILLATION);
  EXPECT_TRUE(parsed.message.actions(0).action().has_energy_j());
  EXPECT_FALSE(parsed.message.actions(0).action().has_dose_mg());
  EXPECT_THAT(parsed.report.diagnostics, IsEmpty());
}

}  // namespace
}  // namespace pedisim::scenario
