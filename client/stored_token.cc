#include "client/stored_token.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace pedisim::client {

std::filesystem::path StoredTokenFile(const std::string& controller_address) {
  std::filesystem::path config;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
    config = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    config = std::filesystem::path(home) / ".config";
  } else {
    return {};
  }
  // One file per controller: "[::1]:50051" -> "__1_50051"; characters a
  // file name could trip on become '_'.
  std::string name;
  for (const char c : controller_address) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '-';
    name += plain ? c : '_';
  }
  return config / "pedisim" / "tokens" / name;
}

bool StoreToken(const std::filesystem::path& file, const std::string& token, std::string* error) {
  std::error_code failed;
  std::filesystem::create_directories(file.parent_path(), failed);
  if (failed) {
    *error = file.parent_path().string() + ": " + failed.message();
    return false;
  }
  ::chmod(file.parent_path().c_str(), 0700);
  const std::filesystem::path temporary = file.string() + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    *error = temporary.string() + ": cannot create";
    return false;
  }
  ::fchmod(fd, 0600);
  const std::string line = token + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (written) std::filesystem::rename(temporary, file, failed);
  if (!written || failed) {
    *error = file.string() + ": cannot write";
    std::filesystem::remove(temporary, failed);
    return false;
  }
  return true;
}

std::optional<std::string> ReadStoredToken(const std::filesystem::path& file) {
  if (file.empty()) return std::nullopt;
  std::ifstream in(file);
  std::string token;
  if (!in || !(in >> token)) return std::nullopt;
  return token;
}

}  // namespace pedisim::client
