// Drives a whole session through pedisimctl against a real controller, as an
// instructor or a script would, checking output and exit codes.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>

#include "controller_process.h"

namespace pedisim::testing {
namespace {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

class CliTest : public ::testing::Test {
 protected:
  CliTest() : controller_(PEDISIM_TEST_SCENARIOS_DIR) {}

  CommandResult Ctl(const std::string& arguments) {
    return Run(std::string(PEDISIM_CTL_BIN) + " --controller " + controller_.address() + " " +
               arguments);
  }

  static CommandResult Run(const std::string& command) {
    CommandResult result;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return result;
    char buffer[4096];
    size_t read = 0;
    while ((read = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, read);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
  }

  static std::string Trim(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }

  ControllerProcess controller_;
  TempDir temp_;
};

TEST_F(CliTest, ScenarioListAndValidate) {
  const CommandResult list = Ctl("scenario list");
  EXPECT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("test-short"), std::string::npos) << list.output;

  const std::filesystem::path broken = temp_.path() / "broken.yaml";
  std::ofstream(broken) << "id: broken\ntitle: Broken\npatient: {age_years: 2}\n"
                           "initial_state: a\nstates:\n  - name: a\n    vitals: {spo2: 90}\n";
  const CommandResult validate = Ctl("scenario validate " + broken.string());
  EXPECT_EQ(validate.exit_code, 65) << validate.output;
  EXPECT_NE(validate.output.find(broken.string() + ":7:14: error:"), std::string::npos)
      << validate.output;
  EXPECT_NE(validate.output.find("spo2_pct"), std::string::npos) << "suggests the right name";

  const CommandResult good =
      Ctl("scenario validate " + std::string(PEDISIM_TEST_SCENARIOS_DIR) + "/test-short.yaml");
  EXPECT_EQ(good.exit_code, 0) << good.output;
}

TEST_F(CliTest, WholeSessionThroughTheCli) {
  const std::filesystem::path script = temp_.path() / "learner.actions.yaml";
  std::ofstream(script) << "actions:\n  - at_s: 3\n    action: {kind: oxygen}\n";
  const CommandResult create =
      Ctl("session create --scenario test-short --speed 8 --seed 5 --participant 'Dr. Test:leader' "
          "--device virtual-monitor --learner-script " +
          script.string() + " -q");
  ASSERT_EQ(create.exit_code, 0) << create.output;
  const std::string id = Trim(create.output);
  ASSERT_FALSE(id.empty());

  const CommandResult show = Ctl("session show " + id);
  EXPECT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("14.0 kg (estimated)"), std::string::npos) << show.output;

  EXPECT_EQ(Ctl("session start " + id).exit_code, 0);
  EXPECT_EQ(Ctl("session mark " + id + " 'start of distress'").exit_code, 0);
  const CommandResult watch = Ctl("session watch " + id);
  EXPECT_EQ(watch.exit_code, 0) << watch.output;
  EXPECT_NE(watch.output.find("state: distress"), std::string::npos) << watch.output;
  EXPECT_NE(watch.output.find("oxygen"), std::string::npos) << watch.output;
  EXPECT_NE(watch.output.find("state: recovered"), std::string::npos) << watch.output;
  EXPECT_NE(watch.output.find("completed"), std::string::npos) << watch.output;

  const CommandResult json = Ctl("session show " + id + " --json");
  EXPECT_EQ(json.exit_code, 0);
  EXPECT_NE(json.output.find("\"SESSION_STATUS_COMPLETED\""), std::string::npos) << json.output;

  const CommandResult list = Ctl("session list");
  EXPECT_NE(list.output.find(id), std::string::npos) << list.output;
}

TEST_F(CliTest, InstructorControlsAndExitCodes) {
  const std::string id = Trim(Ctl("session create --scenario test-short --speed 1 -q").output);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Ctl("session pause " + id).exit_code, 70) << "cannot pause before start";
  EXPECT_EQ(Ctl("session start " + id).exit_code, 0);
  EXPECT_EQ(Ctl("session pause " + id).exit_code, 0);
  EXPECT_EQ(Ctl("session goto " + id + " distress --reason test").exit_code, 0);
  const CommandResult set = Ctl("session set " + id + " --hr 190 --spo2 84 --over-s 0");
  EXPECT_EQ(set.exit_code, 0) << set.output;
  const CommandResult show = Ctl("session show " + id);
  EXPECT_NE(show.output.find("HR 190"), std::string::npos) << show.output;
  EXPECT_EQ(Ctl("session speed " + id + " 100").exit_code, 65);
  EXPECT_EQ(Ctl("session goto " + id + " nowhere").exit_code, 65);
  EXPECT_EQ(Ctl("session act " + id + " teleport").exit_code, 64);
  EXPECT_EQ(Ctl("session resume " + id).exit_code, 0);
  EXPECT_EQ(Ctl("session act " + id + " oxygen --o2-lpm 2").exit_code, 0);
  EXPECT_EQ(Ctl("session show no-such-session").exit_code, 66);
  EXPECT_EQ(Ctl("session stop " + id).exit_code, 70) << "oxygen in distress completed it";

  const CommandResult unreachable =
      Run(std::string(PEDISIM_CTL_BIN) + " --controller 127.0.0.1:1 --timeout-s 2 session list");
  EXPECT_EQ(unreachable.exit_code, 69) << unreachable.output;
}

}  // namespace
}  // namespace pedisim::testing
