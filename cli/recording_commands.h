// `pedisimctl recordings ...` and `session report --format`: DebriefService.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "command.h"

namespace pedisim::cli {

// Adds the `recordings` group: list, show, replay, annotate, fork, lock,
// unlock, delete.
void AddRecordingCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected);

// `session report ID --format html|json|csv|vtt [--output FILE]`: writes the
// controller's report to FILE (default: the name it suggests) or stdout ("-").
int RunExportReport(const GlobalOptions& global, const std::string& session_id,
                    const std::string& format, const std::string& output);

// "90", "1:30" or "01:30.5" as seconds; nullopt when malformed.
std::optional<double> ParseSimTime(const std::string& text);

}  // namespace pedisim::cli
