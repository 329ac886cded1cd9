// `pedisimctl device-cert ...`: client certificates for devices
// (AdminService.IssueDeviceCertificate).
#pragma once

#include <CLI/CLI.hpp>

#include "command.h"

namespace pedisim::cli {

void AddDeviceCertCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected);

}  // namespace pedisim::cli
