// Authentication and roles against a real controller on loopback: every RPC
// refuses callers without a valid token, each role reaches what the table
// gives it and nothing more, learners see only their own sessions, device
// accounts only the session they paired with, and repeated failures from one
// host are rate-limited.

#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <asio.hpp>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <set>

#include "controller_process.h"
#include "core/protocol/frame_codec.h"
#include "devices/network/device_client.h"
#include "every_rpc.h"
#include "pedisim/v1/admin_service.grpc.pb.h"
#include "pedisim/v1/assessment_service.grpc.pb.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/device_service.grpc.pb.h"
#include "pedisim/v1/scenario_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

using devices::DeviceClient;

// Calls `method` with an empty request whatever its kind (a unary call on
// the wire: one message, then half-close) and returns the status.
grpc::Status CallWithEmptyRequest(const std::shared_ptr<grpc::Channel>& channel,
                                  const std::string& method) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::Slice empty("");
  const grpc::ByteBuffer request(&empty, 1);
  auto call = stub.PrepareUnaryCall(&context, method, request, &queue);
  call->StartCall();
  grpc::ByteBuffer response;
  grpc::Status status;
  call->Finish(&response, &status, &status);
  void* tag = nullptr;
  bool ok = false;
  queue.Next(&tag, &ok);
  queue.Shutdown();
  while (queue.Next(&tag, &ok)) {
  }
  return status;
}

class AccessTest : public ::testing::Test {
 protected:
  explicit AccessTest(std::vector<std::string> flags = {})
      : controller_(PEDISIM_TEST_SCENARIOS_DIR, flags),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {}

  v1::Session Create(const std::vector<std::string>& participants) {
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    request.set_speed(8);
    for (const std::string& name : participants) request.add_participants()->set_name(name);
    grpc::ClientContext context;
    v1::Session session;
    const grpc::Status status = sessions_->Create(&context, request, &session);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return session;
  }

  grpc::Status GetAs(const std::string& token, const std::string& id, v1::Session* session) {
    auto stub = v1::SessionService::NewStub(controller_.ChannelWithToken(token));
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(id);
    return stub->Get(&context, ref, session);
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
};

// Hundreds of failed calls from one host: the failure limit would step in
// (RateLimitTest checks it), so it is set out of reach here.
class EveryRpcTest : public AccessTest {
 protected:
  EveryRpcTest() : AccessTest({"--auth-failure-burst", "100000"}) {}
};

TEST_F(EveryRpcTest, RefusesCallsWithoutAValidToken) {
  const std::vector<std::string> methods = EveryPedisimRpc();
  ASSERT_GT(methods.size(), 30u);
  for (const std::string& token : {std::string(), std::string(64, '0'), std::string("secret")}) {
    const std::shared_ptr<grpc::Channel> channel = controller_.ChannelWithToken(token);
    for (const std::string& method : methods) {
      const grpc::Status status = CallWithEmptyRequest(channel, method);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << method << " with token '" << token << "': " << status.error_message();
      EXPECT_EQ(status.error_message().rfind("authorization:", 0), 0u) << status.error_message();
    }
  }
  std::ifstream log(controller_.log_file());
  const std::string text{std::istreambuf_iterator<char>(log), {}};
  EXPECT_NE(text.find("refused /pedisim.v1.SessionService/Stop from ipv4:127.0.0.1:"),
            std::string::npos)
      << "refusals are logged with the peer";
}

// Under EveryRpcTest's high failure allowance: each refusal here counts
// against the host (RateLimitTest).
TEST_F(EveryRpcTest, EachRoleReachesExactlyWhatTheTableGivesIt) {
  // What learners and devices may call; admins may call everything, and
  // instructors everything but AdminService (except WhoAmI).
  // RenewToken, which every role may call, revokes the token it is called
  // with: RenewTokenTest covers it.
  const std::set<std::string> learner_methods = {"/pedisim.v1.SessionService/Get",
                                                 "/pedisim.v1.SessionService/List",
                                                 "/pedisim.v1.SessionService/Watch",
                                                 "/pedisim.v1.AssessmentService/GetAssessment",
                                                 "/pedisim.v1.DebriefService/ListRecordings",
                                                 "/pedisim.v1.DebriefService/GetRecording",
                                                 "/pedisim.v1.DebriefService/Replay",
                                                 "/pedisim.v1.DebriefService/ExportReport",
                                                 "/pedisim.v1.AdminService/WhoAmI"};
  const std::set<std::string> device_methods = {"/pedisim.v1.DeviceService/Connect",
                                                "/pedisim.v1.AdminService/WhoAmI"};
  const std::string learner = controller_.AddUserWithToken("Nurse Lee", "learner");
  const std::string device = controller_.AddUserWithToken("monitor-3", "device");
  const std::string instructor = controller_.AddUserWithToken("Dr. Osei", "instructor");
  for (const std::string& method : EveryPedisimRpc()) {
    if (method == kRenewTokenRpc) continue;
    const bool admin_service = method.starts_with("/pedisim.v1.AdminService/");
    for (const auto& [token, allowed] :
         {std::pair{learner, learner_methods.count(method) > 0},
          std::pair{device, device_methods.count(method) > 0},
          std::pair{instructor, !admin_service || method.ends_with("/WhoAmI")},
          std::pair{controller_.admin_token(), true}}) {
      const grpc::Status status = CallWithEmptyRequest(controller_.ChannelWithToken(token), method);
      EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << method;
      if (allowed) {
        EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << method << ": " << status.error_message();
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
            << method << ": " << status.error_message();
      }
    }
  }
}

// Tokens of people expire (--token-lifetime-days); `pedisimctl login`
// renews one before it does. Every role may renew its own.
TEST_F(AccessTest, RenewTokenReplacesTheCallersTokenWithAFreshLifetime) {
  const std::string learner = controller_.AddUserWithToken("Nurse Lee", "learner");
  const std::string device = controller_.AddUserWithToken("monitor-3", "device");
  for (const std::string& old_token : {learner, device}) {
    auto admin = v1::AdminService::NewStub(controller_.ChannelWithToken(old_token));
    grpc::ClientContext context;
    v1::CreateTokenResponse renewed;
    const grpc::Status status = admin->RenewToken(&context, v1::RenewTokenRequest(), &renewed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    v1::Session seen;
    EXPECT_EQ(GetAs(old_token, "none", &seen).error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << "the old token is revoked";
    auto again = v1::AdminService::NewStub(controller_.ChannelWithToken(renewed.token()));
    grpc::ClientContext who_context;
    v1::User me;
    ASSERT_TRUE(again->WhoAmI(&who_context, v1::WhoAmIRequest(), &me).ok());
    if (old_token == learner) {
      EXPECT_EQ(me.name(), "Nurse Lee");
      // People's tokens work 180 days by default.
      EXPECT_EQ(renewed.info().expires_at().seconds() - renewed.info().created_at().seconds(),
                180 * 86400);
    } else {
      EXPECT_EQ(me.name(), "monitor-3");
      EXPECT_FALSE(renewed.info().has_expires_at()) << "devices' tokens work until revoked";
    }
  }
}

TEST_F(AccessTest, ALearnerSeesOnlyTheirOwnSessionsAndControlsNothing) {
  const std::string lee = controller_.AddUserWithToken("Nurse Lee", "learner");
  const v1::Session hers = Create({"Dr. Osei", "Nurse Lee"});
  const v1::Session other = Create({"Dr. Osei", "Nurse Kim"});

  v1::Session seen;
  EXPECT_TRUE(GetAs(lee, hers.id(), &seen).ok());
  const grpc::Status hidden = GetAs(lee, other.id(), &seen);
  EXPECT_EQ(hidden.error_code(), grpc::StatusCode::NOT_FOUND) << "as if it did not exist";
  EXPECT_EQ(hidden.error_message(), "session_id: no session '" + other.id() + "'");

  auto as_lee = v1::SessionService::NewStub(controller_.ChannelWithToken(lee));
  {
    grpc::ClientContext context;
    v1::ListSessionsResponse listed;
    ASSERT_TRUE(as_lee->List(&context, v1::ListSessionsRequest(), &listed).ok());
    ASSERT_EQ(listed.sessions_size(), 1);
    EXPECT_EQ(listed.sessions(0).id(), hers.id());
  }
  {
    grpc::ClientContext context;
    v1::WatchRequest request;
    request.set_session_id(other.id());
    auto reader = as_lee->Watch(&context, request);
    v1::SessionUpdate update;
    EXPECT_FALSE(reader->Read(&update));
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::NOT_FOUND);
  }
  {
    grpc::ClientContext context;
    v1::WatchRequest request;
    request.set_session_id(hers.id());
    auto reader = as_lee->Watch(&context, request);
    v1::SessionUpdate update;
    ASSERT_TRUE(reader->Read(&update));
    EXPECT_EQ(update.snapshot().id(), hers.id());
    context.TryCancel();
    while (reader->Read(&update)) {
    }
    reader->Finish();
  }
  {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(hers.id());
    v1::Session after;
    const grpc::Status refused = as_lee->Start(&context, ref, &after);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_EQ(refused.error_message(),
              "learner 'Nurse Lee' may not call /pedisim.v1.SessionService/Start");
  }
  EXPECT_EQ(GetAs(controller_.admin_token(), hers.id(), &seen).error_code(), grpc::StatusCode::OK);
  EXPECT_EQ(seen.status(), v1::SESSION_STATUS_CREATED) << "the refused Start did nothing";

  // The assessment: only the learner's view, whatever the learner asks for.
  auto assessments = v1::AssessmentService::NewStub(controller_.ChannelWithToken(lee));
  grpc::ClientContext context;
  v1::GetAssessmentRequest request;
  request.set_session_id(hers.id());
  request.set_viewer_role(v1::VIEWER_ROLE_INSTRUCTOR);
  v1::Assessment assessment;
  ASSERT_TRUE(assessments->GetAssessment(&context, request, &assessment).ok());
  EXPECT_FALSE(assessment.released());
  EXPECT_EQ(assessment.items_size(), 0) << "nothing before release";
}

TEST_F(AccessTest, RevokedTokensAndRemovedUsersAreRefusedAtOnce) {
  auto admin = v1::AdminService::NewStub(controller_.channel());
  const std::string token = controller_.AddUserWithToken("Dr. Osei", "instructor");
  v1::Session seen;
  const v1::Session session = Create({});
  ASSERT_TRUE(GetAs(token, session.id(), &seen).ok());

  v1::ListTokensRequest list;
  list.set_user("Dr. Osei");
  v1::ListTokensResponse tokens;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(admin->ListTokens(&context, list, &tokens).ok());
  }
  ASSERT_EQ(tokens.tokens_size(), 1);
  EXPECT_EQ(tokens.DebugString().find(token), std::string::npos) << "never the secret";
  {
    grpc::ClientContext context;
    v1::RevokeTokenRequest revoke;
    revoke.set_id(tokens.tokens(0).id());
    v1::RevokeTokenResponse revoked;
    ASSERT_TRUE(admin->RevokeToken(&context, revoke, &revoked).ok());
  }
  EXPECT_EQ(GetAs(token, session.id(), &seen).error_code(), grpc::StatusCode::UNAUTHENTICATED);

  const std::string second = controller_.AddUserWithToken("Dr. Kim", "instructor");
  ASSERT_TRUE(GetAs(second, session.id(), &seen).ok());
  {
    grpc::ClientContext context;
    v1::RemoveUserRequest remove;
    remove.set_name("Dr. Kim");
    v1::RemoveUserResponse removed;
    ASSERT_TRUE(admin->RemoveUser(&context, remove, &removed).ok());
    EXPECT_EQ(removed.tokens_revoked(), 1u);
  }
  EXPECT_EQ(GetAs(second, session.id(), &seen).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  {
    grpc::ClientContext context;
    v1::RemoveUserRequest remove;
    remove.set_name("admin");
    v1::RemoveUserResponse removed;
    EXPECT_EQ(admin->RemoveUser(&context, remove, &removed).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION)
        << "an admin cannot lock themselves out";
  }
}

TEST_F(AccessTest, TheAdminTokenFileIsTheOwnersAloneAndTheStoreHoldsNoToken) {
  struct stat info {};
  ASSERT_EQ(stat(controller_.admin_token_file().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  for (const char* file : {"auth.sqlite3", "auth.sqlite3-wal", "auth.sqlite3-journal"}) {
    std::ifstream in(controller_.data_dir() / file, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), {}};
    EXPECT_EQ(bytes.find(controller_.admin_token()), std::string::npos) << file;
  }
}

// Whatever the umask of whoever started it (a test's is usually 022).
TEST_F(AccessTest, EverythingTheControllerWritesIsItsAccountsAlone) {
  const v1::Session session = Create({"Nurse Lee"});
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  for (auto call : {&v1::SessionService::Stub::Start, &v1::SessionService::Stub::Stop}) {
    grpc::ClientContext context;
    v1::Session ignored;
    ASSERT_TRUE(((*sessions_).*call)(&context, ref, &ignored).ok());
  }
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(controller_.data_dir())) {
    struct stat info {};
    ASSERT_EQ(lstat(entry.path().c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 077, 0u) << entry.path() << " is open to others";
    ++files;
  }
  EXPECT_GE(files, 5) << "records, catalog, token store, admin token";
}

v1::DeviceHello DeviceHello(const std::string& name) {
  v1::DeviceHello hello;
  hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
  hello.set_name(name);
  hello.mutable_identity()->set_manufacturer("Test Devices");
  hello.mutable_identity()->set_model("Paired Monitor");
  hello.mutable_identity()->set_serial(name);
  return hello;
}

// A diagnostic result is the instructor's to release: a learner cannot, an
// order must come first, and the learner's Watch carries no result until
// the release, then the result of the state the session is in, caused by
// the order.
TEST_F(AccessTest, ADiagnosticResultReachesLearnersOnlyWhenAnInstructorReleasesIt) {
  const std::string lee = controller_.AddUserWithToken("Nurse Lee", "learner");
  const v1::Session session = Create({"Nurse Lee"});
  {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(session.id());
    v1::Session started;
    ASSERT_TRUE(sessions_->Start(&context, ref, &started).ok());
  }
  auto as_lee = v1::SessionService::NewStub(controller_.ChannelWithToken(lee));
  grpc::ClientContext watch_context;
  watch_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::WatchRequest watch;
  watch.set_session_id(session.id());
  watch.set_after_event_id(0);
  auto stream = as_lee->Watch(&watch_context, watch);
  // Every event the learner saw, until `until` holds for one.
  std::vector<v1::Event> seen;
  auto read_until = [&](const std::function<bool(const v1::Event&)>& until) {
    v1::SessionUpdate update;
    while (stream->Read(&update)) {
      if (!update.has_event()) continue;
      seen.push_back(update.event());
      if (until(update.event())) return true;
    }
    return false;
  };
  ASSERT_TRUE(read_until([](const v1::Event& event) {
    return event.kind() == v1::EVENT_KIND_STATE_ENTERED &&
           event.state_change().to_state() == "distress";
  }));

  v1::ReleaseDiagnosticResultRequest release;
  release.set_session_id(session.id());
  release.set_diagnostic("blood_gas");
  auto release_as = [&](v1::SessionService::Stub& stub, v1::Event* event) {
    grpc::ClientContext context;
    return stub.ReleaseDiagnosticResult(&context, release, event);
  };
  v1::Event released;
  const grpc::Status by_learner = release_as(*as_lee, &released);
  EXPECT_EQ(by_learner.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status before_order = release_as(*sessions_, &released);
  EXPECT_EQ(before_order.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(before_order.error_message(),
            "diagnostic: 'blood_gas' has not been ordered in this session");
  release.set_diagnostic("chest_xray");
  const grpc::Status no_result = release_as(*sessions_, &released);
  EXPECT_EQ(no_result.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(no_result.error_message(),
            "diagnostic: scenario 'test-short' defines no result for 'chest_xray' in state "
            "'distress'");

  v1::Event ordered;
  {
    grpc::ClientContext context;
    v1::LogActionRequest order;
    order.set_session_id(session.id());
    order.mutable_action()->set_kind(v1::ACTION_KIND_DIAGNOSTIC_ORDERED);
    order.mutable_action()->set_diagnostic("blood_gas");
    ASSERT_TRUE(sessions_->LogAction(&context, order, &ordered).ok());
  }
  ASSERT_TRUE(read_until([&](const v1::Event& event) { return event.id() == ordered.id(); }));
  for (const v1::Event& event : seen) {
    EXPECT_NE(event.kind(), v1::EVENT_KIND_DIAGNOSTIC_RESULT_RELEASED);
    EXPECT_EQ(event.summary().find("gas:"), std::string::npos) << event.summary();
  }

  release.set_diagnostic("Blood_Gas");
  const grpc::Status status = release_as(*sessions_, &released);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(released.kind(), v1::EVENT_KIND_DIAGNOSTIC_RESULT_RELEASED);
  EXPECT_EQ(released.agent(), v1::AGENT_INSTRUCTOR);
  EXPECT_EQ(released.cause_event_id(), ordered.id());
  EXPECT_EQ(released.summary(), "blood_gas result released: pH 7.21; distress gas");
  ASSERT_TRUE(read_until([&](const v1::Event& event) { return event.id() == released.id(); }));
  const v1::ReleasedDiagnosticResult& result = seen.back().diagnostic_result();
  EXPECT_EQ(result.diagnostic(), "blood_gas");
  EXPECT_EQ(result.state(), "distress");
  EXPECT_EQ(result.text(), "distress gas");
  ASSERT_EQ(result.values_size(), 1);
  EXPECT_DOUBLE_EQ(result.values(0).value(), 7.21);
  EXPECT_EQ(result.ordered_event_id(), ordered.id());
  watch_context.TryCancel();
  v1::SessionUpdate rest;
  while (stream->Read(&rest)) {
  }
  stream->Finish();

  // A fork re-runs the record: the release is in its history as it was.
  v1::Event bookmark;
  {
    grpc::ClientContext context;
    v1::AddBookmarkRequest mark;
    mark.set_session_id(session.id());
    mark.set_label("after the gas");
    ASSERT_TRUE(sessions_->AddBookmark(&context, mark, &bookmark).ok());
  }
  {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(session.id());
    v1::Session stopped;
    ASSERT_TRUE(sessions_->Stop(&context, ref, &stopped).ok());
  }
  auto debrief = v1::DebriefService::NewStub(controller_.channel());
  v1::Session forked;
  {
    grpc::ClientContext context;
    v1::ForkRequest fork;
    fork.set_session_id(session.id());
    fork.set_bookmark_event_id(bookmark.id());
    const grpc::Status forked_status = debrief->Fork(&context, fork, &forked);
    ASSERT_TRUE(forked_status.ok()) << forked_status.error_message();
  }
  grpc::ClientContext fork_context;
  fork_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::WatchRequest fork_watch;
  fork_watch.set_session_id(forked.id());
  fork_watch.set_after_event_id(0);
  auto fork_stream = sessions_->Watch(&fork_context, fork_watch);
  v1::SessionUpdate update;
  std::optional<v1::Event> rerun;
  while (fork_stream->Read(&update)) {
    if (!update.has_event()) continue;
    if (update.event().id() == released.id()) rerun = update.event();
    if (update.event().id() >= bookmark.id()) break;
  }
  fork_context.TryCancel();
  while (fork_stream->Read(&update)) {
  }
  fork_stream->Finish();
  ASSERT_TRUE(rerun.has_value());
  EXPECT_EQ(rerun->kind(), v1::EVENT_KIND_DIAGNOSTIC_RESULT_RELEASED);
  EXPECT_EQ(rerun->diagnostic_result().text(), "distress gas");
}

// Revoking a token cuts what it has open, not only what it opens next: a
// learner's Watch, and devices on either transport.
TEST_F(AccessTest, StreamsOpenedWithARevokedTokenEnd) {
  auto admin = v1::AdminService::NewStub(controller_.channel());
  const std::string lee = controller_.AddUserWithToken("Nurse Lee", "learner");
  const std::string monitor = controller_.AddUserWithToken("monitor-3", "device");
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  create.add_participants()->set_name("Nurse Lee");
  v1::Session session;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions_->Create(&context, create, &session).ok());
  }
  {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(session.id());
    ASSERT_TRUE(sessions_->Start(&context, ref, &session).ok());
  }
  auto as_lee = v1::SessionService::NewStub(controller_.ChannelWithToken(lee));
  grpc::ClientContext watch_context;
  // Only so that a stream the revocation does not end fails the test.
  watch_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  v1::WatchRequest watch;
  watch.set_session_id(session.id());
  auto stream = as_lee->Watch(&watch_context, watch);
  v1::SessionUpdate update;
  ASSERT_TRUE(stream->Read(&update)) << "the learner watches their session";

  std::vector<std::unique_ptr<DeviceClient>> devices;
  for (DeviceClient::Transport transport :
       {DeviceClient::Transport::kGrpc, DeviceClient::Transport::kTcp}) {
    DeviceClient::Options options;
    options.transport = transport;
    options.address = transport == DeviceClient::Transport::kGrpc
                          ? controller_.address()
                          : "127.0.0.1:" + std::to_string(controller_.device_tcp_port());
    options.token = monitor;
    options.hello = DeviceHello(transport == DeviceClient::Transport::kGrpc ? "grpc" : "tcp");
    options.hello.set_pairing_code(session.pairing_code());
    grpc::Status status;
    devices.push_back(DeviceClient::Connect(options, &status));
    ASSERT_NE(devices.back(), nullptr) << status.error_message();
  }

  v1::ListTokensRequest list;
  list.set_user("Nurse Lee");
  v1::ListTokensResponse tokens;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(admin->ListTokens(&context, list, &tokens).ok());
    ASSERT_EQ(tokens.tokens_size(), 1);
  }
  {
    grpc::ClientContext context;
    v1::RevokeTokenRequest revoke;
    revoke.set_id(tokens.tokens(0).id());
    v1::RevokeTokenResponse revoked;
    ASSERT_TRUE(admin->RevokeToken(&context, revoke, &revoked).ok());
  }
  // The session goes on updating: the stream ends at one of the next ones.
  while (stream->Read(&update)) {
  }
  const grpc::Status watch_end = stream->Finish();
  EXPECT_EQ(watch_end.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(watch_end.error_message(), "authorization: the token was revoked or its user removed");

  {
    grpc::ClientContext context;
    v1::RemoveUserRequest remove;
    remove.set_name("monitor-3");
    v1::RemoveUserResponse removed;
    ASSERT_TRUE(admin->RemoveUser(&context, remove, &removed).ok());
  }
  // Devices answer heartbeats: the next answer finds the account gone.
  for (const std::unique_ptr<DeviceClient>& device : devices) {
    v1::ControllerMessage message;
    while (device->Next(&message)) {
    }
    EXPECT_EQ(device->final_status().error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << device->final_status().error_message();
  }
  v1::Session after;
  EXPECT_TRUE(GetAs(controller_.admin_token(), session.id(), &after).ok());
  EXPECT_EQ(after.status(), v1::SESSION_STATUS_RUNNING) << "the session itself goes on";
}

TEST_F(AccessTest, ADeviceAccountJoinsOnlyTheSessionItPairedWithOnEitherTransport) {
  const std::string device = controller_.AddUserWithToken("monitor-3", "device");
  const v1::Session first = Create({});
  const v1::Session second = Create({});
  for (DeviceClient::Transport transport :
       {DeviceClient::Transport::kGrpc, DeviceClient::Transport::kTcp}) {
    SCOPED_TRACE(transport == DeviceClient::Transport::kGrpc ? "gRPC" : "TCP");
    DeviceClient::Options options;
    options.transport = transport;
    options.address = transport == DeviceClient::Transport::kGrpc
                          ? controller_.address()
                          : "127.0.0.1:" + std::to_string(controller_.device_tcp_port());

    // No token at all.
    options.hello = DeviceHello("anonymous");
    options.hello.set_pairing_code(first.pairing_code());
    grpc::Status status;
    EXPECT_EQ(DeviceClient::Connect(options, &status), nullptr);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();

    options.token = device;
    // A device account names no session by id until it has paired.
    if (transport == DeviceClient::Transport::kGrpc) {
      options.hello = DeviceHello("by-id");
      options.hello.set_session_id(first.id());
      EXPECT_EQ(DeviceClient::Connect(options, &status), nullptr);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
      EXPECT_EQ(status.error_message().rfind("hello.session_id:", 0), 0u) << status.error_message();
    }
    // The pairing code pairs it, and then the id works too.
    options.hello = DeviceHello(transport == DeviceClient::Transport::kGrpc ? "grpc" : "tcp");
    options.hello.set_pairing_code(first.pairing_code());
    std::unique_ptr<DeviceClient> joined = DeviceClient::Connect(options, &status);
    ASSERT_NE(joined, nullptr) << status.error_message();
    EXPECT_EQ(joined->welcome().session_id(), first.id());
    options.hello = DeviceHello("again-by-id");
    options.hello.set_session_id(first.id());
    EXPECT_NE(DeviceClient::Connect(options, &status), nullptr) << status.error_message();

    // Another session, even with its code, is not this device's.
    options.hello = DeviceHello("elsewhere");
    options.hello.set_pairing_code(second.pairing_code());
    EXPECT_EQ(DeviceClient::Connect(options, &status), nullptr);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_NE(status.error_message().find("is paired with session " + first.id()),
              std::string::npos)
        << status.error_message();
  }
}

class RateLimitTest : public AccessTest {
 protected:
  RateLimitTest()
      : AccessTest({"--auth-failure-burst", "5", "--auth-failure-refill-ms", "3600000"}) {}
};

// Six-digit pairing codes are few: a device account guessing them is
// counted like a caller guessing tokens, on either transport.
TEST_F(RateLimitTest, WrongPairingCodesAreCountedLikeWrongTokens) {
  const std::string device = controller_.AddUserWithToken("monitor-3", "device");
  const v1::Session session = Create({});
  DeviceClient::Options options;
  options.transport = DeviceClient::Transport::kGrpc;
  options.address = controller_.address();
  options.token = device;
  grpc::Status status;
  int not_found = 0;
  for (int guess = 0; guess < 50; ++guess) {
    options.hello = DeviceHello("guesser");
    std::string code = std::to_string(100000 + guess);
    if (code == session.pairing_code()) code = "999999";
    options.hello.set_pairing_code(code);
    if (DeviceClient::Connect(options, &status) != nullptr) FAIL() << "joined with " << code;
    if (status.error_code() != grpc::StatusCode::NOT_FOUND) break;
    ++not_found;
  }
  EXPECT_EQ(not_found, 5);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  // The right code does not help while the account is refused, nor does the
  // other transport.
  options.hello = DeviceHello("guesser");
  options.hello.set_pairing_code(session.pairing_code());
  EXPECT_EQ(DeviceClient::Connect(options, &status), nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  options.transport = DeviceClient::Transport::kTcp;
  options.address = "127.0.0.1:" + std::to_string(controller_.device_tcp_port());
  EXPECT_EQ(DeviceClient::Connect(options, &status), nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  std::ifstream log(controller_.log_file());
  const std::string text{std::istreambuf_iterator<char>(log), {}};
  EXPECT_NE(text.find("no running session has the pairing code it gave"), std::string::npos);
}

TEST_F(RateLimitTest, RepeatedFailuresFromOneHostAreRefusedButValidTokensFromItAreNot) {
  const v1::Session session = Create({});
  v1::Session seen;
  int unauthenticated = 0;
  grpc::Status status;
  // Five failures are allowed, then the host is refused; the bound only
  // stops a broken limiter from looping for ever.
  for (int attempt = 0; attempt < 50; ++attempt) {
    status = GetAs(std::string(64, 'a'), session.id(), &seen);
    if (status.error_code() != grpc::StatusCode::UNAUTHENTICATED) break;
    ++unauthenticated;
  }
  EXPECT_EQ(unauthenticated, 5);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(
      status.error_message().rfind("authorization: too many failed attempts from 127.0.0.1", 0), 0u)
      << status.error_message();
  // Every tablet of a ward shares one address: a valid token still works.
  EXPECT_TRUE(GetAs(controller_.admin_token(), session.id(), &seen).ok());
  // Devices on TCP are counted with the same host: a wrong token is
  // refused at once, a valid one joins.
  DeviceClient::Options options;
  options.transport = DeviceClient::Transport::kTcp;
  options.address = "127.0.0.1:" + std::to_string(controller_.device_tcp_port());
  options.hello = DeviceHello("tcp");
  options.hello.set_session_id(session.id());
  options.token = std::string(64, 'b');
  EXPECT_EQ(DeviceClient::Connect(options, &status), nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  options.token = controller_.admin_token();
  EXPECT_NE(DeviceClient::Connect(options, &status), nullptr) << status.error_message();
}

// The finding: ten refused calls on a learner's token locked out every
// caller from that address, instructors included.
TEST_F(RateLimitTest, ALearnerOverTheLimitDoesNotLockOutAnInstructorOnTheSameAddress) {
  const std::string learner = controller_.AddUserWithToken("Nurse Lee", "learner");
  const std::string instructor = controller_.AddUserWithToken("Dr. Osei", "instructor");
  const v1::Session session = Create({});
  auto as_learner = v1::SessionService::NewStub(controller_.ChannelWithToken(learner));
  grpc::Status status;
  for (int attempt = 0; attempt < 20; ++attempt) {
    grpc::ClientContext context;
    v1::SessionRef stop;
    stop.set_session_id(session.id());
    v1::Session stopped;
    status = as_learner->Stop(&context, stop, &stopped);
    if (status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) break;
  }
  ASSERT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  EXPECT_EQ(status.error_message().rfind("authorization: too many refused calls by 'Nurse Lee'", 0),
            0u)
      << status.error_message();
  v1::Session seen;
  EXPECT_TRUE(GetAs(instructor, session.id(), &seen).ok()) << "the instructor is locked out";
  EXPECT_TRUE(GetAs(controller_.admin_token(), session.id(), &seen).ok());
  // The learner's own allowed calls wait with the rest of theirs.
  EXPECT_EQ(GetAs(learner, session.id(), &seen).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(RateLimitTest, ATokenCallingWhatItsRoleMayNotIsCountedToo) {
  const std::string learner = controller_.AddUserWithToken("Nurse Lee", "learner");
  auto sessions = v1::SessionService::NewStub(controller_.ChannelWithToken(learner));
  grpc::Status status;
  int denied = 0;
  for (int attempt = 0; attempt < 50; ++attempt) {
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    grpc::ClientContext context;
    v1::Session created;
    status = sessions->Create(&context, request, &created);
    if (status.error_code() != grpc::StatusCode::PERMISSION_DENIED) break;
    ++denied;
  }
  EXPECT_EQ(denied, 5);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << status.error_message();
  std::ifstream log(controller_.log_file());
  const std::string text{std::istreambuf_iterator<char>(log), {}};
  EXPECT_NE(text.find("PERMISSION_DENIED learner 'Nurse Lee' may not call "
                      "/pedisim.v1.SessionService/Create"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace pedisim::testing
