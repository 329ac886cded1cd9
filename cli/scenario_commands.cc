#include "scenario_commands.h"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "client/console/formatting.h"
#include "client/console/output.h"
#include "controller_client.h"
#include "core/scenario/diagnostic_results.h"
#include "core/text/enum_names.h"
#include "local_file.h"
#include "scenario_files.h"

namespace pedisim::cli {
namespace {

int RunList(const GlobalOptions& global) {
  ControllerClient client(global);
  v1::ListScenariosResponse response;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.scenarios().List(&context, v1::ListScenariosRequest(), &response);
  });
  return client.Respond<v1::ListScenariosResponse>(
      status, response, [](const v1::ListScenariosResponse& list) {
        if (list.scenarios().empty()) {
          std::cout << "no scenarios\n";
        } else {
          std::vector<std::vector<std::string>> rows = {{"ID", "STATES", "PATIENT", "TITLE"}};
          for (const auto& scenario : list.scenarios()) {
            rows.push_back({scenario.id(), std::to_string(scenario.state_count()),
                            console::FormatPatient(scenario.patient()), scenario.title()});
          }
          console::PrintTable(rows);
        }
        // Broken files are the controller's problem, not this command's,
        // so they are reported without failing the listing.
        for (const auto& error : list.load_errors()) {
          std::cerr << console::FormatDiagnostic(error, "?") << '\n';
        }
      });
}

void PrintScenario(const v1::Scenario& scenario) {
  std::cout << scenario.id() << "  " << scenario.title() << '\n';
  if (!scenario.description().empty()) std::cout << scenario.description() << '\n';
  std::cout << "patient    " << console::FormatPatient(scenario.patient()) << '\n';
  if (!scenario.guideline_set().empty()) {
    std::cout << "guideline  " << scenario.guideline_set() << '\n';
  }
  if (!scenario.learning_objectives().empty()) {
    std::cout << "objectives\n";
    for (const auto& objective : scenario.learning_objectives()) {
      std::cout << "  - " << objective << '\n';
    }
  }
  std::cout << "states\n";
  for (const auto& state : scenario.states()) {
    std::cout << "  " << state.name();
    if (state.name() == scenario.initial_state()) std::cout << " (initial)";
    if (state.terminal()) std::cout << " (terminal)";
    if (!state.description().empty()) std::cout << "  " << state.description();
    std::cout << '\n';
    if (const std::string vitals = console::FormatStateVitals(state); !vitals.empty()) {
      std::cout << "    " << vitals << '\n';
    }
    for (const auto& transition : state.transitions()) {
      std::cout << "    -> " << transition.to_state() << "  " << console::FormatTrigger(transition);
      if (transition.delay_s() > 0) {
        std::cout << " (+" << console::FormatSeconds(transition.delay_s()) << " delay)";
      }
      if (!transition.label().empty()) std::cout << "  \"" << transition.label() << '"';
      std::cout << '\n';
    }
  }
  // What the instructor may release when the learners order a test.
  if (!scenario.diagnostic_results().empty()) std::cout << "diagnostic results\n";
  for (const v1::DiagnosticResult& result : scenario.diagnostic_results()) {
    std::string states;
    for (const std::string& state : result.states()) states += (states.empty() ? "" : ", ") + state;
    std::cout << "  " << result.diagnostic() << " in "
              << (states.empty() ? std::string("any other state") : states);
    if (const std::string values = pedisim::scenario::DescribeValues(result.values());
        !values.empty()) {
      std::cout << ": " << values;
    }
    if (!result.text().empty())
      std::cout << (result.values().empty() ? ": " : "; ") << result.text();
    std::cout << '\n';
  }
}

int RunShow(const GlobalOptions& global, const std::string& scenario_id) {
  ControllerClient client(global);
  v1::GetScenarioRequest request;
  request.set_scenario_id(scenario_id);
  v1::Scenario scenario;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.scenarios().Get(&context, request, &scenario);
  });
  return client.Respond<v1::Scenario>(status, scenario, PrintScenario);
}

enum class CheckMode {
  // Exit code by validity: warnings are fine.
  kValidate,
  // Exit code by the worst diagnostic: 3 for warnings only.
  kLint,
};

// Checks every file even after a failure, so one run lists all problems.
// Exit code: 66 if a file was unreadable, else 65 if one was invalid, else
// (lint only) 3 if there were warnings.
int RunCheck(const GlobalOptions& global, const std::vector<std::string>& files, CheckMode mode) {
  ControllerClient client(global);
  bool unreadable = false;
  int errors = 0;
  int warnings = 0;
  for (const std::string& file : files) {
    v1::ValidateScenarioRequest request;
    std::vector<std::string> fragment_errors;
    std::string error;
    if (!ReadScenarioRequest(file, &request, &fragment_errors, &error)) {
      console::PrintError(error);
      unreadable = true;
      continue;
    }
    // The controller reports these fragments missing at their include entry.
    for (const std::string& fragment_error : fragment_errors) console::PrintError(fragment_error);
    v1::ValidateScenarioResponse response;
    if (request.content().empty()) {
      // The controller rejects empty content as a bad request; answered here
      // instead, it reads like any other invalid file and the rest still run.
      v1::Diagnostic* diagnostic = response.add_diagnostics();
      diagnostic->set_severity(v1::Diagnostic::SEVERITY_ERROR);
      diagnostic->set_file(file);
      diagnostic->set_message("file is empty");
    } else {
      const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
        return client.scenarios().Validate(&context, request, &response);
      });
      // Failures other than content (unreachable controller) would repeat
      // for every remaining file.
      if (!status.ok()) return client.Fail(status);
    }
    for (const auto& diagnostic : response.diagnostics()) {
      ++(diagnostic.severity() == v1::Diagnostic::SEVERITY_WARNING ? warnings : errors);
    }
    if (global.json) {
      console::PrintJsonLine(response);
      continue;
    }
    for (const auto& diagnostic : response.diagnostics()) {
      std::cout << console::FormatDiagnostic(diagnostic, file) << '\n';
    }
    if (mode == CheckMode::kValidate && response.valid()) std::cout << file << ": ok\n";
  }
  if (mode == CheckMode::kLint && !global.json) {
    std::cout << files.size() << (files.size() == 1 ? " file: " : " files: ") << errors
              << (errors == 1 ? " error, " : " errors, ") << warnings
              << (warnings == 1 ? " warning\n" : " warnings\n");
  }
  if (unreadable) return console::kExitNotFound;
  if (errors > 0) return console::kExitInvalidInput;
  if (mode == CheckMode::kLint && warnings > 0) return console::kExitLintWarnings;
  return console::kExitOk;
}

}  // namespace

void AddScenarioCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected) {
  CLI::App* scenario = app.add_subcommand("scenario", "Scenarios the controller offers");
  scenario->require_subcommand(1);

  CLI::App* list = scenario->add_subcommand("list", "List the controller's scenarios");
  list->callback([&] { selected = [&] { return RunList(global); }; });

  auto scenario_id = std::make_shared<std::string>();
  CLI::App* show =
      scenario->add_subcommand("show", "Show a scenario: patient, states, transitions");
  show->add_option("ID", *scenario_id, "Scenario id")->required();
  show->callback(
      [&, scenario_id] { selected = [&, scenario_id] { return RunShow(global, *scenario_id); }; });

  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* validate = scenario->add_subcommand(
      "validate", "Check scenario files with the controller's validator, without loading them");
  validate->footer(
      "\nSends each file with the fragments it includes. Prints\n"
      "FILE:LINE:COL: error|warning: MESSAGE per problem and FILE: ok per valid\n"
      "file. Exits 65 if any file is invalid, 66 if any file cannot be read.\n\n" +
      std::string(kGlobalHelpPointer));
  validate->add_option("FILE", *files, "Scenario file (.yaml, or .json)")->required();
  validate->callback([&, files] {
    selected = [&, files] { return RunCheck(global, *files, CheckMode::kValidate); };
  });

  auto lint_files = std::make_shared<std::vector<std::string>>();
  CLI::App* lint = scenario->add_subcommand(
      "lint", "Check scenario files and report every error and warning, for authors and CI");
  lint->footer(
      "\nSends each file with the fragments it includes to the controller's validator\n"
      "and prints FILE:LINE:COL: error|warning: MESSAGE [field.path] per problem, then\n"
      "a count. Warnings point at what probably does not do what was meant: states no\n"
      "transition reaches, transitions that can never fire, initial vitals outside\n"
      "the age band's normal range.\n"
      "Exit codes: 0 clean, 3 warnings only, 65 errors, 66 a file cannot be read.\n\n" +
      std::string(kGlobalHelpPointer));
  lint->add_option("FILE", *lint_files, "Scenario file (.yaml, or .json)")->required();
  lint->callback([&, lint_files] {
    selected = [&, lint_files] { return RunCheck(global, *lint_files, CheckMode::kLint); };
  });

  AddScenarioAuthoringCommands(*scenario, global, selected);
  AddScenarioDryRunCommand(*scenario, global, selected);
}

}  // namespace pedisim::cli
