// `pedisimctl backup FILE` (AdminService.Backup) and `pedisimctl restore
// FILE --data-dir DIR` (local: unpacks a backup into an empty data folder).
#pragma once

#include <CLI/CLI.hpp>

#include "command.h"

namespace pedisim::cli {

void AddBackupCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected);

}  // namespace pedisim::cli
