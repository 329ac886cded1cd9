// `pedisimctl device-cert ...`: client certificates for devices
// (AdminService.IssueDeviceCertificate).
#ifndef PEDISIM_CLI_DEVICE_CERT_COMMANDS_H_
#define PEDISIM_CLI_DEVICE_CERT_COMMANDS_H_

#include <CLI/CLI.hpp>

#include "command.h"

namespace pedisim::cli {

void AddDeviceCertCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected);

}  // namespace pedisim::cli

#endif  // PEDISIM_CLI_DEVICE_CERT_COMMANDS_H_
