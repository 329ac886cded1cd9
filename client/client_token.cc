#include "client/client_token.h"

#include <cstdlib>
#include <fstream>

#include "client/stored_token.h"

namespace pedisim::client {

namespace {

std::optional<std::string> ReadTokenFile(const std::filesystem::path& file, std::string* error) {
  std::ifstream in(file);
  std::string token;
  if (!in || !(in >> token)) {
    *error = file.string() + ": cannot read a token from it";
    return std::nullopt;
  }
  return token;
}

}  // namespace

std::optional<std::string> ResolveToken(const std::string& flag,
                                        const std::filesystem::path& token_file,
                                        const std::string& controller_address, std::string* error) {
  if (!flag.empty()) return flag;
  if (const char* token = std::getenv("PEDISIM_TOKEN"); token != nullptr && *token != '\0') {
    return std::string(token);
  }
  if (!token_file.empty()) return ReadTokenFile(token_file, error);
  if (const char* file = std::getenv("PEDISIM_TOKEN_FILE"); file != nullptr && *file != '\0') {
    return ReadTokenFile(file, error);
  }
  return ReadStoredToken(StoredTokenFile(controller_address)).value_or("");
}

}  // namespace pedisim::client
