#pragma once

#include <string>
#include <string_view>

namespace pedisim::auth {

// A new bearer token: 256 bits from OpenSSL's CSPRNG as 64 lowercase hex
// digits. Throws std::runtime_error when the generator fails.
std::string NewToken();

// True for what NewToken makes (64 hex digits), before any lookup.
bool LooksLikeToken(std::string_view token);

// The SHA-256 of `text`, 64 lowercase hex digits: what the store keeps
// instead of a token.
std::string Sha256Hex(std::string_view text);

}  // namespace pedisim::auth
