// The scenario library as regression fixtures: every scenario in scenarios/
// lints clean, and every action file beside it dry-runs, through the public
// DryRun RPC of a real controller, to the end state it declares.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
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
};

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
      found.push_back({file.path(), id, script["expected_end_state"].as<std::string>("")});
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

INSTANTIATE_TEST_SUITE_P(Library, ActionFileTest, ::testing::ValuesIn(FindActionFiles()),
                         [](const ::testing::TestParamInfo<ActionFile>& info) {
                           std::string name = info.param.path.parent_path().filename().string() +
                                              "_" + info.param.path.stem().stem().string();
                           for (char& c : name) c = std::isalnum(c) ? c : '_';
                           return name;
                         });

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
