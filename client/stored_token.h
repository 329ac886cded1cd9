#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace pedisim::client {

// Where `pedisimctl login` keeps a user's token for one controller, so that
// later calls need no flag: $XDG_CONFIG_HOME/pedisim/tokens/HOST_PORT
// (default ~/.config/pedisim/tokens/...). Empty when neither
// XDG_CONFIG_HOME nor HOME is set.
std::filesystem::path StoredTokenFile(const std::string& controller_address);

// Writes `token` there: the folder mode 0700, the file 0600 from the start.
// Returns false with `*error` when it cannot.
bool StoreToken(const std::filesystem::path& file, const std::string& token, std::string* error);

// The token stored there; nullopt when there is none.
std::optional<std::string> ReadStoredToken(const std::filesystem::path& file);

}  // namespace pedisim::client
