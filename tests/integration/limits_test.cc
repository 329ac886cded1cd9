// Each limit of the controller against a real process: going over it gets
// an error naming the flag and its value, its counter in
// AdminService.GetLimits goes up, and the session goes on.

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <asio.hpp>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <thread>

#include "controller_process.h"
#include "core/protocol/frame_codec.h"
#include "core/wall_clock.h"
#include "devices/network/device_client.h"
#include "pedisim/v1/admin_service.grpc.pb.h"
#include "pedisim/v1/scenario_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

using devices::DeviceClient;
using Clock = std::chrono::steady_clock;

class LimitsTest : public ::testing::Test {
 protected:
  LimitsTest()
      : controller_(
            PEDISIM_TEST_SCENARIOS_DIR,
            {"--max-sessions", "2", "--max-devices-per-session", "2", "--max-watchers-per-session",
             "1", "--max-message-bytes", "65536", "--device-message-rate", "20",
             "--device-message-burst", "40", "--device-heartbeat-ms", "200", "--device-hello-ms",
             "2000", "--max-pending-devices-per-host", "3"}),
        sessions_(v1::SessionService::NewStub(controller_.channel())),
        admin_(v1::AdminService::NewStub(controller_.channel())) {
    session_ = Create({});
    grpc::ClientContext context;
    v1::Session ignored;
    EXPECT_TRUE(sessions_->Start(&context, Ref(), &ignored).ok());
  }

  v1::Session Create(const std::vector<std::string>& adapters, grpc::Status* status = nullptr) {
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    for (size_t i = 0; i < adapters.size(); ++i) {
      v1::DeviceAttachment& device = *request.add_devices();
      device.set_adapter(adapters[i]);
      device.set_name("device-" + std::to_string(i));
    }
    grpc::ClientContext context;
    v1::Session created;
    const grpc::Status answer = sessions_->Create(&context, request, &created);
    if (status != nullptr) {
      *status = answer;
    } else {
      EXPECT_TRUE(answer.ok()) << answer.error_message();
    }
    return created;
  }

  v1::SessionRef Ref() const {
    v1::SessionRef ref;
    ref.set_session_id(session_.id());
    return ref;
  }

  v1::Session Get() {
    grpc::ClientContext context;
    v1::Session session;
    EXPECT_TRUE(sessions_->Get(&context, Ref(), &session).ok());
    return session;
  }

  std::map<std::string, v1::ControllerLimit> Limits() {
    grpc::ClientContext context;
    v1::GetLimitsResponse response;
    const grpc::Status status = admin_->GetLimits(&context, v1::GetLimitsRequest(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::map<std::string, v1::ControllerLimit> limits;
    for (const v1::ControllerLimit& limit : response.limits()) limits[limit.name()] = limit;
    return limits;
  }

  uint64_t Hits(const std::string& name) { return Limits()[name].hits(); }

  std::unique_ptr<DeviceClient> Connect(const std::string& name, grpc::Status* status) {
    DeviceClient::Options options;
    options.transport = DeviceClient::Transport::kTcp;
    options.address = "127.0.0.1:" + std::to_string(controller_.device_tcp_port());
    v1::DeviceHello& hello = options.hello;
    hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
    hello.set_name(name);
    hello.set_session_id(session_.id());
    hello.mutable_identity()->set_manufacturer("Test Devices");
    hello.mutable_identity()->set_model("Limit Prober");
    hello.mutable_identity()->set_serial(name);
    options.token = controller_.admin_token();
    return DeviceClient::Connect(options, status);
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
  v1::Session session_;
};

TEST_F(LimitsTest, GetLimitsShowsEveryConfiguredFigureToAdminsOnly) {
  std::map<std::string, v1::ControllerLimit> limits = Limits();
  EXPECT_EQ(limits["max-message-bytes"].value(), 65536);
  EXPECT_EQ(limits["device-message-rate"].value(), 20);
  EXPECT_EQ(limits["device-message-rate"].burst(), 40);
  EXPECT_EQ(limits["device-stall-ms"].value(), 10000);
  EXPECT_EQ(limits["max-sessions"].value(), 2);
  EXPECT_EQ(limits["max-devices-per-session"].value(), 2);
  EXPECT_EQ(limits["max-watchers-per-session"].value(), 1);
  EXPECT_EQ(limits["device-hello-ms"].value(), 2000);
  EXPECT_EQ(limits["max-pending-devices-per-host"].value(), 3);
  for (const auto& [name, limit] : limits) EXPECT_EQ(limit.hits(), 0u) << name;

  const std::string token = controller_.AddUserWithToken("Dr. Osei", "instructor");
  grpc::ClientContext context;
  v1::GetLimitsResponse response;
  EXPECT_EQ(v1::AdminService::NewStub(controller_.ChannelWithToken(token))
                ->GetLimits(&context, v1::GetLimitsRequest(), &response)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(LimitsTest, AMessageTooLargeIsRefusedOnGrpcAndTcp) {
  // gRPC refuses it itself, naming both sizes.
  auto scenarios = v1::ScenarioService::NewStub(controller_.channel());
  v1::ValidateScenarioRequest request;
  request.set_content(std::string(100000, '#'));
  grpc::ClientContext context;
  v1::ValidateScenarioResponse response;
  const grpc::Status status = scenarios->Validate(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(status.error_message().find("65536"), std::string::npos) << status.error_message();

  // A TCP frame announcing more gets a goodbye naming the limit.
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect(
      {asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(controller_.device_tcp_port())});
  asio::write(socket, asio::buffer(std::string("\x00\x01\x11\x70", 4)));  // 70,000 bytes
  std::array<uint8_t, protocol::kFrameHeaderBytes> header{};
  asio::read(socket, asio::buffer(header));
  std::string body(protocol::DecodeFrameLength(header), '\0');
  asio::read(socket, asio::buffer(body));
  v1::ControllerMessage goodbye;
  ASSERT_TRUE(goodbye.ParseFromString(body));
  EXPECT_EQ(goodbye.goodbye().code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(goodbye.goodbye().message(),
            "frame: 70000 bytes is over the 65536-byte limit (--max-message-bytes)");
  EXPECT_EQ(Hits("max-message-bytes"), 1u);
  EXPECT_EQ(Get().status(), v1::SESSION_STATUS_RUNNING);
}

// Before a TCP device has said hello it is no one: it may not hold a socket
// for long, nor may one host hold many.
TEST_F(LimitsTest, SilentTcpConnectionsAreClosedAndOneHostCannotHoldManyOpen) {
  asio::io_context io;
  const asio::ip::tcp::endpoint port(asio::ip::make_address("127.0.0.1"),
                                     static_cast<uint16_t>(controller_.device_tcp_port()));
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> silent;
  for (int i = 0; i < 4; ++i) {
    silent.push_back(std::make_unique<asio::ip::tcp::socket>(io));
    silent.back()->connect(port);
    // A regression fails the reads below rather than hanging them.
    const timeval timeout{.tv_sec = 30, .tv_usec = 0};
    setsockopt(silent.back()->native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  // The fourth is over --max-pending-devices-per-host: closed unanswered.
  std::array<uint8_t, protocol::kFrameHeaderBytes> header{};
  std::error_code error;
  asio::read(*silent[3], asio::buffer(header), error);
  EXPECT_TRUE(error == asio::error::eof || error == asio::error::connection_reset)
      << error.message();
  // The three others get a goodbye once --device-hello-ms has passed.
  for (int i = 0; i < 3; ++i) {
    asio::read(*silent[i], asio::buffer(header), error);
    ASSERT_FALSE(error) << error.message();
    std::string body(protocol::DecodeFrameLength(header), '\0');
    asio::read(*silent[i], asio::buffer(body));
    v1::ControllerMessage goodbye;
    ASSERT_TRUE(goodbye.ParseFromString(body));
    EXPECT_EQ(goodbye.goodbye().code(), grpc::StatusCode::DEADLINE_EXCEEDED);
    EXPECT_EQ(goodbye.goodbye().message(),
              "hello: none within 2000 ms of connecting (--device-hello-ms)");
  }
  EXPECT_EQ(Hits("device-hello-ms"), 3u);
  EXPECT_EQ(Hits("max-pending-devices-per-host"), 1u);
  // Once they have gone (their sockets close a moment after the goodbye), a
  // device that says hello joins. The bound only stops a broken cap from
  // looping for ever.
  grpc::Status status;
  std::unique_ptr<DeviceClient> device;
  for (int attempt = 0; attempt < 300 && device == nullptr; ++attempt) {
    device = Connect("after-the-silent-ones", &status);
    if (device == nullptr) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_NE(device, nullptr) << status.error_message();
  EXPECT_EQ(Get().status(), v1::SESSION_STATUS_RUNNING);
  std::ifstream log(controller_.log_file());
  const std::string text{std::istreambuf_iterator<char>(log), {}};
  EXPECT_NE(text.find("closed: no hello within 2000 ms (--device-hello-ms)"), std::string::npos);
  EXPECT_NE(text.find("3 connections from this host have not joined a session yet"),
            std::string::npos);
}

TEST_F(LimitsTest, SessionsDevicesAndWatchersStopAtTheirMaximum) {
  grpc::Status status;
  Create({"virtual-monitor", "virtual-manikin", "virtual-monitor"}, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(),
            "devices: 3 devices is over this controller's maximum of 2 per session "
            "(--max-devices-per-session)");

  Create({"virtual-monitor"});  // the second session
  Create({}, &status);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(),
            "this controller runs its maximum of 2 live sessions (--max-sessions); end one to "
            "make room");
  EXPECT_EQ(Hits("max-sessions"), 1u);

  // Network devices: two fit; a third name does not, a returning one does.
  std::unique_ptr<DeviceClient> first = Connect("first", &status);
  ASSERT_NE(first, nullptr) << status.error_message();
  std::unique_ptr<DeviceClient> second = Connect("second", &status);
  ASSERT_NE(second, nullptr) << status.error_message();
  EXPECT_EQ(Connect("third", &status), nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(status.error_message(), "hello.name: session " + session_.id() +
                                        " has its maximum of 2 devices "
                                        "(--max-devices-per-session)");
  EXPECT_EQ(Hits("max-devices-per-session"), 2u);
  second.reset();
  EXPECT_NE(Connect("second", &status), nullptr) << status.error_message();

  // One Watch stream at a time; its place is free again once it ends.
  auto watch = [&](grpc::ClientContext* context, v1::SessionUpdate* first_update) {
    v1::WatchRequest request;
    request.set_session_id(session_.id());
    auto reader = sessions_->Watch(context, request);
    const bool read = reader->Read(first_update);
    return std::make_pair(std::move(reader), read);
  };
  auto open_context = std::make_unique<grpc::ClientContext>();
  v1::SessionUpdate update;
  auto [open, opened] = watch(open_context.get(), &update);
  ASSERT_TRUE(opened);
  grpc::ClientContext refused_context;
  auto [refused, read] = watch(&refused_context, &update);
  EXPECT_FALSE(read);
  const grpc::Status refusal = refused->Finish();
  EXPECT_EQ(refusal.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refusal.error_message(), "session_id: session " + session_.id() +
                                         " has its maximum of 1 Watch streams "
                                         "(--max-watchers-per-session)");
  EXPECT_EQ(Hits("max-watchers-per-session"), 1u);
  open_context->TryCancel();
  (void)open->Finish();
  // The controller frees the place when gRPC is done with the stream.
  bool reopened = false;
  for (const Clock::time_point give_up = Clock::now() + std::chrono::seconds(30);
       !reopened && Clock::now() < give_up;) {
    grpc::ClientContext again_context;
    auto [again, again_read] = watch(&again_context, &update);
    reopened = again_read;
    again_context.TryCancel();
    (void)again->Finish();
    if (!reopened) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(reopened);
  EXPECT_EQ(Get().status(), v1::SESSION_STATUS_RUNNING);
}

TEST_F(LimitsTest, ADeviceSendingTooFastIsDisconnectedAndTheSessionGoesOn) {
  grpc::Status status;
  std::unique_ptr<DeviceClient> calm = Connect("calm", &status);
  ASSERT_NE(calm, nullptr) << status.error_message();
  std::unique_ptr<DeviceClient> flood = Connect("flood", &status);
  ASSERT_NE(flood, nullptr) << status.error_message();
  // Far more than the burst of 40 at once.
  for (uint64_t sequence = 1; sequence <= 200; ++sequence) {
    v1::DeviceMessage heartbeat;
    heartbeat.mutable_heartbeat()->set_sequence(sequence);
    *heartbeat.mutable_heartbeat()->mutable_sent_at() = NowTimestamp();
    if (!flood->Send(heartbeat)) break;
  }
  v1::ControllerMessage message;
  while (flood->Next(&message)) {
  }
  EXPECT_EQ(flood->final_status().error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(flood->final_status().error_message(),
            "message rate: over 20 messages a second (bursts of 40) from this device "
            "(--device-message-rate, --device-message-burst)");
  EXPECT_EQ(Hits("device-message-rate"), 1u);

  // Logged, and the rest carries on.
  v1::Session session;
  for (const Clock::time_point give_up = Clock::now() + std::chrono::seconds(30);
       Clock::now() < give_up; std::this_thread::sleep_for(std::chrono::milliseconds(20))) {
    session = Get();
    const auto flooded = std::find_if(session.devices().begin(), session.devices().end(),
                                      [](const v1::Device& d) { return d.name() == "flood"; });
    if (flooded != session.devices().end() && flooded->status() == v1::DEVICE_STATUS_DISCONNECTED) {
      EXPECT_NE(flooded->status_detail().find("message rate: over 20"), std::string::npos)
          << flooded->status_detail();
      break;
    }
  }
  EXPECT_EQ(session.status(), v1::SESSION_STATUS_RUNNING);
  v1::LearnerAction oxygen;
  oxygen.set_kind(v1::ACTION_KIND_OXYGEN);
  ASSERT_TRUE(calm->SendObservation(oxygen));
  bool heard = false;
  while (!heard && calm->Next(&message)) {
    heard = message.has_update() && message.update().has_event() &&
            message.update().event().source() == "calm";
  }
  EXPECT_TRUE(heard);
}

}  // namespace
}  // namespace pedisim::testing
