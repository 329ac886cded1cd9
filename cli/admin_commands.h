// `pedisimctl user ...`, `token ...` and `whoami`: AdminService.
#ifndef PEDISIM_CLI_ADMIN_COMMANDS_H_
#define PEDISIM_CLI_ADMIN_COMMANDS_H_

#include <CLI/CLI.hpp>

#include "command.h"

namespace pedisim::cli {

void AddAdminCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected);

}  // namespace pedisim::cli

#endif  // PEDISIM_CLI_ADMIN_COMMANDS_H_
