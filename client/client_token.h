#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace pedisim::client {

// The token a client presents, from (first found): `flag` (--token), the
// PEDISIM_TOKEN environment variable, the file `token_file` (--token-file),
// the file named by PEDISIM_TOKEN_FILE, the token `pedisimctl login` stored
// for `controller_address` (stored_token.h). Empty when none is given;
// nullopt with `*error` set when a named file cannot be read or holds no
// token.
std::optional<std::string> ResolveToken(const std::string& flag,
                                        const std::filesystem::path& token_file,
                                        const std::string& controller_address, std::string* error);

}  // namespace pedisim::client
