#include "controller/auth/token_store.h"

#include <fcntl.h>
#include <google/protobuf/util/time_util.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <stdexcept>

#include "controller/auth/revocation.h"
#include "controller/auth/secrets.h"
#include "controller/util/sqlite_statement.h"

namespace pedisim::auth {

namespace {

constexpr size_t kTokenIdDigits = 12;
constexpr size_t kMaxNameLength = 64;
constexpr size_t kMaxLabelLength = 200;
// Caller.credential of a device certificate, then its notBefore (Unix s).
constexpr std::string_view kCertificateIssuedAt = "certificate issued at ";

class Statement : public util::SqliteStatement {
 public:
  Statement(sqlite3* db, const std::string& sql) : SqliteStatement(db, sql, "auth store") {}
};

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::SecondsToTimestamp(std::time(nullptr));
}

// Written with mode 0600 from the start, so no other user can ever read it.
void WriteSecretFile(const std::filesystem::path& path, const std::string& text) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create " + path.string());
  ::fchmod(fd, 0600);  // an older file keeps its mode through O_TRUNC
  const std::string line = text + "\n";
  const bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!written) throw std::runtime_error("cannot write " + path.string());
}

bool Expired(const v1::TokenInfo& token) {
  return token.has_expires_at() && std::time(nullptr) >= token.expires_at().seconds();
}

grpc::Status Invalid(const std::string& message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

}  // namespace

std::string CheckUserName(std::string_view name) {
  if (name.empty()) return "required";
  if (name.size() > kMaxNameLength) return "at most 64 characters";
  if (std::any_of(name.begin(), name.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return "control characters are not allowed";
  }
  return "";
}

TokenStore::TokenStore(const std::filesystem::path& data_dir, TokenLifetimes lifetimes)
    : lifetimes_(lifetimes) {
  std::filesystem::create_directories(data_dir);
  const std::filesystem::path file = data_dir / "auth.sqlite3";
  if (sqlite3_open(file.c_str(), &db_) != SQLITE_OK) {
    const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error("cannot open " + file.string() + ": " + why);
  }
  // Hashes only, but still nobody else's business.
  std::filesystem::permissions(
      file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  sqlite3_busy_timeout(db_, 2000);
  try {
    Execute(
        "CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role INTEGER NOT NULL,"
        "  created_unix_s INTEGER NOT NULL);"
        "CREATE TABLE IF NOT EXISTS tokens (sha256 TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
        "  user TEXT NOT NULL, label TEXT NOT NULL, created_unix_s INTEGER NOT NULL);");
    // Tokens expire since 2026-12: a store from before gets the column, its
    // tokens none (they work until revoked, as they were made to).
    if (!HasColumn("tokens", "expires_unix_s")) {
      Execute("ALTER TABLE tokens ADD COLUMN expires_unix_s INTEGER");
    }
    std::lock_guard lock(mu_);
    LoadLocked();
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

TokenStore::~TokenStore() { sqlite3_close(db_); }

void TokenStore::Execute(const char* sql) const {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw std::runtime_error("auth store: " + text);
  }
}

bool TokenStore::HasColumn(const char* table, const char* column) const {
  Statement columns(db_, std::string("PRAGMA table_info(") + table + ")");
  while (columns.Step()) {
    if (columns.Text(1) == column) return true;
  }
  return false;
}

void TokenStore::LoadLocked() {
  Statement users(db_, "SELECT name, role, created_unix_s FROM users");
  while (users.Step()) {
    v1::User& user = users_[users.Text(0)];
    user.set_name(users.Text(0));
    user.set_role(static_cast<v1::Role>(users.Int(1)));
    *user.mutable_created_at() = google::protobuf::util::TimeUtil::SecondsToTimestamp(users.Int(2));
  }
  Statement tokens(db_,
                   "SELECT sha256, id, user, label, created_unix_s, expires_unix_s FROM tokens");
  while (tokens.Step()) {
    const auto user = users_.find(tokens.Text(2));
    if (user == users_.end()) continue;  // its user was removed
    v1::TokenInfo& info = tokens_[tokens.Text(0)];
    info.set_id(tokens.Text(1));
    info.set_user(tokens.Text(2));
    info.set_role(user->second.role());
    info.set_label(tokens.Text(3));
    *info.mutable_created_at() =
        google::protobuf::util::TimeUtil::SecondsToTimestamp(tokens.Int(4));
    if (!tokens.IsNull(5)) {
      *info.mutable_expires_at() =
          google::protobuf::util::TimeUtil::SecondsToTimestamp(tokens.Int(5));
    }
  }
}

std::optional<std::string> TokenStore::Bootstrap(const std::filesystem::path& token_file) {
  std::lock_guard lock(mu_);
  if (!users_.empty()) return std::nullopt;
  v1::User admin;
  admin.set_name("admin");
  admin.set_role(v1::ROLE_ADMIN);
  v1::User added;
  if (grpc::Status status = AddUserLocked(admin, &added); !status.ok()) {
    throw std::runtime_error(status.error_message());
  }
  v1::CreateTokenResponse created;
  // The first admin's token works until revoked: it is how an administrator
  // gets in at all, and it lives in the data folder, readable by root only.
  if (grpc::Status status = CreateTokenLocked("admin", "bootstrap", 0, &created); !status.ok()) {
    throw std::runtime_error(status.error_message());
  }
  WriteSecretFile(token_file, created.token());
  return created.token();
}

std::optional<TokenStore::Identity> TokenStore::Authenticate(std::string_view token,
                                                             int64_t* expired_at_unix_s) const {
  if (!LooksLikeToken(token)) return std::nullopt;
  const std::string hash = Sha256Hex(token);
  std::lock_guard lock(mu_);
  const auto found = tokens_.find(hash);
  if (found == tokens_.end()) return std::nullopt;
  if (Expired(found->second)) {
    if (expired_at_unix_s != nullptr) *expired_at_unix_s = found->second.expires_at().seconds();
    return std::nullopt;
  }
  const std::optional<Role> role = FromProto(found->second.role());
  if (!role) return std::nullopt;
  return Identity{Caller{*role, found->second.user(), hash}, found->second.id()};
}

bool TokenStore::Holds(const Caller& caller) const {
  const std::string_view credential = caller.credential;
  if (credential.starts_with(kCertificateIssuedAt)) {
    const int64_t issued_at =
        std::stoll(std::string(credential.substr(kCertificateIssuedAt.size())));
    return FindDeviceUser(caller.name, issued_at).has_value();
  }
  std::lock_guard lock(mu_);
  if (!credential.empty()) {
    const auto token = tokens_.find(caller.credential);
    return token != tokens_.end() && !Expired(token->second);
  }
  const auto user = users_.find(caller.name);
  return user != users_.end() && FromProto(user->second.role()) == caller.role;
}

grpc::Status TokenStore::AddUser(const v1::User& user, v1::User* added) {
  std::lock_guard lock(mu_);
  return AddUserLocked(user, added);
}

grpc::Status TokenStore::AddUserLocked(const v1::User& user, v1::User* added) {
  if (const std::string problem = CheckUserName(user.name()); !problem.empty()) {
    return Invalid("user.name: " + problem);
  }
  if (!FromProto(user.role())) {
    return Invalid(
        "user.role: required (ROLE_ADMIN, ROLE_INSTRUCTOR, ROLE_LEARNER or ROLE_DEVICE)");
  }
  if (users_.count(user.name()) > 0) {
    return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                        "user.name: '" + user.name() + "' exists already");
  }
  v1::User stored;
  stored.set_name(user.name());
  stored.set_role(user.role());
  *stored.mutable_created_at() = Now();
  Statement insert(db_, "INSERT INTO users (name, role, created_unix_s) VALUES (?, ?, ?)");
  insert.Bind(1, stored.name())
      .Bind(2, static_cast<int64_t>(stored.role()))
      .Bind(3, static_cast<int64_t>(stored.created_at().seconds()));
  insert.Step();
  users_[stored.name()] = stored;
  *added = stored;
  return grpc::Status::OK;
}

std::vector<v1::User> TokenStore::ListUsers() const {
  std::lock_guard lock(mu_);
  std::vector<v1::User> users;
  for (const auto& [name, user] : users_) users.push_back(user);
  return users;
}

std::optional<Caller> TokenStore::FindDeviceUser(const std::string& name,
                                                 int64_t issued_at_unix_s) const {
  std::lock_guard lock(mu_);
  const auto found = users_.find(name);
  if (found == users_.end() || found->second.role() != v1::ROLE_DEVICE ||
      found->second.created_at().seconds() > issued_at_unix_s) {
    return std::nullopt;
  }
  // No token to revoke: StillValid asks Holds, which checks the same as here.
  return Caller{.role = Role::kDevice,
                .name = name,
                .credential = std::string(kCertificateIssuedAt) + std::to_string(issued_at_unix_s)};
}

grpc::Status TokenStore::FindUser(const std::string& name, v1::User* user) const {
  std::lock_guard lock(mu_);
  const auto found = users_.find(name);
  if (found == users_.end()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "name: no user '" + name + "'");
  }
  *user = found->second;
  return grpc::Status::OK;
}

grpc::Status TokenStore::RemoveUser(const std::string& name, uint32_t* tokens_revoked) {
  std::lock_guard lock(mu_);
  if (users_.count(name) == 0) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "name: no user '" + name + "'");
  }
  Execute("BEGIN");
  try {
    Statement tokens(db_, "DELETE FROM tokens WHERE user = ?");
    tokens.Bind(1, name).Step();
    Statement user(db_, "DELETE FROM users WHERE name = ?");
    user.Bind(1, name).Step();
    Execute("COMMIT");
  } catch (...) {
    Execute("ROLLBACK");
    throw;
  }
  users_.erase(name);
  *tokens_revoked = 0;
  for (auto token = tokens_.begin(); token != tokens_.end();) {
    if (token->second.user() == name) {
      token = tokens_.erase(token);
      ++*tokens_revoked;
    } else {
      ++token;
    }
  }
  NoteRevocation();
  return grpc::Status::OK;
}

grpc::Status TokenStore::CreateToken(const std::string& user, const std::string& label,
                                     std::optional<uint32_t> lifetime_days,
                                     v1::CreateTokenResponse* created) {
  std::lock_guard lock(mu_);
  return CreateTokenLocked(user, label, lifetime_days, created);
}

grpc::Status TokenStore::RenewToken(const std::string& credential,
                                    v1::CreateTokenResponse* created) {
  std::lock_guard lock(mu_);
  const auto old = tokens_.find(credential);
  if (old == tokens_.end()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "the call was not authenticated by a token (a client certificate "
                        "renews with IssueDeviceCertificate)");
  }
  const v1::TokenInfo renewed = old->second;
  if (grpc::Status status =
          CreateTokenLocked(renewed.user(), renewed.label(), std::nullopt, created);
      !status.ok()) {
    return status;
  }
  RevokeLocked(tokens_.find(credential));
  return grpc::Status::OK;
}

grpc::Status TokenStore::CreateTokenLocked(const std::string& user, const std::string& label,
                                           std::optional<uint32_t> lifetime_days,
                                           v1::CreateTokenResponse* created) {
  const auto owner = users_.find(user);
  if (owner == users_.end()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "user: no user '" + user + "'");
  }
  if (label.size() > kMaxLabelLength) return Invalid("label: at most 200 characters");
  const std::string token = NewToken();
  const std::string hash = Sha256Hex(token);
  v1::TokenInfo info;
  info.set_id(hash.substr(0, kTokenIdDigits));
  info.set_user(user);
  info.set_role(owner->second.role());
  info.set_label(label);
  *info.mutable_created_at() = Now();
  const uint32_t days = lifetime_days.value_or(
      owner->second.role() == v1::ROLE_DEVICE ? lifetimes_.device_days : lifetimes_.people_days);
  if (days > 0) {
    *info.mutable_expires_at() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
        info.created_at().seconds() + int64_t{days} * 86400);
  }
  Statement insert(db_,
                   "INSERT INTO tokens (sha256, id, user, label, created_unix_s, expires_unix_s) "
                   "VALUES (?, ?, ?, ?, ?, ?)");
  insert.Bind(1, hash)
      .Bind(2, info.id())
      .Bind(3, user)
      .Bind(4, label)
      .Bind(5, static_cast<int64_t>(info.created_at().seconds()));
  if (info.has_expires_at()) {
    insert.Bind(6, static_cast<int64_t>(info.expires_at().seconds()));
  } else {
    insert.BindNull(6);
  }
  insert.Step();
  tokens_[hash] = info;
  *created->mutable_info() = info;
  created->set_token(token);
  return grpc::Status::OK;
}

grpc::Status TokenStore::RevokeToken(const std::string& id, v1::TokenInfo* revoked) {
  if (id.empty()) return Invalid("id: required");
  std::lock_guard lock(mu_);
  const auto found = std::find_if(tokens_.begin(), tokens_.end(),
                                  [&](const auto& entry) { return entry.second.id() == id; });
  if (found == tokens_.end()) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "id: no token '" + id + "'");
  }
  *revoked = found->second;
  RevokeLocked(found);
  return grpc::Status::OK;
}

void TokenStore::RevokeLocked(std::map<std::string, v1::TokenInfo, std::less<>>::iterator token) {
  Statement remove(db_, "DELETE FROM tokens WHERE sha256 = ?");
  remove.Bind(1, token->first).Step();
  tokens_.erase(token);
  NoteRevocation();
}

std::vector<v1::TokenInfo> TokenStore::ListTokens(const std::string& user) const {
  std::lock_guard lock(mu_);
  std::vector<v1::TokenInfo> tokens;
  for (const auto& [hash, info] : tokens_) {
    if (user.empty() || info.user() == user) tokens.push_back(info);
  }
  std::sort(tokens.begin(), tokens.end(), [](const v1::TokenInfo& a, const v1::TokenInfo& b) {
    if (a.user() != b.user()) return a.user() < b.user();
    if (a.created_at().seconds() != b.created_at().seconds()) {
      return a.created_at().seconds() < b.created_at().seconds();
    }
    return a.id() < b.id();
  });
  return tokens;
}

}  // namespace pedisim::auth
