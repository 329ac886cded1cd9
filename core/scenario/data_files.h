#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

// Reading the scenario folder's data files: the scenario loader's files and
// fragments, and the one-file-per-entry libraries (guidelines/,
// pharmacology/).
namespace pedisim::scenario {

// Reads the whole file, or explains in `error` why it cannot.
std::optional<std::string> ReadFile(const std::filesystem::path& path, std::string& error);

// Every *.yaml, *.yml and *.json directly in `folder` (hidden files left
// out), sorted by path; none for a missing folder.
std::vector<std::filesystem::path> DataFilesIn(const std::filesystem::path& folder);

}  // namespace pedisim::scenario
