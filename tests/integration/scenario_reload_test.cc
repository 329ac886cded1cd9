// Scenarios added, changed and removed while the controller runs (the
// finding: a new scenario needed a controller restart, which ends live
// classes), against a real controller watching a scenario folder of the
// test's own.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>

#include "controller_process.h"
#include "pedisim/v1/scenario_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Written beside the target and renamed in, as an editor or a deployment
// does, so the watch never sees half a file.
void WriteScenario(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path temporary = path.string() + ".part";
  std::ofstream(temporary) << text;
  std::filesystem::rename(temporary, path);
}

class ScenarioReloadTest : public ::testing::Test {
 protected:
  ScenarioReloadTest()
      : folder_(Prepare(temp_.path() / "scenarios")),
        controller_(folder_, {"--scenario-watch-ms", "100"}),
        scenarios_(v1::ScenarioService::NewStub(controller_.channel())),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {}

  static std::filesystem::path Prepare(const std::filesystem::path& folder) {
    std::filesystem::create_directories(folder);
    std::filesystem::copy_file(std::string(PEDISIM_TEST_SCENARIOS_DIR) + "/test-short.yaml",
                               folder / "test-short.yaml");
    return folder;
  }

  std::map<std::string, std::string> Titles() {
    grpc::ClientContext context;
    v1::ListScenariosResponse listed;
    EXPECT_TRUE(scenarios_->List(&context, v1::ListScenariosRequest(), &listed).ok());
    std::map<std::string, std::string> titles;
    for (const v1::ScenarioSummary& summary : listed.scenarios()) {
      titles[summary.id()] = summary.title();
    }
    return titles;
  }

  // Waits until the list satisfies `done`: the watch looks every 100 ms and
  // reloads once a change held still for one more look. The bound (60 s)
  // only stops a broken watch from hanging the test.
  template <typename Done>
  bool WaitForList(Done done) {
    for (int attempt = 0; attempt < 600; ++attempt) {
      if (done(Titles())) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  v1::Session Create(const std::string& scenario_id) {
    grpc::ClientContext context;
    v1::CreateSessionRequest request;
    request.set_scenario_id(scenario_id);
    request.set_speed(8);
    v1::Session session;
    const grpc::Status status = sessions_->Create(&context, request, &session);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return session;
  }

  TempDir temp_;
  std::filesystem::path folder_;
  ControllerProcess controller_;
  std::unique_ptr<v1::ScenarioService::Stub> scenarios_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
};

TEST_F(ScenarioReloadTest, AddedChangedAndRemovedScenariosTakeEffectWhileClassesRun) {
  const std::string original = ReadText(folder_ / "test-short.yaml");
  ASSERT_EQ(Titles().count("test-short"), 1u);
  // A class in progress on the scenario as it was.
  const v1::Session running = Create("test-short");
  {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(running.id());
    v1::Session started;
    ASSERT_TRUE(sessions_->Start(&context, ref, &started).ok());
  }

  // Added: a second scenario.
  const std::string added =
      std::regex_replace(original, std::regex("id: test-short"), "id: test-added");
  WriteScenario(folder_ / "test-added.yaml", added);
  ASSERT_TRUE(WaitForList([](const auto& titles) { return titles.count("test-added") == 1; }));
  EXPECT_EQ(Create("test-added").scenario_id(), "test-added");

  // Changed: a new title, for sessions created from now on.
  WriteScenario(folder_ / "test-short.yaml",
                std::regex_replace(original, std::regex("title: Short test scenario"),
                                   "title: Short test scenario, revised"));
  ASSERT_TRUE(WaitForList([](const auto& titles) {
    const auto found = titles.find("test-short");
    return found != titles.end() && found->second == "Short test scenario, revised";
  }));
  EXPECT_EQ(Create("test-short").scenario_title(), "Short test scenario, revised");

  // A broken file is reported and loads nothing; the rest stay.
  WriteScenario(folder_ / "broken.yaml", "id: broken\ntitle: [unclosed\n");
  // Removed: gone from the list; a new session of it is NOT_FOUND.
  std::filesystem::remove(folder_ / "test-added.yaml");
  ASSERT_TRUE(WaitForList([](const auto& titles) { return titles.count("test-added") == 0; }));
  EXPECT_EQ(Titles().count("test-short"), 1u);
  {
    grpc::ClientContext context;
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-added");
    v1::Session session;
    EXPECT_EQ(sessions_->Create(&context, request, &session).error_code(),
              grpc::StatusCode::NOT_FOUND);
  }

  // The class that was running kept its version, and goes on.
  grpc::ClientContext context;
  v1::SessionRef ref;
  ref.set_session_id(running.id());
  v1::Session now;
  ASSERT_TRUE(sessions_->Get(&context, ref, &now).ok());
  EXPECT_EQ(now.scenario_title(), "Short test scenario");
  EXPECT_EQ(now.status(), v1::SESSION_STATUS_RUNNING);

  const std::string log = ReadText(controller_.log_file());
  EXPECT_NE(log.find("changed: reloaded"), std::string::npos) << log;
  EXPECT_NE(log.find("added: test-added"), std::string::npos) << log;
  EXPECT_NE(log.find("removed: test-added"), std::string::npos) << log;
  EXPECT_NE(log.find("broken.yaml:"), std::string::npos) << log;
}

}  // namespace
}  // namespace pedisim::testing
