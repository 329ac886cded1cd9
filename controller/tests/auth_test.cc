// The parts of authentication that need no server: the token store on disk,
// the failure limiter, client certificates in the authenticator, peer
// addresses and the role table's coverage.

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <ctime>
#include <fstream>
#include <iterator>
#include <set>

#include "controller/auth/access_policy.h"
#include "controller/auth/authenticator.h"
#include "controller/auth/failure_limiter.h"
#include "controller/auth/secrets.h"
#include "controller/auth/token_store.h"
#include "controller_process.h"
#include "every_rpc.h"
#include "pedisim/v1/admin_service.grpc.pb.h"
#include "pedisim/v1/assessment_service.grpc.pb.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/device_service.grpc.pb.h"
#include "pedisim/v1/scenario_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::auth {
namespace {

using testing::TempDir;

std::string ReadAll(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

v1::User MakeUser(const std::string& name, v1::Role role) {
  v1::User user;
  user.set_name(name);
  user.set_role(role);
  return user;
}

TEST(TokenStoreTest, FirstStartMakesAnAdminWhoseTokenOnlyTheOwnerCanRead) {
  TempDir dir;
  TokenStore store(dir.path());
  const std::filesystem::path file = dir.path() / "admin.token";
  const std::optional<std::string> token = store.Bootstrap(file);
  ASSERT_TRUE(token);
  EXPECT_TRUE(LooksLikeToken(*token));
  struct stat info {};
  ASSERT_EQ(stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadAll(file), *token + "\n");

  const std::optional<TokenStore::Identity> who = store.Authenticate(*token);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->caller.name, "admin");
  EXPECT_EQ(who->caller.role, Role::kAdmin);
  EXPECT_FALSE(store.Bootstrap(file)) << "only on a store without users";
}

TEST(TokenStoreTest, TheDatabaseHoldsHashesNotTokensAndSurvivesARestart) {
  TempDir dir;
  std::string token;
  {
    TokenStore store(dir.path());
    v1::User added;
    ASSERT_TRUE(store.AddUser(MakeUser("Nurse Lee", v1::ROLE_LEARNER), &added).ok());
    v1::CreateTokenResponse created;
    ASSERT_TRUE(store.CreateToken("Nurse Lee", "tablet", std::nullopt, &created).ok());
    token = created.token();
    EXPECT_EQ(created.info().id(), Sha256Hex(token).substr(0, 12));
  }
  const std::string database = ReadAll(dir.path() / "auth.sqlite3") +
                               ReadAll(dir.path() / "auth.sqlite3-wal") +
                               ReadAll(dir.path() / "auth.sqlite3-journal");
  EXPECT_EQ(database.find(token), std::string::npos);
  EXPECT_NE(database.find(Sha256Hex(token)), std::string::npos);

  TokenStore reopened(dir.path());
  const std::optional<TokenStore::Identity> who = reopened.Authenticate(token);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->caller.name, "Nurse Lee");
  EXPECT_EQ(who->caller.role, Role::kLearner);
}

// Runs `sql` on the store's file while no TokenStore has it open.
void ExecuteOnStore(const std::filesystem::path& dir, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / "auth.sqlite3").c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int result = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(result, SQLITE_OK) << message;
}

// The finding: tokens never expired.
TEST(TokenStoreTest, PeoplesTokensExpireDevicesDoNotUnlessToldAndExpiredOnesAreRefused) {
  TempDir dir;
  std::string learner_token;
  {
    TokenStore store(dir.path(), TokenLifetimes{.people_days = 180, .device_days = 0});
    v1::User added;
    ASSERT_TRUE(store.AddUser(MakeUser("Nurse Lee", v1::ROLE_LEARNER), &added).ok());
    ASSERT_TRUE(store.AddUser(MakeUser("monitor-3", v1::ROLE_DEVICE), &added).ok());
    v1::CreateTokenResponse person;
    ASSERT_TRUE(store.CreateToken("Nurse Lee", "tablet", std::nullopt, &person).ok());
    EXPECT_EQ(person.info().expires_at().seconds() - person.info().created_at().seconds(),
              180 * 86400);
    learner_token = person.token();
    v1::CreateTokenResponse device;
    ASSERT_TRUE(store.CreateToken("monitor-3", "", std::nullopt, &device).ok());
    EXPECT_FALSE(device.info().has_expires_at());
    v1::CreateTokenResponse week;
    ASSERT_TRUE(store.CreateToken("monitor-3", "", 7, &week).ok());
    EXPECT_EQ(week.info().expires_at().seconds() - week.info().created_at().seconds(), 7 * 86400);
    v1::CreateTokenResponse forever;
    ASSERT_TRUE(store.CreateToken("Nurse Lee", "", 0, &forever).ok());
    EXPECT_FALSE(forever.info().has_expires_at());
  }
  // A day past its end, as after 181 days.
  ExecuteOnStore(dir.path(),
                 "UPDATE tokens SET expires_unix_s = strftime('%s', 'now') - 86400 "
                 "WHERE user = 'Nurse Lee' AND label = 'tablet'");
  TokenStore reopened(dir.path());
  int64_t expired_at = 0;
  EXPECT_FALSE(reopened.Authenticate(learner_token, &expired_at));
  EXPECT_NEAR(static_cast<double>(expired_at), static_cast<double>(std::time(nullptr) - 86400), 60);
  const Caller holder{Role::kLearner, "Nurse Lee", Sha256Hex(learner_token)};
  EXPECT_FALSE(reopened.Holds(holder)) << "open streams end at their next check";

  Authenticator authenticator(reopened, FailureLimiter::Options{});
  const Admission refused = authenticator.AdmitToken(
      "ipv4:127.0.0.1:5", "/pedisim.v1.SessionService/List", learner_token);
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(refused.status.error_message().rfind("authorization: the token expired on ", 0), 0u)
      << refused.status.error_message();
}

TEST(TokenStoreTest, RenewingGivesANewTokenWithTheSameLabelAndRevokesTheOld) {
  TempDir dir;
  TokenStore store(dir.path());
  v1::User added;
  ASSERT_TRUE(store.AddUser(MakeUser("Dr. Osei", v1::ROLE_INSTRUCTOR), &added).ok());
  v1::CreateTokenResponse old;
  ASSERT_TRUE(store.CreateToken("Dr. Osei", "laptop", 1, &old).ok());
  v1::CreateTokenResponse renewed;
  ASSERT_TRUE(store.RenewToken(Sha256Hex(old.token()), &renewed).ok());
  EXPECT_EQ(renewed.info().label(), "laptop");
  EXPECT_EQ(renewed.info().expires_at().seconds() - renewed.info().created_at().seconds(),
            180 * 86400);
  EXPECT_FALSE(store.Authenticate(old.token()));
  ASSERT_TRUE(store.Authenticate(renewed.token()));
  EXPECT_EQ(store.RenewToken("certificate issued at 5", &renewed).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

// A store from before tokens expired gets the column; its tokens keep
// working until revoked, as they were made to.
TEST(TokenStoreTest, AStoreFromBeforeLifetimesKeepsItsTokens) {
  TempDir dir;
  const std::string token(64, 'a');
  ExecuteOnStore(dir.path(),
                 "CREATE TABLE users (name TEXT PRIMARY KEY, role INTEGER NOT NULL, "
                 "created_unix_s INTEGER NOT NULL);"
                 "CREATE TABLE tokens (sha256 TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
                 "user TEXT NOT NULL, label TEXT NOT NULL, created_unix_s INTEGER NOT NULL);"
                 "INSERT INTO users VALUES ('admin', 1, 1700000000);"
                 "INSERT INTO tokens VALUES ('" +
                     Sha256Hex(token) + "', 'abc', 'admin', 'bootstrap', 1700000000);");
  TokenStore store(dir.path());
  const std::optional<TokenStore::Identity> who = store.Authenticate(token);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->caller.name, "admin");
  EXPECT_FALSE(store.ListTokens("admin").front().has_expires_at());
}

TEST(TokenStoreTest, RevokedTokensAndRemovedUsersStopWorking) {
  TempDir dir;
  TokenStore store(dir.path());
  v1::User added;
  ASSERT_TRUE(store.AddUser(MakeUser("monitor-3", v1::ROLE_DEVICE), &added).ok());
  v1::CreateTokenResponse first;
  v1::CreateTokenResponse second;
  ASSERT_TRUE(store.CreateToken("monitor-3", "", std::nullopt, &first).ok());
  ASSERT_TRUE(store.CreateToken("monitor-3", "", std::nullopt, &second).ok());
  EXPECT_EQ(store.ListTokens("monitor-3").size(), 2u);

  v1::TokenInfo revoked;
  ASSERT_TRUE(store.RevokeToken(first.info().id(), &revoked).ok());
  EXPECT_FALSE(store.Authenticate(first.token()));
  EXPECT_TRUE(store.Authenticate(second.token()));
  EXPECT_EQ(store.RevokeToken(first.info().id(), &revoked).error_code(),
            grpc::StatusCode::NOT_FOUND);

  uint32_t tokens_revoked = 0;
  ASSERT_TRUE(store.RemoveUser("monitor-3", &tokens_revoked).ok());
  EXPECT_EQ(tokens_revoked, 1u);
  EXPECT_FALSE(store.Authenticate(second.token()));
  TokenStore reopened(dir.path());
  EXPECT_FALSE(reopened.Authenticate(second.token()));
}

TEST(TokenStoreTest, ACertificateNamesOnlyADeviceUserThatExistedWhenItWasIssued) {
  TempDir dir;
  TokenStore store(dir.path());
  v1::User device;
  ASSERT_TRUE(store.AddUser(MakeUser("monitor-4", v1::ROLE_DEVICE), &device).ok());
  v1::User instructor;
  ASSERT_TRUE(store.AddUser(MakeUser("Dr. Osei", v1::ROLE_INSTRUCTOR), &instructor).ok());
  const int64_t created = device.created_at().seconds();

  const std::optional<Caller> found = store.FindDeviceUser("monitor-4", created);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->role, Role::kDevice);
  EXPECT_EQ(found->name, "monitor-4");
  EXPECT_FALSE(store.FindDeviceUser("monitor-4", created - 1)) << "issued to an earlier user";
  EXPECT_FALSE(store.FindDeviceUser("Dr. Osei", instructor.created_at().seconds()))
      << "staff never authenticate by certificate";
  EXPECT_FALSE(store.FindDeviceUser("nobody", created));
  uint32_t tokens_revoked = 0;
  ASSERT_TRUE(store.RemoveUser("monitor-4", &tokens_revoked).ok());
  EXPECT_FALSE(store.FindDeviceUser("monitor-4", created));
}

TEST(AuthenticatorTest, ACertificateAdmitsItsDeviceToDeviceCallsOnlyAndATokenWithItMustMatch) {
  TempDir dir;
  TokenStore store(dir.path());
  v1::User device;
  ASSERT_TRUE(store.AddUser(MakeUser("monitor-5", v1::ROLE_DEVICE), &device).ok());
  v1::User other;
  ASSERT_TRUE(store.AddUser(MakeUser("monitor-6", v1::ROLE_DEVICE), &other).ok());
  v1::CreateTokenResponse own_token;
  ASSERT_TRUE(store.CreateToken("monitor-5", "", std::nullopt, &own_token).ok());
  v1::CreateTokenResponse other_token;
  ASSERT_TRUE(store.CreateToken("monitor-6", "", std::nullopt, &other_token).ok());
  Authenticator authenticator(store, {.burst = 100, .refill = std::chrono::milliseconds(1000)});
  const ClientCertificate certificate{.common_name = "monitor-5",
                                      .issued_at_unix_s = device.created_at().seconds(),
                                      .fingerprint_sha256 = std::string(64, 'c')};
  constexpr std::string_view kConnect = "/pedisim.v1.DeviceService/Connect";
  const std::string_view peer = "ipv4:10.0.0.7:5000";

  const Admission admitted = authenticator.AdmitCall(peer, kConnect, "", &certificate);
  ASSERT_TRUE(admitted.status.ok()) << admitted.status.error_message();
  EXPECT_EQ(admitted.caller->name, "monitor-5");
  EXPECT_EQ(admitted.caller->role, Role::kDevice);
  EXPECT_TRUE(authenticator.AdmitCall(peer, kConnect, "Bearer " + own_token.token(), &certificate)
                  .status.ok());

  EXPECT_EQ(authenticator.AdmitCall(peer, "/pedisim.v1.SessionService/Create", "", &certificate)
                .status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const Admission mismatched =
      authenticator.AdmitToken(peer, kConnect, other_token.token(), &certificate);
  EXPECT_EQ(mismatched.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  const ClientCertificate stranger{.common_name = "nobody",
                                   .issued_at_unix_s = device.created_at().seconds(),
                                   .fingerprint_sha256 = std::string(64, 'd')};
  const Admission unknown = authenticator.AdmitToken(peer, kConnect, "", &stranger);
  EXPECT_EQ(unknown.status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(unknown.status.error_message().find("client certificate: 'nobody'"), std::string::npos)
      << unknown.status.error_message();
  EXPECT_EQ(authenticator.counters().unauthenticated, 2u);
  EXPECT_EQ(authenticator.counters().permission_denied, 1u);
}

TEST(TokenStoreTest, BadRequestsNameTheField) {
  TempDir dir;
  TokenStore store(dir.path());
  v1::User added;
  EXPECT_EQ(store.AddUser(MakeUser("", v1::ROLE_LEARNER), &added).error_message(),
            "user.name: required");
  EXPECT_EQ(store.AddUser(MakeUser("bad\nname", v1::ROLE_LEARNER), &added).error_message(),
            "user.name: control characters are not allowed");
  EXPECT_EQ(store.AddUser(MakeUser(std::string(65, 'x'), v1::ROLE_LEARNER), &added)
                .error_message()
                .rfind("user.name:", 0),
            0u);
  EXPECT_EQ(store.AddUser(MakeUser("x", v1::ROLE_UNSPECIFIED), &added)
                .error_message()
                .rfind("user.role:", 0),
            0u);
  ASSERT_TRUE(store.AddUser(MakeUser("x", v1::ROLE_LEARNER), &added).ok());
  EXPECT_EQ(store.AddUser(MakeUser("x", v1::ROLE_ADMIN), &added).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  v1::CreateTokenResponse created;
  EXPECT_EQ(store.CreateToken("nobody", "", std::nullopt, &created).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST(TokenStoreTest, MalformedTokensAreNotLookedUp) {
  TempDir dir;
  TokenStore store(dir.path());
  EXPECT_FALSE(store.Authenticate(""));
  EXPECT_FALSE(store.Authenticate("Bearer"));
  EXPECT_FALSE(store.Authenticate(std::string(64, 'G')));
  EXPECT_FALSE(store.Authenticate(NewToken()));
  EXPECT_NE(NewToken(), NewToken());
}

TEST(FailureLimiterTest, AHostIsBlockedAfterItsBurstAndOthersAreNot) {
  FailureLimiter limiter({.burst = 3, .refill = std::chrono::hours(1)});
  EXPECT_FALSE(limiter.Blocked("10.0.0.1"));
  EXPECT_FALSE(limiter.RecordFailure("10.0.0.1"));
  EXPECT_FALSE(limiter.RecordFailure("10.0.0.1"));
  EXPECT_FALSE(limiter.Blocked("10.0.0.1"));
  EXPECT_TRUE(limiter.RecordFailure("10.0.0.1"));
  const std::optional<std::chrono::milliseconds> wait = limiter.Blocked("10.0.0.1");
  ASSERT_TRUE(wait);
  EXPECT_GT(*wait, std::chrono::minutes(59));
  EXPECT_FALSE(limiter.Blocked("10.0.0.2"));
}

TEST(FailureLimiterTest, TheAllowanceComesBackOverTime) {
  FailureLimiter limiter({.burst = 1, .refill = std::chrono::milliseconds(1)});
  EXPECT_TRUE(limiter.RecordFailure("10.0.0.1"));
  // One allowance per millisecond: however slow this machine, it is back
  // once a millisecond has passed.
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(2)) {
  }
  EXPECT_FALSE(limiter.Blocked("10.0.0.1"));
}

TEST(PeerHostTest, StripsSchemeAndPort) {
  EXPECT_EQ(PeerHost("ipv4:127.0.0.1:5678"), "127.0.0.1");
  EXPECT_EQ(PeerHost("ipv6:[::1]:5678"), "[::1]");
  EXPECT_EQ(PeerHost("10.1.2.3:50052"), "10.1.2.3");
  EXPECT_EQ(PeerHost("unix:/tmp/socket"), "/tmp/socket");
  // An IPv6 host may rotate through its /64: counted as one.
  EXPECT_EQ(PeerHost("ipv6:[2001:db8:1:2::7]:5678"), "[2001:db8:1:2::]/64");
  EXPECT_EQ(PeerHost("ipv6:[2001:db8:1:2:aaaa:bbbb:cccc:dddd]:5678"), "[2001:db8:1:2::]/64");
  EXPECT_EQ(PeerHost("2001:db8:1:3::9:50052"), "[2001:db8:1:3::]/64") << "a TCP peer";
  EXPECT_EQ(PeerHost("ipv6:[::ffff:10.1.2.3]:5678"), "10.1.2.3");
  // As gRPC 1.51 gives them: URIs, brackets percent-encoded.
  EXPECT_EQ(PeerHost("ipv6:%5B2001:db8:1:2::7%5D:5678"), "[2001:db8:1:2::]/64");
  EXPECT_EQ(PeerHost("ipv6:%5B::1%5D:5678"), "[::1]");
  EXPECT_EQ(PeerHost("ipv6:%5B::ffff:10.1.2.3%5D:5678"), "10.1.2.3");
}

TEST(AccessPolicyTest, EveryRpcHasARuleAndNoRuleNamesAMissingRpc) {
  const std::vector<std::string> listed = testing::EveryPedisimRpc();
  const std::set<std::string> methods(listed.begin(), listed.end());
  ASSERT_GT(methods.size(), 30u);
  std::set<std::string> in_policy;
  for (std::string_view method : MethodsInPolicy()) in_policy.insert(std::string(method));
  for (const std::string& method : methods) {
    EXPECT_EQ(in_policy.count(method), 1u) << method << " has no rule: no one may call it";
  }
  for (const std::string& method : in_policy) {
    if (method.starts_with("/grpc.")) continue;
    EXPECT_EQ(methods.count(method), 1u) << method << " is not an RPC of proto/";
  }
}

TEST(AccessPolicyTest, LearnersReadAndDevicesConnectAndNoOneElseGetsIn) {
  EXPECT_EQ(AccessTo("/pedisim.v1.SessionService/Watch", Role::kLearner), Access::kAllowed);
  EXPECT_EQ(AccessTo("/pedisim.v1.SessionService/Stop", Role::kLearner), Access::kDenied);
  EXPECT_EQ(AccessTo("/pedisim.v1.SessionService/Stop", Role::kInstructor), Access::kAllowed);
  EXPECT_EQ(AccessTo("/pedisim.v1.DeviceService/Connect", Role::kDevice), Access::kAllowed);
  EXPECT_EQ(AccessTo("/pedisim.v1.SessionService/Get", Role::kDevice), Access::kDenied);
  EXPECT_EQ(AccessTo("/pedisim.v1.AdminService/AddUser", Role::kInstructor), Access::kDenied);
  EXPECT_EQ(AccessTo("/pedisim.v1.NoSuchService/Call", Role::kAdmin), Access::kDenied);
  EXPECT_EQ(AccessTo("/grpc.health.v1.Health/Check", Role::kDevice), Access::kPublic);
}

}  // namespace
}  // namespace pedisim::auth
