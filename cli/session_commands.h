// `pedisimctl session ...`: SessionService.
#pragma once

#include <CLI/CLI.hpp>

#include "command.h"

namespace pedisim::cli {

// Adds the `session` group to `app`; the subcommand the user picks stores
// its work in `selected`.
void AddSessionCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected);

// The parts of the group, one file each.
// create, start, pause, resume, stop, speed, show, list.
void AddSessionLifecycleCommands(CLI::App& session, const GlobalOptions& global,
                                 CommandRunner& selected);
// goto, set, act, mark: instructor commands that record an event.
void AddSessionControlCommands(CLI::App& session, const GlobalOptions& global,
                               CommandRunner& selected);
// report, grade, score, release, mode: AssessmentService.
void AddSessionAssessmentCommands(CLI::App& session, const GlobalOptions& global,
                                  CommandRunner& selected);
// watch.
void AddSessionWatchCommand(CLI::App& session, const GlobalOptions& global,
                            CommandRunner& selected);

}  // namespace pedisim::cli
