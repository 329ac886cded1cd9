// `scenario dry-run`: runs a scenario against a timed action file on the
// controller, as fast as it can, and prints the timeline.
#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/console/output.h"
#include "client/console/watch_printer.h"
#include "controller_client.h"
#include "core/text/enum_names.h"
#include "local_file.h"
#include "report_printer.h"
#include "scenario_commands.h"
#include "scenario_files.h"
#include "validators.h"

namespace pedisim::cli {
namespace {

struct DryRunOptions {
  std::string file;
  std::string scenario_id;
  std::string actions;
  uint64_t seed = 0;
  double max_duration_s = 0;
  double vitals_every_s = 30;
};

// Compares the final grades with the action file's expected_grades, saying
// each difference; true when they all agree.
bool GradesAsExpected(const std::map<std::string, std::string>& expected,
                      const v1::Assessment& assessment, const std::string& actions_file) {
  bool agree = true;
  for (const auto& [item, grade] : expected) {
    const auto found =
        std::find_if(assessment.items().begin(), assessment.items().end(),
                     [&](const v1::ItemGrade& graded) { return graded.item() == item; });
    if (found == assessment.items().end()) {
      console::PrintError("expected a grade for '" + item + "' (" + actions_file +
                          "), but the scenario has no such assessment item");
      agree = false;
      continue;
    }
    // Written short or in full, in any case, as the controller reads enums.
    const std::optional<int> wanted = text::ParseEnumName(v1::Grade_descriptor(), grade);
    if (!wanted || *wanted != found->grade()) {
      console::PrintError("expected '" + item + "' to be graded " + grade + " (" + actions_file +
                          "), but it was " + text::EnumWords(found->grade()) + ": " +
                          found->reason());
      agree = false;
    }
  }
  return agree;
}

// The request, or the exit code of a local file that cannot be read.
std::optional<int> BuildRequest(const DryRunOptions& options, v1::DryRunRequest* request) {
  std::string error;
  if (!ReadLocalFile(options.actions, request->mutable_actions(), &error)) {
    console::PrintError(error);
    return console::kExitNotFound;
  }
  request->set_actions_file_name(options.actions);
  request->set_seed(options.seed);
  request->set_max_duration_s(options.max_duration_s);
  if (!options.scenario_id.empty()) {
    request->set_scenario_id(options.scenario_id);
    return std::nullopt;
  }
  std::vector<std::string> fragment_errors;
  if (!ReadScenarioRequest(options.file, request->mutable_scenario_file(), &fragment_errors,
                           &error)) {
    console::PrintError(error);
    return console::kExitNotFound;
  }
  for (const std::string& fragment_error : fragment_errors) console::PrintError(fragment_error);
  return std::nullopt;
}

int RunDryRun(const GlobalOptions& global, const DryRunOptions& options) {
  v1::DryRunRequest request;
  if (const std::optional<int> failure = BuildRequest(options, &request)) return *failure;
  const std::string expected_end_state = ExpectedEndState(request.actions());
  const std::map<std::string, std::string> expected_grades = ExpectedGrades(request.actions());

  ControllerClient client(global);
  // No deadline: how long a dry run takes depends on the scenario and
  // --max-duration-s, not on the network.
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::SessionUpdate>> reader =
      client.scenarios().DryRun(&context, request);
  console::WatchPrinter printer(std::cout, {.live_vitals_line = false,
                                            .color = false,
                                            .vitals_every_s = options.vitals_every_s,
                                            .dry_run = true});
  std::string end_state;
  v1::Assessment assessment;
  v1::SessionUpdate update;
  while (reader->Read(&update)) {
    // Every snapshot carries the state; the last one is the end state.
    if (update.has_snapshot()) {
      end_state = update.snapshot().current_state();
      assessment = update.snapshot().assessment();
    }
    if (global.json) {
      console::PrintJsonLine(update);
    } else {
      printer.Print(update);
    }
  }
  const grpc::Status status = reader->Finish();
  if (!status.ok()) return client.Fail(status);
  if (!global.json) {
    printer.PrintSummary(/*interrupted=*/false);
    // The timeline flags only wrong doses; an author checking a case also
    // wants to see the right ones were judged right.
    std::cout << FormatDoseChecks(assessment);
  }
  if (!expected_end_state.empty() && end_state != expected_end_state) {
    console::PrintError("expected end state '" + expected_end_state + "' (" + options.actions +
                        "), but the dry run ended in state '" + end_state + "'");
    return console::kExitError;
  }
  if (!GradesAsExpected(expected_grades, assessment, options.actions)) return console::kExitError;
  return console::kExitOk;
}

}  // namespace

void AddScenarioDryRunCommand(CLI::App& scenario, const GlobalOptions& global,
                              CommandRunner& selected) {
  auto options = std::make_shared<DryRunOptions>();
  CLI::App* dry_run = scenario.add_subcommand(
      "dry-run", "Run a scenario against a timed action file on the controller, as fast as it can");
  dry_run->footer(
      "\nFILE is sent with the fragments it includes; --id takes a scenario the\n"
      "controller has. The timeline reads like session watch: events as\n"
      "[mm:ss.s] AGENT  SUMMARY, vitals every --vitals-every-s simulated seconds, and a\n"
      "summary line (--json: one SessionUpdate per line). Exits 0 when the run ended,\n"
      "1 when the action file's expected_end_state differs from the state it ended\n"
      "in, 65 when the scenario or the actions do not load.\n\n" +
      std::string(kGlobalHelpPointer));
  CLI::Option* file = dry_run->add_option("FILE", options->file, "Scenario file");
  dry_run->add_option("--id", options->scenario_id, "Id of a controller's scenario")
      ->type_name("ID")
      ->excludes(file);
  dry_run->add_option("--actions", options->actions, "Timed action file (ActionScript)")
      ->type_name("FILE")
      ->required();
  dry_run->add_option("--seed", options->seed, "Seed of the noise (0: the controller's choice)")
      ->type_name("N");
  dry_run
      ->add_option("--max-duration-s", options->max_duration_s,
                   "Stop after this much simulated time without a terminal state (0: 3600)")
      ->type_name("SECONDS")
      ->check(NonNegativeNumber());
  dry_run
      ->add_option("--vitals-every-s", options->vitals_every_s,
                   "Simulated seconds between vitals lines (0 = every sample)")
      ->type_name("SECONDS")
      ->capture_default_str()
      ->check(NonNegativeNumber());
  dry_run->callback([&, options] {
    if (options->file.empty() && options->scenario_id.empty()) {
      throw CLI::ValidationError("scenario dry-run", "give a scenario FILE or --id ID");
    }
    selected = [&, options] { return RunDryRun(global, *options); };
  });
}

}  // namespace pedisim::cli
