// `pedisimctl scenario ...`: ScenarioService.
#ifndef PEDISIM_CLI_SCENARIO_COMMANDS_H_
#define PEDISIM_CLI_SCENARIO_COMMANDS_H_

#include <CLI/CLI.hpp>

#include "command.h"

namespace pedisim::cli {

// Adds the `scenario` group to `app`; the subcommand the user picks stores
// its work in `selected`.
void AddScenarioCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected);

// The parts of the group, one file each (list, show, validate and lint are
// in scenario_commands.cc).
// graph, schema: authoring aids.
void AddScenarioAuthoringCommands(CLI::App& scenario, const GlobalOptions& global,
                                  CommandRunner& selected);
// dry-run.
void AddScenarioDryRunCommand(CLI::App& scenario, const GlobalOptions& global,
                              CommandRunner& selected);

}  // namespace pedisim::cli

#endif  // PEDISIM_CLI_SCENARIO_COMMANDS_H_
