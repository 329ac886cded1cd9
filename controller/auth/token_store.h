#pragma once

#include <grpcpp/support/status.h>
#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/auth/caller.h"
#include "pedisim/v1/admin_service.pb.h"

namespace pedisim::auth {

// How long new tokens work unless CreateToken says: per role, in days;
// 0 = until revoked.
struct TokenLifetimes {
  uint32_t people_days = 180;
  uint32_t device_days = 0;
};

// Users and their tokens, in `auth.sqlite3` in the data folder. Tokens are
// kept only as their SHA-256, so the file reveals no usable secret; every
// token is also held in memory by its hash, so checking one costs a hash and
// a map lookup. Thread-safe. Changes reach the file before they take effect.
class TokenStore {
 public:
  // Opens (or creates) the store in `data_dir`; throws std::runtime_error
  // when it cannot.
  explicit TokenStore(const std::filesystem::path& data_dir, TokenLifetimes lifetimes = {});
  ~TokenStore();
  TokenStore(const TokenStore&) = delete;
  TokenStore& operator=(const TokenStore&) = delete;

  // On a store without users: creates the user "admin" with a token and
  // writes the token to `token_file` (mode 0600). Returns the token then,
  // nullopt when users exist already. Throws when the file cannot be written.
  std::optional<std::string> Bootstrap(const std::filesystem::path& token_file);

  struct Identity {
    Caller caller;
    std::string token_id;
  };
  // Who `token` belongs to; nullopt for a malformed, unknown, revoked or
  // expired one. For an expired one, `expired_at_unix_s` (when not null) is
  // set to when it expired.
  std::optional<Identity> Authenticate(std::string_view token,
                                       int64_t* expired_at_unix_s = nullptr) const;
  // Whether `caller` still holds: its token (Caller.credential) is still
  // here, or, for a caller with none, its user with the same role.
  bool Holds(const Caller& caller) const;

  // The user `name` if it exists with the device role and was created no
  // later than `issued_at_unix_s` (a certificate issued to an earlier user
  // of that name is not theirs); nullopt otherwise.
  std::optional<Caller> FindDeviceUser(const std::string& name, int64_t issued_at_unix_s) const;

  // The AdminService calls: statuses name the request field at fault.
  grpc::Status AddUser(const v1::User& user, v1::User* added);
  std::vector<v1::User> ListUsers() const;
  grpc::Status RemoveUser(const std::string& name, uint32_t* tokens_revoked);
  grpc::Status FindUser(const std::string& name, v1::User* user) const;
  // `lifetime_days`: nullopt for the role's default (TokenLifetimes), 0 for
  // until revoked.
  grpc::Status CreateToken(const std::string& user, const std::string& label,
                           std::optional<uint32_t> lifetime_days, v1::CreateTokenResponse* created);
  // A new token for the caller whose token is `credential` (Caller), with
  // the same label and the role's default lifetime; the old one is revoked.
  grpc::Status RenewToken(const std::string& credential, v1::CreateTokenResponse* created);
  grpc::Status RevokeToken(const std::string& id, v1::TokenInfo* revoked);
  std::vector<v1::TokenInfo> ListTokens(const std::string& user) const;

 private:
  void Execute(const char* sql) const;
  void LoadLocked();
  bool HasColumn(const char* table, const char* column) const;
  grpc::Status CreateTokenLocked(const std::string& user, const std::string& label,
                                 std::optional<uint32_t> lifetime_days,
                                 v1::CreateTokenResponse* created);
  void RevokeLocked(std::map<std::string, v1::TokenInfo, std::less<>>::iterator token);
  grpc::Status AddUserLocked(const v1::User& user, v1::User* added);

  const TokenLifetimes lifetimes_;
  sqlite3* db_ = nullptr;
  mutable std::mutex mu_;
  std::map<std::string, v1::User> users_;
  // By the SHA-256 of the secret.
  std::map<std::string, v1::TokenInfo, std::less<>> tokens_;
};

// A user name: 1 to 64 characters, none of them control characters.
// Returns the problem, or an empty string.
std::string CheckUserName(std::string_view name);

}  // namespace pedisim::auth
