// Misbehaving and silent network devices: each is cut off with a reason,
// and nothing else in the session notices.

#include <gtest/gtest.h>

#include <asio.hpp>
#include <limits>
#include <thread>

#include "controller_process.h"
#include "core/protocol/frame_codec.h"
#include "devices/network/device_client.h"
#include "pedisim/v1/device_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

using devices::DeviceClient;

v1::DeviceHello Hello(const std::string& name, const std::string& session_id) {
  v1::DeviceHello hello;
  hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
  hello.set_name(name);
  hello.set_session_id(session_id);
  hello.mutable_identity()->set_manufacturer("Test Devices");
  hello.mutable_identity()->set_model("Fault Injector");
  hello.mutable_identity()->set_serial(name);
  return hello;
}

class DeviceFaultTest : public ::testing::Test {
 protected:
  DeviceFaultTest()
      : controller_(PEDISIM_TEST_SCENARIOS_DIR, {"--device-heartbeat-ms", "100"}),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    request.set_speed(1);
    grpc::ClientContext context;
    EXPECT_TRUE(sessions_->Create(&context, request, &session_).ok());
    grpc::ClientContext start_context;
    v1::SessionRef ref;
    ref.set_session_id(session_.id());
    v1::Session ignored;
    EXPECT_TRUE(sessions_->Start(&start_context, ref, &ignored).ok());
  }

  std::string TcpAddress() const {
    return "127.0.0.1:" + std::to_string(controller_.device_tcp_port());
  }

  std::unique_ptr<DeviceClient> Connect(DeviceClient::Transport transport, const std::string& name,
                                        bool heartbeats = true) {
    DeviceClient::Options options;
    options.transport = transport;
    options.address =
        transport == DeviceClient::Transport::kGrpc ? controller_.address() : TcpAddress();
    options.hello = Hello(name, session_.id());
    options.token = controller_.admin_token();
    options.send_heartbeats = heartbeats;
    grpc::Status status;
    std::unique_ptr<DeviceClient> client = DeviceClient::Connect(options, &status);
    EXPECT_NE(client, nullptr) << status.error_message();
    return client;
  }

  v1::Session Get() {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(session_.id());
    v1::Session session;
    EXPECT_TRUE(sessions_->Get(&context, ref, &session).ok());
    return session;
  }

  v1::DeviceStatus StatusOf(const std::string& name) {
    const v1::Session session = Get();
    for (const v1::Device& device : session.devices()) {
      if (device.name() == name) return device.status();
    }
    return v1::DEVICE_STATUS_UNSPECIFIED;
  }

  // The link's end reaches the session within a housekeeping pass; the
  // deadline only bounds a failure.
  v1::DeviceStatus WaitForStatus(const std::string& name, v1::DeviceStatus wanted) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    v1::DeviceStatus status = StatusOf(name);
    while (status != wanted && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      status = StatusOf(name);
    }
    return status;
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  v1::Session session_;
};

// A raw socket, to send what no well-behaved client would.
class RawTcp {
 public:
  explicit RawTcp(int port) : socket_(io_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)});
  }
  void Send(const std::string& bytes) { asio::write(socket_, asio::buffer(bytes)); }
  void SendFrame(const v1::DeviceMessage& message) {
    std::string frame;
    protocol::AppendFrame(message, &frame);
    Send(frame);
  }
  // Frames until the controller closes; the goodbye, if any, is the last.
  std::vector<v1::ControllerMessage> ReadToClose() {
    std::vector<v1::ControllerMessage> messages;
    for (;;) {
      std::array<uint8_t, protocol::kFrameHeaderBytes> header{};
      std::error_code error;
      asio::read(socket_, asio::buffer(header), error);
      if (error) return messages;
      std::string body(protocol::DecodeFrameLength(header), '\0');
      asio::read(socket_, asio::buffer(body), error);
      if (error) return messages;
      messages.emplace_back().ParseFromString(body);
    }
  }

 private:
  asio::io_context io_;
  asio::ip::tcp::socket socket_;
};

std::string GoodbyeOf(const std::vector<v1::ControllerMessage>& messages) {
  if (messages.empty() || !messages.back().has_goodbye()) return "(no goodbye)";
  return messages.back().goodbye().message();
}

TEST_F(DeviceFaultTest, GarbageOnTcpIsCutOffWithAReasonAndNothingElseNotices) {
  // A good device that must not notice anything.
  std::unique_ptr<DeviceClient> bystander = Connect(DeviceClient::Transport::kTcp, "bystander");
  ASSERT_NE(bystander, nullptr);

  {
    RawTcp oversize(controller_.device_tcp_port());
    oversize.Send(std::string("\x7f\xff\xff\xff", 4));
    const auto messages = oversize.ReadToClose();
    EXPECT_EQ(GoodbyeOf(messages).rfind("frame: 2147483647 bytes is over", 0), 0u)
        << GoodbyeOf(messages);
    EXPECT_EQ(messages.back().goodbye().code(), grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    RawTcp noise(controller_.device_tcp_port());
    noise.Send(std::string("\x00\x00\x00\x05\xff\xff\xff\xff\xff", 9));
    EXPECT_EQ(GoodbyeOf(noise.ReadToClose()), "frame: 5 bytes that are not a DeviceMessage");
  }
  {
    RawTcp no_hello(controller_.device_tcp_port());
    v1::DeviceMessage heartbeat;
    heartbeat.mutable_heartbeat()->set_sequence(1);
    no_hello.SendFrame(heartbeat);
    EXPECT_EQ(GoodbyeOf(no_hello.ReadToClose()), "hello: the first message must be a hello");
  }
  {
    RawTcp twice(controller_.device_tcp_port());
    v1::DeviceMessage hello;
    *hello.mutable_hello() = Hello("twice", session_.id());
    hello.mutable_hello()->set_token(controller_.admin_token());
    twice.SendFrame(hello);
    twice.SendFrame(hello);
    const auto messages = twice.ReadToClose();
    ASSERT_FALSE(messages.empty());
    EXPECT_TRUE(messages.front().has_welcome());
    EXPECT_EQ(GoodbyeOf(messages).rfind("hello: sent twice", 0), 0u) << GoodbyeOf(messages);
  }
  {
    RawTcp bad_action(controller_.device_tcp_port());
    v1::DeviceMessage hello;
    *hello.mutable_hello() = Hello("clumsy", session_.id());
    hello.mutable_hello()->set_token(controller_.admin_token());
    bad_action.SendFrame(hello);
    v1::DeviceMessage observation;
    observation.mutable_observation()->mutable_action()->set_kind(v1::ACTION_KIND_DRUG);
    bad_action.SendFrame(observation);
    EXPECT_EQ(GoodbyeOf(bad_action.ReadToClose()),
              "observation.action.drug: required for a drug action");
  }
  {
    // The finding: infinite shock energy was accepted.
    RawTcp infinite(controller_.device_tcp_port());
    v1::DeviceMessage hello;
    *hello.mutable_hello() = Hello("infinite", session_.id());
    hello.mutable_hello()->set_token(controller_.admin_token());
    infinite.SendFrame(hello);
    v1::DeviceMessage observation;
    observation.mutable_observation()->mutable_action()->set_kind(v1::ACTION_KIND_DEFIBRILLATION);
    observation.mutable_observation()->mutable_action()->set_energy_j(
        std::numeric_limits<double>::infinity());
    infinite.SendFrame(observation);
    EXPECT_EQ(GoodbyeOf(infinite.ReadToClose()),
              "observation.action.energy_j: must be a finite number");
  }
  {
    RawTcp time_traveller(controller_.device_tcp_port());
    v1::DeviceMessage hello;
    *hello.mutable_hello() = Hello("time-traveller", session_.id());
    hello.mutable_hello()->set_token(controller_.admin_token());
    time_traveller.SendFrame(hello);
    v1::DeviceMessage heartbeat;
    heartbeat.mutable_heartbeat()->set_sequence(1);
    heartbeat.mutable_heartbeat()->mutable_sent_at()->set_seconds(9'000'000'000'000'000'000);
    time_traveller.SendFrame(heartbeat);
    EXPECT_EQ(GoodbyeOf(time_traveller.ReadToClose()),
              "heartbeat.sent_at: not a time within a day of the controller's clock");
  }
  {
    RawTcp empty(controller_.device_tcp_port());
    v1::DeviceMessage hello;
    *hello.mutable_hello() = Hello("empty", session_.id());
    hello.mutable_hello()->set_token(controller_.admin_token());
    empty.SendFrame(hello);
    empty.Send(std::string("\x00\x00\x00\x00", 4));  // a DeviceMessage with nothing set
    EXPECT_EQ(GoodbyeOf(empty.ReadToClose()).rfind("message: empty", 0), 0u);
  }

  // The session and the good device carry on as if nothing happened.
  EXPECT_EQ(Get().status(), v1::SESSION_STATUS_RUNNING);
  EXPECT_EQ(StatusOf("bystander"), v1::DEVICE_STATUS_CONNECTED);
  v1::LearnerAction oxygen;
  oxygen.set_kind(v1::ACTION_KIND_OXYGEN);
  EXPECT_TRUE(bystander->SendObservation(oxygen));
  v1::ControllerMessage message;
  bool saw_own_action = false;
  while (!saw_own_action && bystander->Next(&message)) {
    saw_own_action = message.has_update() && message.update().has_event() &&
                     message.update().event().source() == "bystander";
  }
  EXPECT_TRUE(saw_own_action);
  for (const char* joined_then_cut : {"twice", "clumsy", "time-traveller", "empty"}) {
    EXPECT_EQ(WaitForStatus(joined_then_cut, v1::DEVICE_STATUS_DISCONNECTED),
              v1::DEVICE_STATUS_DISCONNECTED)
        << joined_then_cut;
  }
}

TEST_F(DeviceFaultTest, ASilentDeviceIsDisconnectedAfterThreeMissedHeartbeats) {
  for (DeviceClient::Transport transport :
       {DeviceClient::Transport::kGrpc, DeviceClient::Transport::kTcp}) {
    const std::string name =
        transport == DeviceClient::Transport::kGrpc ? "silent-grpc" : "silent-tcp";
    std::unique_ptr<DeviceClient> silent = Connect(transport, name, /*heartbeats=*/false);
    ASSERT_NE(silent, nullptr);
    v1::ControllerMessage message;
    while (silent->Next(&message)) {
    }
    EXPECT_EQ(silent->final_status().error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(silent->final_status().error_message().rfind("missed 3 heartbeats", 0), 0u)
        << silent->final_status().error_message();
  }
  EXPECT_EQ(WaitForStatus("silent-grpc", v1::DEVICE_STATUS_DISCONNECTED),
            v1::DEVICE_STATUS_DISCONNECTED);
  EXPECT_EQ(WaitForStatus("silent-tcp", v1::DEVICE_STATUS_DISCONNECTED),
            v1::DEVICE_STATUS_DISCONNECTED);
  EXPECT_EQ(Get().status(), v1::SESSION_STATUS_RUNNING);
}

TEST_F(DeviceFaultTest, HeartbeatsGiveLatencyAndClockOffset) {
  std::unique_ptr<DeviceClient> device = Connect(DeviceClient::Transport::kGrpc, "monitor");
  ASSERT_NE(device, nullptr);
  // Keep reading so the controller's heartbeats are echoed.
  std::thread reader([&] {
    v1::ControllerMessage message;
    while (device->Next(&message)) {
    }
  });
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  v1::Device listed;
  while (std::chrono::steady_clock::now() < give_up) {
    const v1::Session session = Get();
    for (const v1::Device& device_info : session.devices()) {
      if (device_info.name() == "monitor") listed = device_info;
    }
    if (listed.latency_ms() > 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GT(listed.latency_ms(), 0);
  EXPECT_TRUE(listed.has_last_seen());
  // Same machine, same clock: the true offset is 0, and an NTP estimate is
  // never further from the truth than half its round trip.
  EXPECT_LE(std::abs(listed.clock_offset_ms()), listed.latency_ms() + 1e-6);
  device->CloseSending();
  reader.join();
  EXPECT_TRUE(device->final_status().ok()) << device->final_status().error_message();
}

}  // namespace
}  // namespace pedisim::testing
