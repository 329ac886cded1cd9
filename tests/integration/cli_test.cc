// Drives a whole session through pedisimctl against a real controller, as an
// instructor or a script would, checking output and exit codes.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "controller_process.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

class CliTest : public ::testing::Test {
 protected:
  CliTest() : controller_(PEDISIM_TEST_SCENARIOS_DIR) {}

  CommandResult Ctl(const std::string& arguments) {
    return Run(std::string(PEDISIM_CTL_BIN) + " --controller " + controller_.address() +
               " --token-file " + controller_.admin_token_file().string() + " " + arguments);
  }

  // With a configuration folder of the test's own: a token `pedisimctl
  // login` stored there is the only one found without flags.
  CommandResult Run(const std::string& command) {
    return RunCommand("unset PEDISIM_TOKEN PEDISIM_TOKEN_FILE; export XDG_CONFIG_HOME=" +
                      (temp_.path() / "config").string() + "; " + command);
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
  // Who holds what, by the account that signed in.
  EXPECT_NE(show.output.find("heart_rate_bpm by admin, spo2_pct by admin"), std::string::npos)
      << show.output;
  EXPECT_EQ(Ctl("session speed " + id + " 100").exit_code, 65);
  EXPECT_EQ(Ctl("session goto " + id + " nowhere").exit_code, 65);
  EXPECT_EQ(Ctl("session act " + id + " teleport").exit_code, 64);
  EXPECT_EQ(Ctl("session resume " + id).exit_code, 0);
  EXPECT_EQ(Ctl("session act " + id + " oxygen --o2-lpm 2").exit_code, 0);
  EXPECT_EQ(Ctl("session show no-such-session").exit_code, 66);
  EXPECT_EQ(Ctl("session stop " + id).exit_code, 70) << "oxygen in distress completed it";
  const CommandResult ended = Ctl("session show " + id);
  EXPECT_EQ(ended.exit_code, 0) << ended.output;
  EXPECT_NE(ended.output.find("(terminal state reached)"), std::string::npos) << ended.output;

  const CommandResult unreachable =
      Run(std::string(PEDISIM_CTL_BIN) + " --controller 127.0.0.1:1 --timeout-s 2 session list");
  EXPECT_EQ(unreachable.exit_code, 69) << unreachable.output;

  // 192.0.2.0/24 is reserved for documentation: nothing answers there, and
  // pedisimctl must not even try in plain text with a token.
  const CommandResult beyond = Run(std::string(PEDISIM_CTL_BIN) +
                                   " --controller 192.0.2.7:50051 --token secret session list");
  EXPECT_EQ(beyond.exit_code, 64) << beyond.output;
  EXPECT_NE(beyond.output.find("192.0.2.7:50051 is beyond loopback"), std::string::npos)
      << beyond.output;
}

TEST_F(CliTest, TestsAreOrderedByHandAndTheirResultsReleased) {
  const CommandResult show = Ctl("scenario show test-short");
  EXPECT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("diagnostic results\n  blood_gas in distress: pH 7.21; distress gas\n"
                             "  blood_gas in any other state: calm gas\n"),
            std::string::npos)
      << show.output;

  const std::string id = Trim(Ctl("session create --scenario test-short --speed 1 -q").output);
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(Ctl("session start " + id).exit_code, 0);
  EXPECT_EQ(Ctl("session pause " + id).exit_code, 0);
  EXPECT_EQ(Ctl("session release-result " + id + " blood_gas").exit_code, 70) << "not ordered yet";
  const CommandResult ordered =
      Ctl("session act " + id + " diagnostic_ordered --diagnostic blood_gas");
  EXPECT_EQ(ordered.exit_code, 0) << ordered.output;
  EXPECT_NE(ordered.output.find("diagnostic ordered blood_gas"), std::string::npos)
      << ordered.output;
  EXPECT_EQ(Ctl("session act " + id + " sensor_attached --sensor capnography").exit_code, 0);
  EXPECT_EQ(Ctl("session act " + id + " sensor_attached --sensor gills").exit_code, 64);
  const CommandResult released = Ctl("session release-result " + id + " blood_gas");
  EXPECT_EQ(released.exit_code, 0) << released.output;
  EXPECT_NE(released.output.find("blood_gas result released: calm gas"), std::string::npos)
      << released.output << " (released in the initial state, calm)";
  EXPECT_EQ(Ctl("session stop " + id).exit_code, 0);
}

TEST_F(CliTest, UsersAndTokensAreManagedFromTheCli) {
  const CommandResult added = Ctl("user add 'Nurse Lee' --role learner");
  EXPECT_EQ(added.exit_code, 0) << added.output;
  EXPECT_EQ(Ctl("user add 'Nurse Lee' --role learner").exit_code, 1) << "ALREADY_EXISTS";
  EXPECT_EQ(Ctl("user add 'Dr. X' --role janitor").exit_code, 64);
  const CommandResult users = Ctl("user list");
  EXPECT_NE(users.output.find("Nurse Lee"), std::string::npos) << users.output;
  EXPECT_NE(users.output.find("admin"), std::string::npos) << users.output;

  // The notice first (stderr), then the token alone on its line (stdout).
  const CommandResult created = Ctl("token create 'Nurse Lee' --label tablet");
  ASSERT_EQ(created.exit_code, 0) << created.output;
  const std::string lines = Trim(created.output);
  const std::string token = lines.substr(lines.rfind('\n') + 1);
  ASSERT_EQ(token.size(), 64u) << token;
  const std::string as_lee =
      std::string(PEDISIM_CTL_BIN) + " --controller " + controller_.address() + " --token " + token;
  const CommandResult whoami = Run(as_lee + " whoami");
  EXPECT_EQ(whoami.exit_code, 0) << whoami.output;
  EXPECT_EQ(whoami.output, "Nurse Lee (learner)\n");
  const CommandResult denied = Run(as_lee + " scenario list");
  EXPECT_EQ(denied.exit_code, 77) << denied.output;
  EXPECT_NE(denied.output.find("PERMISSION_DENIED"), std::string::npos) << denied.output;
  EXPECT_EQ(Run("PEDISIM_TOKEN=" + token + " " + std::string(PEDISIM_CTL_BIN) + " --controller " +
                controller_.address() + " whoami")
                .exit_code,
            0)
      << "from the environment too";

  const CommandResult tokens = Ctl("token list --user 'Nurse Lee'");
  EXPECT_EQ(tokens.output.find(token), std::string::npos) << "never the secret";
  const size_t row = tokens.output.find("tablet");
  ASSERT_NE(row, std::string::npos) << tokens.output;
  const size_t line = tokens.output.rfind('\n', row) + 1;
  const std::string token_id = tokens.output.substr(line, 12);
  EXPECT_EQ(Ctl("token revoke " + token_id).exit_code, 0);
  EXPECT_EQ(Run(as_lee + " whoami").exit_code, 77);
  EXPECT_EQ(Ctl("user remove 'Nurse Lee'").exit_code, 0);
  EXPECT_EQ(Ctl("user remove 'Nurse Lee'").exit_code, 66);

  const CommandResult no_token = Run(std::string(PEDISIM_CTL_BIN) + " --controller " +
                                     controller_.address() + " session list");
  EXPECT_EQ(no_token.exit_code, 77) << no_token.output;
  EXPECT_NE(no_token.output.find("UNAUTHENTICATED"), std::string::npos) << no_token.output;
  EXPECT_EQ(Run(std::string(PEDISIM_CTL_BIN) + " --controller " + controller_.address() +
                " --token-file /no/such/file session list")
                .exit_code,
            66);
}

// The finding: every call needed --token-file into the controller's data
// folder. `login` stores a token (0600) so later calls need no flag;
// `login --renew` exchanges it for one with a fresh lifetime.
TEST_F(CliTest, LoginStoresATokenSoLaterCallsNeedNoFlag) {
  const std::string ctl = std::string(PEDISIM_CTL_BIN) + " --controller " + controller_.address();
  EXPECT_EQ(Run(ctl + " whoami").exit_code, 77) << "no token yet";
  ASSERT_EQ(Ctl("user add 'Nurse Lee' --role learner").exit_code, 0);
  const CommandResult created = Ctl("token create 'Nurse Lee' --label tablet");
  ASSERT_EQ(created.exit_code, 0) << created.output;
  EXPECT_NE(created.output.find("expires "), std::string::npos) << created.output;
  EXPECT_EQ(created.output.find("expires never"), std::string::npos) << "180 days by default";
  const std::string lines = Trim(created.output);
  const std::string token = lines.substr(lines.rfind('\n') + 1);

  // From standard input, as an administrator hands a token over.
  const CommandResult login = Run("echo " + token + " | " + ctl + " login");
  ASSERT_EQ(login.exit_code, 0) << login.output;
  EXPECT_NE(login.output.find("as Nurse Lee (learner)"), std::string::npos) << login.output;
  const std::filesystem::path stored = temp_.path() / "config" / "pedisim" / "tokens";
  ASSERT_TRUE(std::filesystem::is_directory(stored));
  const std::filesystem::path file = std::filesystem::directory_iterator(stored)->path();
  EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const CommandResult whoami = Run(ctl + " whoami");
  EXPECT_EQ(whoami.exit_code, 0) << whoami.output;
  EXPECT_EQ(whoami.output, "Nurse Lee (learner)\n");

  const CommandResult renewed = Run(ctl + " login --renew");
  ASSERT_EQ(renewed.exit_code, 0) << renewed.output;
  EXPECT_NE(renewed.output.find("the token expires"), std::string::npos) << renewed.output;
  EXPECT_EQ(Run(ctl + " --token " + token + " whoami").exit_code, 77) << "the old one is revoked";
  EXPECT_EQ(Run(ctl + " whoami").output, "Nurse Lee (learner)\n");

  EXPECT_EQ(Run(ctl + " logout").exit_code, 0);
  EXPECT_EQ(Run(ctl + " whoami").exit_code, 77);
}

// The finding: the --help example `--device virtual-monitor:bedside,rate_hz=2`
// failed. Each example the help gives is run here as written.
TEST_F(CliTest, EveryHelpExampleRunsAsWritten) {
  const CommandResult help = Ctl("session create --help");
  ASSERT_EQ(help.exit_code, 0) << help.output;
  const std::string marker = "e.g. --device ";
  const size_t at = help.output.find(marker);
  ASSERT_NE(at, std::string::npos) << help.output;
  const size_t start = at + marker.size();
  const std::string device = help.output.substr(start, help.output.find('\n', start) - start);
  const CommandResult create =
      Ctl("session create --scenario test-short --device " + Trim(device) + " -q");
  EXPECT_EQ(create.exit_code, 0) << device << ": " << create.output;

  const CommandResult graph_help = Ctl("scenario graph --help");
  const std::string example =
      "Example: pedisimctl scenario graph my-case.yaml | dot -Tpng > my-case.png";
  ASSERT_NE(graph_help.output.find(example), std::string::npos) << graph_help.output;
  const std::filesystem::path my_case = temp_.path() / "my-case.yaml";
  std::filesystem::copy_file(std::string(PEDISIM_TEST_SCENARIOS_DIR) + "/test-short.yaml", my_case);
  const std::filesystem::path png = temp_.path() / "my-case.png";
  // As written, with the controller and token from the environment, as the
  // global help says.
  const CommandResult drawn = Run("export PEDISIM_CONTROLLER=" + controller_.address() +
                                  " PEDISIM_TOKEN_FILE=" + controller_.admin_token_file().string() +
                                  "; cd " + temp_.path().string() + " && " + PEDISIM_CTL_BIN +
                                  " scenario graph my-case.yaml | dot -Tpng > my-case.png");
  EXPECT_EQ(drawn.exit_code, 0) << drawn.output;
  EXPECT_GT(std::filesystem::file_size(png), 100u);
}

TEST_F(CliTest, LimitsArePrintedForPeopleAndAsJson) {
  const CommandResult table = Ctl("limits");
  ASSERT_EQ(table.exit_code, 0) << table.output;
  EXPECT_NE(table.output.find("LIMIT"), std::string::npos) << table.output;
  EXPECT_NE(
      table.output.find("device-message-rate           240 (burst 1200)  messages per second"),
      std::string::npos)
      << table.output;
  EXPECT_NE(table.output.find("max-pending-devices-per-host  32                connections"),
            std::string::npos)
      << table.output;
  EXPECT_NE(table.output.find("max-sessions"), std::string::npos) << table.output;
  const CommandResult json = Ctl("limits --json");
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_NE(json.output.find(R"({"name":"max-message-bytes")"), std::string::npos) << json.output;
}

TEST_F(CliTest, ScenarioLintExitCodesFollowTheWorstDiagnostic) {
  const std::string fixtures = PEDISIM_TEST_SCENARIOS_DIR;
  // Its arrest states come from ../fragments/, which the CLI reads and sends.
  const CommandResult clean = Ctl("scenario lint " + fixtures + "/valid/with-fragments.yaml");
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
  EXPECT_NE(clean.output.find("1 file: 0 errors, 0 warnings"), std::string::npos) << clean.output;

  const std::filesystem::path warned = temp_.path() / "warned.yaml";
  std::ofstream(warned) << "id: warned\ntitle: Warned\npatient: {age_years: 4}\n"
                           "initial_state: a\nstates:\n"
                           "  - {name: a, terminal: true}\n"
                           "  - {name: b, terminal: true}\n";
  const CommandResult warnings = Ctl("scenario lint " + warned.string());
  EXPECT_EQ(warnings.exit_code, 3) << warnings.output;
  EXPECT_NE(warnings.output.find(warned.string() +
                                 ":7:5: warning: state 'b' cannot be reached from the initial "
                                 "state 'a' through any transition; it is reachable only by an "
                                 "instructor's GoToState [states[1]]"),
            std::string::npos)
      << warnings.output;
  EXPECT_EQ(Ctl("scenario validate " + warned.string()).exit_code, 0) << "warnings are valid";

  const std::filesystem::path broken = temp_.path() / "broken.yaml";
  std::ofstream(broken) << "id: broken\ntitle: Broken\npatient: {age_years: 4}\n"
                           "include: [fragments/gone.yaml]\n"
                           "initial_state: a\nstates: [{name: a, terminal: true}]\n";
  const CommandResult errors = Ctl("scenario lint " + warned.string() + " " + broken.string());
  EXPECT_EQ(errors.exit_code, 65) << errors.output;
  EXPECT_NE(errors.output.find("cannot read " + (temp_.path() / "fragments/gone.yaml").string()),
            std::string::npos)
      << errors.output;
  EXPECT_NE(errors.output.find(broken.string() + ":4:11: error: included file "
                                                 "'fragments/gone.yaml' is missing"),
            std::string::npos)
      << errors.output;
  EXPECT_NE(errors.output.find("2 files: 1 error, 1 warning"), std::string::npos) << errors.output;
  EXPECT_EQ(Ctl("scenario lint " + (temp_.path() / "none.yaml").string()).exit_code, 66);
}

TEST_F(CliTest, ScenarioGraphDrawsTheStateMachine) {
  const std::string file = std::string(PEDISIM_TEST_SCENARIOS_DIR) + "/test-short.yaml";
  const CommandResult from_file = Ctl("scenario graph " + file);
  EXPECT_EQ(from_file.exit_code, 0) << from_file.output;
  for (const char* expected :
       {"digraph \"test-short\" {", "\"calm\" [style=\"rounded,bold\"]",
        "\"recovered\" [style=\"\", peripheries=2]",
        "\"calm\" -> \"distress\" [label=\"after 2 s in state\\n\\\"two seconds pass\\\"\"]",
        "\"distress\" -> \"recovered\" [label=\"on oxygen"}) {
    EXPECT_NE(from_file.output.find(expected), std::string::npos) << expected << "\n"
                                                                  << from_file.output;
  }
  const CommandResult by_id = Ctl("scenario graph --id test-short");
  EXPECT_EQ(by_id.exit_code, 0) << by_id.output;
  EXPECT_EQ(by_id.output, from_file.output);

  const std::filesystem::path svg = temp_.path() / "test-short.svg";
  const CommandResult rendered = Ctl("scenario graph --id test-short --svg -o " + svg.string());
  if (Run("command -v dot").exit_code == 0) {
    EXPECT_EQ(rendered.exit_code, 0) << rendered.output;
    std::ifstream written(svg);
    const std::string content((std::istreambuf_iterator<char>(written)),
                              std::istreambuf_iterator<char>());
    EXPECT_NE(content.find("<svg"), std::string::npos) << content;
  } else {
    EXPECT_EQ(rendered.exit_code, 69) << rendered.output;
    EXPECT_NE(rendered.output.find("Debian package graphviz"), std::string::npos)
        << rendered.output;
  }
  EXPECT_EQ(Ctl("scenario graph --id no-such-scenario").exit_code, 66);
  EXPECT_EQ(Ctl("scenario graph").exit_code, 64) << "needs FILE or --id";
}

TEST_F(CliTest, ScenarioSchemaIsJson) {
  const std::filesystem::path schema = temp_.path() / "scenario.schema.json";
  const CommandResult written = Ctl("scenario schema -o " + schema.string());
  ASSERT_EQ(written.exit_code, 0) << written.output;
  const CommandResult checked =
      Run("python3 -c 'import json, sys; s = json.load(open(sys.argv[1])); "
          "v = s[\"properties\"][\"states\"][\"items\"][\"properties\"][\"vitals\"]"
          "[\"properties\"]; print(v[\"heart_rate_bpm\"][\"type\"], "
          "\"sinus_tachycardia\" in v[\"rhythm\"][\"enum\"])' " +
          schema.string());
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  EXPECT_EQ(Trim(checked.output), "number True");

  const CommandResult actions = Ctl("scenario schema --actions");
  EXPECT_EQ(actions.exit_code, 0) << actions.output;
  EXPECT_NE(actions.output.find("\"title\": \"pedisim.v1.ActionScript\""), std::string::npos);
  EXPECT_EQ(Ctl("scenario schema --actions --fragment").exit_code, 64);
}

TEST_F(CliTest, ScenarioDryRunPrintsTheTimelineAndChecksTheEndState) {
  const std::string file = std::string(PEDISIM_TEST_SCENARIOS_DIR) + "/test-short.yaml";
  const std::filesystem::path good = temp_.path() / "good.actions.yaml";
  std::ofstream(good) << "expected_end_state: recovered\n"
                         "actions:\n  - at_s: 3\n    action: {kind: oxygen}\n";
  const CommandResult run = Ctl("scenario dry-run " + file + " --actions " + good.string() +
                                " --seed 5 --vitals-every-s 1");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  for (const char* expected :
       {"dry run of test-short (seed 5), starting in state calm", "==> state: distress", "oxygen",
        "==> state: recovered", "[00:01] HR ", "dry run completed: state recovered"}) {
    EXPECT_NE(run.output.find(expected), std::string::npos) << expected << "\n" << run.output;
  }

  const std::filesystem::path late = temp_.path() / "late.actions.yaml";
  std::ofstream(late) << "expected_end_state: recovered\nactions: []\n";
  const CommandResult stalled =
      Ctl("scenario dry-run --id test-short --actions " + late.string() + " --max-duration-s 20");
  EXPECT_EQ(stalled.exit_code, 1) << stalled.output;
  EXPECT_NE(stalled.output.find("expected end state 'recovered' (" + late.string() +
                                "), but the dry run ended in state 'distress'"),
            std::string::npos)
      << stalled.output;

  const std::filesystem::path bad = temp_.path() / "bad.actions.yaml";
  std::ofstream(bad) << "actions:\n  - at_s: 3\n    action: {kind: teleport}\n";
  EXPECT_EQ(Ctl("scenario dry-run --id test-short --actions " + bad.string()).exit_code, 65);
}

TEST_F(CliTest, ScenarioDryRunListsEveryDoseCheckNotOnlyTheWrongOnes) {
  // The timeline flags wrong doses as they happen; the right ones must be
  // visible too, or an author cannot tell "in range" from "not checked".
  // The library's controller: it has the guideline tables the case names.
  const std::string library = PEDISIM_SCENARIO_LIBRARY_DIR;
  ControllerProcess library_controller(library);
  const CommandResult run =
      Run(std::string(PEDISIM_CTL_BIN) + " --controller " + library_controller.address() +
          " --token-file " + library_controller.admin_token_file().string() +
          " scenario dry-run --id school-age-septic-shock --actions " + library +
          "/school-age-septic-shock/good-team.actions.yaml");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  const std::size_t section = run.output.find("DOSE CHECKS (aha-2020)");
  ASSERT_NE(section, std::string::npos) << run.output;
  EXPECT_NE(run.output.find("in range       2000 mg (64.5 mg/kg) within 50-100 mg/kg", section),
            std::string::npos)
      << run.output;
}

}  // namespace
}  // namespace pedisim::testing
