// A device that leaves and comes back 1,000 times in one session, on each
// transport: every departure and return is logged, in order, with
// contiguous event ids; the session goes on; the controller holds no more
// sockets or threads afterwards than before; and the device can still join.
// PEDISIM_RECONNECT_ROUNDS sets the count (default 1,000).

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "controller_process.h"
#include "devices/network/device_client.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "process_figures.h"

namespace pedisim::testing {
namespace {

using devices::DeviceClient;
using Clock = std::chrono::steady_clock;

int Rounds() {
  const char* rounds = std::getenv("PEDISIM_RECONNECT_ROUNDS");
  return rounds != nullptr ? std::max(1, std::atoi(rounds)) : 1000;
}

class ReconnectTest : public ::testing::TestWithParam<DeviceClient::Transport> {
 protected:
  ReconnectTest()
      : controller_(PEDISIM_TEST_SCENARIOS_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    grpc::ClientContext context;
    EXPECT_TRUE(sessions_->Create(&context, request, &session_).ok());
    grpc::ClientContext start_context;
    v1::SessionRef ref;
    ref.set_session_id(session_.id());
    v1::Session ignored;
    EXPECT_TRUE(sessions_->Start(&start_context, ref, &ignored).ok());
  }

  DeviceClient::Options Options() const {
    DeviceClient::Options options;
    options.transport = GetParam();
    options.address = GetParam() == DeviceClient::Transport::kGrpc
                          ? controller_.address()
                          : "127.0.0.1:" + std::to_string(controller_.device_tcp_port());
    v1::DeviceHello& hello = options.hello;
    hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
    hello.set_name("flaky");
    hello.set_session_id(session_.id());
    hello.mutable_identity()->set_manufacturer("Test Devices");
    hello.mutable_identity()->set_model("Loose Cable");
    hello.mutable_identity()->set_serial("SN-FLAKY");
    options.token = controller_.admin_token();
    return options;
  }

  // Joins, then signs off in good order and reads to the end of the link.
  ::testing::AssertionResult JoinAndLeave() {
    grpc::Status status;
    std::unique_ptr<DeviceClient> device = DeviceClient::Connect(Options(), &status);
    if (device == nullptr) return ::testing::AssertionFailure() << status.error_message();
    device->CloseSending();
    v1::ControllerMessage message;
    while (device->Next(&message)) {
    }
    if (!device->final_status().ok()) {
      return ::testing::AssertionFailure() << device->final_status().error_message();
    }
    return ::testing::AssertionSuccess();
  }

  v1::Session Get() {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(session_.id());
    v1::Session session;
    EXPECT_TRUE(sessions_->Get(&context, ref, &session).ok());
    return session;
  }

  // Every event of the session so far, through Watch's replay.
  std::vector<v1::Event> Events() {
    const uint64_t count = Get().event_count();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::WatchRequest request;
    request.set_session_id(session_.id());
    request.set_after_event_id(0);
    auto reader = sessions_->Watch(&context, request);
    std::vector<v1::Event> events;
    v1::SessionUpdate update;
    while (events.size() < count && reader->Read(&update)) {
      if (update.has_event()) events.push_back(update.event());
    }
    context.TryCancel();
    (void)reader->Finish();
    return events;
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  v1::Session session_;
};

TEST_P(ReconnectTest, AThousandDeparturesAndReturnsAreAllLoggedAndLeakNothing) {
  const int rounds = Rounds();
  // One round first: what the controller starts on first use (gRPC's
  // threads for a new kind of call) is not a leak.
  ASSERT_TRUE(JoinAndLeave());
  const ProcessFigures before = FiguresOf(controller_.pid());

  const Clock::time_point started = Clock::now();
  for (int round = 1; round < rounds; ++round) {
    ASSERT_TRUE(JoinAndLeave()) << "round " << round;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();

  // Sockets close and threads wind down as their last calls are cleaned
  // up; the wait bounds a leak, it is not a timing requirement. A leak
  // grows with the rounds; gRPC's executor keeps a few more threads after
  // a busy spell (up to 4 seen), which the fixed slack allows.
  const size_t fd_slack = 4;
  const size_t thread_slack = 8;
  ProcessFigures after = FiguresOf(controller_.pid());
  for (const Clock::time_point give_up = Clock::now() + std::chrono::seconds(30);
       (after.open_fds > before.open_fds + fd_slack ||
        after.threads > before.threads + thread_slack) &&
       Clock::now() < give_up;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    after = FiguresOf(controller_.pid());
  }
  EXPECT_LE(after.open_fds, before.open_fds + fd_slack);
  EXPECT_LE(after.threads, before.threads + thread_slack);

  EXPECT_EQ(Get().status(), v1::SESSION_STATUS_RUNNING);
  const std::vector<v1::Event> events = Events();
  std::vector<const v1::Event*> flaky;
  for (size_t i = 0; i < events.size(); ++i) {
    ASSERT_EQ(events[i].id(), i + 1) << "event ids are contiguous";
    if (events[i].source() == "flaky") flaky.push_back(&events[i]);
  }
  ASSERT_EQ(flaky.size(), 2u * static_cast<size_t>(rounds)) << "each join and each departure";
  for (size_t i = 0; i < flaky.size(); ++i) {
    const v1::Event& event = *flaky[i];
    if (i % 2 == 0) {
      ASSERT_EQ(event.kind(), v1::EVENT_KIND_DEVICE_ATTACHED) << event.summary();
      ASSERT_NE(event.summary().find(i == 0 ? "joined" : "reconnected"), std::string::npos)
          << event.summary();
    } else {
      ASSERT_EQ(event.kind(), v1::EVENT_KIND_DEVICE_DISCONNECTED) << event.summary();
      ASSERT_NE(event.summary().find("signed off"), std::string::npos) << event.summary();
    }
  }

  // And it still joins, and hears the session.
  grpc::Status status;
  std::unique_ptr<DeviceClient> device = DeviceClient::Connect(Options(), &status);
  ASSERT_NE(device, nullptr) << status.error_message();
  EXPECT_EQ(device->welcome().snapshot().status(), v1::SESSION_STATUS_RUNNING);
  v1::ControllerMessage message;
  ASSERT_TRUE(device->Next(&message));
  EXPECT_TRUE(message.has_update() && message.update().has_event() &&
              message.update().event().kind() == v1::EVENT_KIND_DEVICE_ATTACHED)
      << message.DebugString();

  const std::string transport = GetParam() == DeviceClient::Transport::kGrpc ? "grpc" : "tcp";
  RecordProperty("rounds", rounds);
  RecordProperty("seconds", std::to_string(seconds));
  RecordProperty("fds_before", static_cast<int>(before.open_fds));
  RecordProperty("fds_after", static_cast<int>(after.open_fds));
  RecordProperty("threads_before", static_cast<int>(before.threads));
  RecordProperty("threads_after", static_cast<int>(after.threads));
  RecordProperty("rss_kib_before", static_cast<int>(before.rss_kib));
  RecordProperty("rss_kib_after", static_cast<int>(after.rss_kib));
  std::cout << "reconnect " << transport << ": " << rounds << " rounds in " << seconds
            << " s; controller fds " << before.open_fds << " -> " << after.open_fds << ", threads "
            << before.threads << " -> " << after.threads << ", VmRSS " << before.rss_kib << " -> "
            << after.rss_kib << " KiB\n";
}

INSTANTIATE_TEST_SUITE_P(Transports, ReconnectTest,
                         ::testing::Values(DeviceClient::Transport::kGrpc,
                                           DeviceClient::Transport::kTcp),
                         [](const auto& info) {
                           return info.param == DeviceClient::Transport::kGrpc ? "Grpc" : "Tcp";
                         });

}  // namespace
}  // namespace pedisim::testing
