// The scenario library as regression fixtures: every scenario in scenarios/
// lints clean, and every action file beside it dry-runs, through the public
// DryRun RPC of a real controller, to the end state and the grades it
// declares, each grade with the events that decided it.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "controller_process.h"
#include "pedisim/v1/scenario_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kLibrary = PEDISIM_SCENARIO_LIBRARY_DIR;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct ActionFile {
  fs::path path;
  std::string scenario_id;
  std::string expected_end_state;
  // Item name -> grade as the file writes it ("met_late").
  std::map<std::string, std::string> expected_grades;
};

// "met_late" for GRADE_MET_LATE, as action files write grades.
std::string GradeWord(v1::Grade grade) {
  std::string word = v1::Grade_Name(grade).substr(std::string("GRADE_").size());
  for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return word;
}

// Names the file in test output rather than dumping its bytes.
void PrintTo(const ActionFile& file, std::ostream* out) { *out << file.path.string(); }

// Every <scenario>/<name>.actions.yaml of the library, found when the test
// binary starts so that each file is a test of its own.
std::vector<ActionFile> FindActionFiles() {
  std::vector<ActionFile> found;
  for (const fs::directory_entry& folder : fs::directory_iterator(kLibrary)) {
    const fs::path scenario_file = folder.path() / "scenario.yaml";
    if (!fs::exists(scenario_file)) continue;
    const std::string id = YAML::LoadFile(scenario_file.string())["id"].as<std::string>("");
    for (const fs::directory_entry& file : fs::directory_iterator(folder.path())) {
      const std::string name = file.path().filename().string();
      if (!name.ends_with(".actions.yaml")) continue;
      const YAML::Node script = YAML::LoadFile(file.path().string());
      ActionFile& action_file = found.emplace_back();
      action_file.path = file.path();
      action_file.scenario_id = id;
      action_file.expected_end_state = script["expected_end_state"].as<std::string>("");
      for (const auto& entry : script["expected_grades"]) {
        action_file.expected_grades[entry.first.as<std::string>()] = entry.second.as<std::string>();
      }
    }
  }
  std::sort(found.begin(), found.end(),
            [](const ActionFile& a, const ActionFile& b) { return a.path < b.path; });
  return found;
}

class ScenarioLibraryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { controller_ = new ControllerProcess(kLibrary); }
  static void TearDownTestSuite() {
    delete controller_;
    controller_ = nullptr;
  }
  static std::unique_ptr<v1::ScenarioService::Stub> Stub() {
    return v1::ScenarioService::NewStub(controller_->channel());
  }

  // The whole stream of a dry run; the status it ended with in `status`.
  static std::vector<v1::SessionUpdate> DryRun(const v1::DryRunRequest& request,
                                               grpc::Status* status) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    auto stub = Stub();
    auto reader = stub->DryRun(&context, request);
    std::vector<v1::SessionUpdate> updates;
    v1::SessionUpdate update;
    while (reader->Read(&update)) updates.push_back(update);
    *status = reader->Finish();
    return updates;
  }

  static ControllerProcess* controller_;
};

ControllerProcess* ScenarioLibraryTest::controller_ = nullptr;

TEST_F(ScenarioLibraryTest, EveryScenarioLoadsAndLintsClean) {
  grpc::ClientContext context;
  v1::ListScenariosResponse listed;
  ASSERT_TRUE(Stub()->List(&context, v1::ListScenariosRequest(), &listed).ok());
  for (const v1::Diagnostic& error : listed.load_errors()) {
    ADD_FAILURE() << error.file() << ":" << error.line() << ":" << error.column() << ": "
                  << error.message();
  }
  EXPECT_GE(listed.scenarios_size(), 8);
  for (const v1::ScenarioSummary& summary : listed.scenarios()) {
    const fs::path file = kLibrary / summary.source_path();
    v1::ValidateScenarioRequest request;
    request.set_file_name(file.string());
    request.set_content(ReadFile(file));
    const YAML::Node includes = YAML::LoadFile(file.string())["include"];
    for (const YAML::Node& include : includes) {
      const std::string name = include.as<std::string>();
      (*request.mutable_included_files())[name] = ReadFile(file.parent_path() / name);
    }
    grpc::ClientContext validate_context;
    v1::ValidateScenarioResponse response;
    ASSERT_TRUE(Stub()->Validate(&validate_context, request, &response).ok());
    EXPECT_TRUE(response.valid()) << summary.id();
    for (const v1::Diagnostic& finding : response.diagnostics()) {
      ADD_FAILURE() << "lint: " << finding.file() << ":" << finding.line() << ":"
                    << finding.column() << ": " << finding.message();
    }
  }
}

class ActionFileTest : public ScenarioLibraryTest,
                       public ::testing::WithParamInterface<ActionFile> {};

TEST_P(ActionFileTest, DryRunEndsInTheExpectedState) {
  const ActionFile& file = GetParam();
  ASSERT_FALSE(file.expected_end_state.empty())
      << file.path << " does not say where it should end (expected_end_state)";
  v1::DryRunRequest request;
  request.set_scenario_id(file.scenario_id);
  request.set_actions(ReadFile(file.path));
  request.set_actions_file_name(file.path.filename().string());
  request.set_seed(7);
  grpc::Status status;
  const std::vector<v1::SessionUpdate> updates = DryRun(request, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_FALSE(updates.empty());
  ASSERT_TRUE(updates.back().has_snapshot());
  const v1::Session& end = updates.back().snapshot();
  EXPECT_EQ(end.current_state(), file.expected_end_state)
      << file.path << " ended at " << end.sim_time_s() << " s";
  EXPECT_EQ(end.status(), v1::SESSION_STATUS_COMPLETED) << "the run reached a terminal state";
}

TEST_P(ActionFileTest, DryRunGivesEveryItemItsExpectedGradeWithItsEvidence) {
  const ActionFile& file = GetParam();
  v1::DryRunRequest request;
  request.set_scenario_id(file.scenario_id);
  request.set_actions(ReadFile(file.path));
  request.set_actions_file_name(file.path.filename().string());
  request.set_seed(7);
  grpc::Status status;
  const std::vector<v1::SessionUpdate> updates = DryRun(request, &status);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(!updates.empty() && updates.back().has_snapshot());
  std::set<uint64_t> event_ids;
  for (const v1::SessionUpdate& update : updates) {
    if (update.has_event()) event_ids.insert(update.event().id());
  }
  const v1::Assessment& assessment = updates.back().snapshot().assessment();
  ASSERT_GT(assessment.items_size(), 0) << file.path << ": the scenario has no assessment items";
  std::set<std::string> graded;
  for (const v1::ItemGrade& item : assessment.items()) {
    graded.insert(item.item());
    const auto expected = file.expected_grades.find(item.item());
    if (expected == file.expected_grades.end()) {
      ADD_FAILURE() << file.path << " has no expected grade for '" << item.item() << "' (it was "
                    << GradeWord(item.grade()) << ": " << item.reason() << ")";
      continue;
    }
    EXPECT_EQ(GradeWord(item.grade()), expected->second)
        << file.path << ": '" << item.item() << "': " << item.reason();
    // Every decision but "could not be judged" names the events behind it,
    // and they are events of the run.
    if (item.grade() == v1::GRADE_MET || item.grade() == v1::GRADE_MET_LATE ||
        item.grade() == v1::GRADE_WRONG || item.grade() == v1::GRADE_OMITTED) {
      const bool commission_met =
          item.type() == v1::ITEM_TYPE_COMMISSION && item.grade() == v1::GRADE_MET;
      EXPECT_TRUE(commission_met || item.evidence_size() > 0)
          << file.path << ": '" << item.item() << "' has no evidence";
    }
    for (const v1::Evidence& evidence : item.evidence()) {
      EXPECT_TRUE(event_ids.contains(evidence.event_id()))
          << file.path << ": '" << item.item() << "' cites event " << evidence.event_id();
      EXPECT_FALSE(evidence.summary().empty());
    }
  }
  for (const auto& [item, grade] : file.expected_grades) {
    EXPECT_TRUE(graded.contains(item))
        << file.path << " expects a grade for unknown item '" << item << "'";
  }
}

INSTANTIATE_TEST_SUITE_P(Library, ActionFileTest, ::testing::ValuesIn(FindActionFiles()),
                         [](const ::testing::TestParamInfo<ActionFile>& info) {
                           std::string name = info.param.path.parent_path().filename().string() +
                                              "_" + info.param.path.stem().stem().string();
                           for (char& c : name) c = std::isalnum(c) ? c : '_';
                           return name;
                         });

// A ten-fold epinephrine dose (0.1 mg/kg IV, the ET dose or the 1 mg/mL
// ampoule mistaken for 0.1 mg/mL) is flagged as such, and graded wrong, in
// every library scenario in which epinephrine is given.
TEST_F(ScenarioLibraryTest, TenfoldEpinephrineIsFlaggedInEveryScenarioThatUsesIt) {
  grpc::ClientContext context;
  v1::ListScenariosResponse listed;
  ASSERT_TRUE(Stub()->List(&context, v1::ListScenariosRequest(), &listed).ok());
  int scenarios_with_epinephrine = 0;
  for (const v1::ScenarioSummary& summary : listed.scenarios()) {
    if (ReadFile(kLibrary / summary.source_path()).find("drug: epinephrine") == std::string::npos) {
      continue;
    }
    ++scenarios_with_epinephrine;
    const double weight_kg = summary.patient().weight_kg();
    v1::DryRunRequest request;
    request.set_scenario_id(summary.id());
    request.set_actions(
        fmt::format("actions:\n"
                    "  - at_s: 5\n"
                    "    action: {{kind: drug, drug: epinephrine, dose_mg: {}, route: IV}}\n",
                    0.1 * weight_kg));
    request.set_max_duration_s(60);
    grpc::Status status;
    const std::vector<v1::SessionUpdate> updates = DryRun(request, &status);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_TRUE(!updates.empty() && updates.back().has_snapshot());
    const v1::Assessment& assessment = updates.back().snapshot().assessment();
    ASSERT_EQ(assessment.dose_checks_size(), 1) << summary.id();
    EXPECT_EQ(assessment.dose_checks(0).verdict(), v1::DOSE_VERDICT_TENFOLD_OVER)
        << summary.id() << ": " << assessment.dose_checks(0).reason();
    EXPECT_NE(assessment.dose_checks(0).flag_event_id(), 0u) << summary.id();
    bool graded_wrong = false;
    for (const v1::ItemGrade& item : assessment.items()) {
      graded_wrong = graded_wrong || (item.item() == "No ten-fold epinephrine dose" &&
                                      item.grade() == v1::GRADE_WRONG);
    }
    EXPECT_TRUE(graded_wrong) << summary.id();
  }
  EXPECT_GE(scenarios_with_epinephrine, 3);
}

TEST_F(ScenarioLibraryTest, DryRunIsDeterministicWaveformsIncluded) {
  const std::vector<ActionFile> files = FindActionFiles();
  ASSERT_FALSE(files.empty());
  v1::DryRunRequest request;
  request.set_scenario_id(files.front().scenario_id);
  request.set_actions(ReadFile(files.front().path));
  request.set_seed(99);
  request.set_include_waveforms(true);
  request.set_max_duration_s(120);
  auto trace = [&] {
    grpc::Status status;
    std::string bytes;
    size_t waveform_chunks = 0;
    for (v1::SessionUpdate update : DryRun(request, &status)) {
      if (update.has_event()) update.mutable_event()->clear_wall_time();
      if (update.has_waveform()) ++waveform_chunks;
      bytes += update.SerializeAsString();
    }
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_GT(waveform_chunks, 0u);
    return bytes;
  };
  EXPECT_EQ(trace(), trace());
}

TEST_F(ScenarioLibraryTest, DryRunRefusesBadInputNamingTheProblem) {
  v1::DryRunRequest unknown;
  unknown.set_scenario_id("no-such-scenario");
  grpc::Status status;
  DryRun(unknown, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  const std::vector<ActionFile> files = FindActionFiles();
  ASSERT_FALSE(files.empty());
  v1::DryRunRequest bad_actions;
  bad_actions.set_scenario_id(files.front().scenario_id);
  bad_actions.set_actions("actions:\n  - at_s: soon\n");
  bad_actions.set_actions_file_name("late.actions.yaml");
  DryRun(bad_actions, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("late.actions.yaml:2:"), std::string::npos)
      << status.error_message();
}

}  // namespace
}  // namespace pedisim::testing
