// pedisimctl's authoring aids that need no controller: the JSON Schema
// generator, the Graphviz graph and the reading of included fragments.
#include "json_schema.h"

#include <gmock/gmock.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <vector>

#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/scenario.pb.h"
#include "scenario_files.h"
#include "scenario_graph.h"

namespace pedisim::cli {
namespace {

using google::protobuf::Struct;
using google::protobuf::Value;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The schema parsed back from its JSON text, which also proves it is JSON.
Struct ParsedSchema(const google::protobuf::Descriptor& message) {
  Struct schema;
  const auto status = google::protobuf::util::JsonStringToMessage(JsonSchemaFor(message), &schema);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return schema;
}

// The value at a path of object keys, or a null Value when it is missing.
Value At(const Struct& root, std::initializer_list<std::string> keys) {
  Value current;
  *current.mutable_struct_value() = root;
  for (const std::string& key : keys) {
    const auto& fields = current.struct_value().fields();
    const auto it = fields.find(key);
    if (!current.has_struct_value() || it == fields.end()) return Value();
    current = Value(it->second);
  }
  return current;
}

std::vector<std::string> Strings(const Value& list) {
  std::vector<std::string> strings;
  for (const Value& element : list.list_value().values()) strings.push_back(element.string_value());
  return strings;
}

TEST(JsonSchemaTest, DescribesScenarioFilesByProtoFieldNames) {
  const Struct schema = ParsedSchema(*v1::Scenario::descriptor());
  EXPECT_EQ(At(schema, {"$schema"}).string_value(), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(At(schema, {"title"}).string_value(), "pedisim.v1.Scenario");
  EXPECT_FALSE(At(schema, {"additionalProperties"}).bool_value());
  EXPECT_EQ(At(schema, {"properties", "states", "type"}).string_value(), "array");
  const Value vitals =
      At(schema, {"properties", "states", "items", "properties", "vitals", "properties"});
  EXPECT_EQ(At(vitals.struct_value(), {"heart_rate_bpm", "type"}).string_value(), "number");
  EXPECT_EQ(At(vitals.struct_value(), {"rhythm", "type"}).string_value(), "string");
  EXPECT_THAT(Strings(At(vitals.struct_value(), {"rhythm", "enum"})),
              ::testing::AllOf(::testing::Contains("RHYTHM_SINUS_TACHYCARDIA"),
                               ::testing::Contains("sinus_tachycardia"),
                               ::testing::Not(::testing::Contains("unspecified")),
                               ::testing::Not(::testing::Contains("RHYTHM_UNSPECIFIED"))));
  EXPECT_FALSE(At(schema, {"properties", "states", "items", "additionalProperties"}).bool_value());
}

TEST(JsonSchemaTest, MapsIntegersBooleansMapsAndStringLists) {
  const Struct schema = ParsedSchema(*v1::Scenario::descriptor());
  EXPECT_EQ(
      At(schema, {"properties", "patient", "properties", "age_months", "type"}).string_value(),
      "integer");
  EXPECT_EQ(
      At(schema, {"properties", "patient", "properties", "age_months", "minimum"}).number_value(),
      0);
  const Value state = At(schema, {"properties", "states", "items", "properties"});
  EXPECT_EQ(At(state.struct_value(), {"terminal", "type"}).string_value(), "boolean");
  EXPECT_EQ(At(state.struct_value(), {"vital_trend_duration_s", "type"}).string_value(), "object");
  EXPECT_EQ(At(state.struct_value(), {"vital_trend_duration_s", "additionalProperties", "type"})
                .string_value(),
            "number");
  EXPECT_EQ(At(schema, {"properties", "include", "items", "type"}).string_value(), "string");
  EXPECT_EQ(At(state.struct_value(),
               {"transitions", "items", "properties", "on_action", "properties", "kind", "enum"})
                .list_value()
                .values_size(),
            2 * (v1::ActionKind_descriptor()->value_count() - 1));
}

TEST(JsonSchemaTest, ActionFilesHaveTheirOwnSchema) {
  const Struct schema = ParsedSchema(*v1::ActionScript::descriptor());
  EXPECT_EQ(At(schema, {"title"}).string_value(), "pedisim.v1.ActionScript");
  EXPECT_EQ(At(schema, {"properties", "expected_end_state", "type"}).string_value(), "string");
  EXPECT_EQ(
      At(schema, {"properties", "actions", "items", "properties", "at_s", "type"}).string_value(),
      "number");
}

TEST(JsonSchemaTest, SelfContainingMessagesAreReferencedFromDefs) {
  // google.protobuf.Value holds lists of Values and structs of them.
  const Struct schema = ParsedSchema(*Value::descriptor());
  EXPECT_EQ(At(schema, {"properties", "list_value", "properties", "values", "items", "$ref"})
                .string_value(),
            "#/$defs/google.protobuf.Value");
  EXPECT_EQ(At(schema, {"$defs", "google.protobuf.Value", "type"}).string_value(), "object");
}

TEST(JsonSchemaTest, ConditionsNestAndQuantitiesCarryTheirUnitsInTheKindNames) {
  const Struct schema = ParsedSchema(*v1::Scenario::descriptor());
  const Value transition =
      At(schema, {"properties", "states", "items", "properties", "transitions", "items"});
  // A condition holds further conditions: they refer to its definition.
  EXPECT_EQ(
      At(transition.struct_value(), {"properties", "when", "properties", "all_of", "items", "$ref"})
          .string_value(),
      "#/$defs/pedisim.v1.Condition");
  const Value condition = At(schema, {"$defs", "pedisim.v1.Condition", "properties"});
  EXPECT_EQ(At(condition.struct_value(), {"any_of", "items", "$ref"}).string_value(),
            "#/$defs/pedisim.v1.Condition");
  EXPECT_EQ(At(condition.struct_value(), {"none_of", "type"}).string_value(), "array");
  EXPECT_EQ(
      At(condition.struct_value(), {"quantity", "properties", "at_least", "type"}).string_value(),
      "number");
  EXPECT_THAT(
      Strings(At(schema, {"properties", "quantities", "items", "properties", "kind", "enum"})),
      ::testing::AllOf(::testing::Contains("fluid_ml_per_kg"),
                       ::testing::Contains("drug_mcg_per_kg"), ::testing::Contains("oxygen_s")));
}

TEST(JsonSchemaTest, FieldsAreDescribedByTheirProtoComments) {
  const Struct schema = ParsedSchema(*v1::Scenario::descriptor());
  EXPECT_EQ(At(schema, {"properties", "quantities", "description"}).string_value(),
            "Running totals that conditions (Transition.when, CriticalAction.condition) refer "
            "to by name.");
  const Value condition = At(schema, {"$defs", "pedisim.v1.Condition", "properties"});
  EXPECT_EQ(At(condition.struct_value(), {"all_of", "description"}).string_value(),
            "AND: holds when every one of these holds.");
  EXPECT_EQ(At(condition.struct_value(), {"quantity", "properties", "below", "description"})
                .string_value(),
            "Holds when the quantity is less than this (<).");
  EXPECT_THAT(At(schema, {"properties", "quantities", "items", "properties", "window", "properties",
                          "within_s", "description"})
                  .string_value(),
              HasSubstr("0 = to the end of the session"));
  // A field without a comment has no description.
  EXPECT_EQ(At(schema, {"properties", "title", "description"}).kind_case(), Value::KIND_NOT_SET);
}

TEST(ScenarioGraphTest, DrawsStatesAndLabelledTransitions) {
  v1::Scenario scenario;
  scenario.set_id("case");
  scenario.set_title("A \"quoted\" case");
  scenario.set_initial_state("calm");
  v1::State* calm = scenario.add_states();
  calm->set_name("calm");
  v1::Transition* timer = calm->add_transitions();
  timer->set_to_state("end");
  timer->set_after_time_in_state_s(120);
  timer->set_label("two minutes pass");
  v1::Transition* choice = calm->add_transitions();
  choice->set_to_state("end");
  choice->set_instructor_choice(true);
  v1::Transition* drug = calm->add_transitions();
  drug->set_to_state("end");
  drug->mutable_on_action()->set_kind(v1::ACTION_KIND_DRUG);
  drug->mutable_on_action()->set_drug("epinephrine");
  drug->mutable_on_action()->mutable_dose_mg_per_kg()->set_min(0.01);
  drug->mutable_on_action()->add_routes("IV");
  drug->set_delay_s(5);
  v1::State* end = scenario.add_states();
  end->set_name("end");
  end->set_terminal(true);

  EXPECT_EQ(ScenarioDot(scenario),
            "digraph \"case\" {\n"
            "  graph [label=\"A \\\"quoted\\\" case\", labelloc=t, fontname=\"Helvetica\", "
            "rankdir=TB];\n"
            "  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
            "  edge [fontname=\"Helvetica\", fontsize=10];\n"
            "  scenario_start [shape=point, width=0.15, label=\"\"];\n"
            "  \"calm\" [style=\"rounded,bold\"];\n"
            "  \"end\" [style=\"\", peripheries=2];\n"
            "  scenario_start -> \"calm\";\n"
            "  \"calm\" -> \"end\" [label=\"after 120 s in state\\n\\\"two minutes pass\\\"\"];\n"
            "  \"calm\" -> \"end\" [label=\"by instructor choice\", style=dashed];\n"
            "  \"calm\" -> \"end\" [label=\"on drug epinephrine ≥ 0.01 mg/kg IV (+5 s)\"];\n"
            "}\n");
}

TEST(ScenarioFilesTest, ReadsTheIncludeListAndTheExpectedEndState) {
  EXPECT_THAT(IncludedFileNames("id: x\ninclude: [a.yaml, 'fragments/b.yaml']\n"),
              ElementsAre("a.yaml", "fragments/b.yaml"));
  EXPECT_THAT(IncludedFileNames("{\"id\": \"x\", \"include\": [\"c.json\"]}"),
              ElementsAre("c.json"));
  EXPECT_THAT(IncludedFileNames("include: [unclosed\n"), IsEmpty());
  EXPECT_THAT(IncludedFileNames("- a list\n"), IsEmpty());
  EXPECT_EQ(ExpectedEndState("expected_end_state: stabilized\nactions: []\n"), "stabilized");
  EXPECT_EQ(ExpectedEndState("actions: []\n"), "");
}

TEST(ScenarioFilesTest, SendsReadableFragmentsAndExplainsTheOthers) {
  const std::filesystem::path folder =
      std::filesystem::path(::testing::TempDir()) / "pedisimctl-scenario-files";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder / "fragments");
  std::ofstream(folder / "case.yaml") << "include: [fragments/a.yaml, fragments/missing.yaml]\n";
  std::ofstream(folder / "fragments/a.yaml") << "states: []\n";

  v1::ValidateScenarioRequest request;
  std::vector<std::string> fragment_errors;
  std::string error;
  ASSERT_TRUE(
      ReadScenarioRequest((folder / "case.yaml").string(), &request, &fragment_errors, &error))
      << error;
  EXPECT_EQ(request.file_name(), (folder / "case.yaml").string());
  ASSERT_EQ(request.included_files_size(), 1);
  EXPECT_EQ(request.included_files().at("fragments/a.yaml"), "states: []\n");
  EXPECT_THAT(fragment_errors, ElementsAre(HasSubstr("fragments/missing.yaml: No such file")));
  EXPECT_FALSE(
      ReadScenarioRequest((folder / "none.yaml").string(), &request, &fragment_errors, &error));
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace pedisim::cli
