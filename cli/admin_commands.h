// `pedisimctl user ...`, `token ...` and `whoami`: AdminService.
#pragma once

#include <CLI/CLI.hpp>

#include "command.h"

namespace pedisim::cli {

void AddAdminCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected);

}  // namespace pedisim::cli
