#include "core/scenario/data_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace pedisim::scenario {

std::optional<std::string> ReadFile(const std::filesystem::path& path, std::string& error) {
  std::error_code status_error;
  if (std::filesystem::is_directory(path, status_error)) {
    error = "cannot read file: it is a directory";
    return std::nullopt;
  }
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    error = std::string("cannot read file: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream content;
  content << stream.rdbuf();
  if (stream.bad()) {
    error = "cannot read file: read error";
    return std::nullopt;
  }
  return std::move(content).str();
}

std::vector<std::filesystem::path> DataFilesIn(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  std::error_code error;
  if (!std::filesystem::is_directory(folder, error)) return files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const std::string extension = entry.path().extension().string();
    const bool data = extension == ".yaml" || extension == ".yml" || extension == ".json";
    if (entry.is_regular_file() && data && !entry.path().filename().string().starts_with('.')) {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace pedisim::scenario
