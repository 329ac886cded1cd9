#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace pedisim {

// How a controller is started: flags, optionally completed by a YAML file
// whose keys are the flag names with underscores (listen, data_dir, ...).
struct ControllerConfig {
  std::string listen = "127.0.0.1:50051";
  std::filesystem::path data_dir = "pedisim-data";
  std::filesystem::path scenarios_dir;
  std::filesystem::path port_file;
  std::string log_level = "info";
  size_t max_sessions = 64;
};

// Parses argv; on --help or a usage error prints and returns the exit code
// to end with instead of a configuration.
struct ParsedConfig {
  std::optional<ControllerConfig> config;
  int exit_code = 0;
};
ParsedConfig ParseControllerConfig(int argc, char** argv);

}  // namespace pedisim
