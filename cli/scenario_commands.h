// `pedisimctl scenario ...`: ScenarioService.
#pragma once

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
