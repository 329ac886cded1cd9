// Network devices against a real controller process on loopback: both
// transports, pairing, capabilities, liveness, reconnects and garbage.

#include <gtest/gtest.h>

#include <asio.hpp>
#include <thread>

#include "controller_process.h"
#include "core/protocol/frame_codec.h"
#include "devices/network/device_client.h"
#include "pedisim/v1/device_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

using devices::DeviceClient;

v1::DeviceHello Hello(const std::string& name, const std::string& serial) {
  v1::DeviceHello hello;
  hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
  hello.set_name(name);
  hello.mutable_identity()->set_manufacturer("Test Devices");
  hello.mutable_identity()->set_model("Loopback Manikin");
  hello.mutable_identity()->set_serial(serial);
  hello.mutable_identity()->set_firmware_version("2.1");
  hello.mutable_capabilities()->add_senses_actions("ACTION_KIND_OXYGEN");
  return hello;
}

class DeviceTest : public ::testing::Test {
 protected:
  explicit DeviceTest(std::vector<std::string> flags = {})
      : controller_(PEDISIM_TEST_SCENARIOS_DIR, flags),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {}

  v1::Session Create(double speed = 8) {
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    request.set_speed(speed);
    request.set_seed(7);
    grpc::ClientContext context;
    v1::Session session;
    const grpc::Status status = sessions_->Create(&context, request, &session);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return session;
  }

  v1::Session Get(const std::string& id) {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(id);
    v1::Session session;
    EXPECT_TRUE(sessions_->Get(&context, ref, &session).ok());
    return session;
  }

  void Start(const std::string& id) {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(id);
    v1::Session ignored;
    ASSERT_TRUE(sessions_->Start(&context, ref, &ignored).ok());
  }

  std::unique_ptr<DeviceClient> Connect(DeviceClient::Transport transport, v1::DeviceHello hello,
                                        grpc::Status* status, bool heartbeats = true) {
    DeviceClient::Options options;
    options.transport = transport;
    options.address = transport == DeviceClient::Transport::kGrpc
                          ? controller_.address()
                          : "127.0.0.1:" + std::to_string(controller_.device_tcp_port());
    options.hello = std::move(hello);
    options.token = controller_.admin_token();
    options.send_heartbeats = heartbeats;
    return DeviceClient::Connect(options, status);
  }

  // Polls Get until `done` holds; the deadline only bounds a failure.
  v1::Session WaitFor(const std::string& id, const std::function<bool(const v1::Session&)>& done) {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    v1::Session session = Get(id);
    while (!done(session) && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      session = Get(id);
    }
    return session;
  }

  static const v1::Device* FindDevice(const v1::Session& session, const std::string& name) {
    for (const v1::Device& device : session.devices()) {
      if (device.name() == name) return &device;
    }
    return nullptr;
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
};

class TransportTest : public DeviceTest,
                      public ::testing::WithParamInterface<DeviceClient::Transport> {};

TEST_P(TransportTest, DeviceJoinsFollowsAndReportsAnAction) {
  const v1::Session created = Create();
  EXPECT_EQ(created.pairing_code().size(), 6u);
  EXPECT_EQ(std::vector<std::string>(created.missing_capabilities().begin(),
                                     created.missing_capabilities().end()),
            (std::vector<std::string>{"ACTION_KIND_OXYGEN", "spo2_pct"}));

  v1::DeviceHello hello = Hello("manikin", "SN-1");
  hello.set_pairing_code(created.pairing_code());
  hello.add_waveforms(v1::WAVEFORM_KIND_PLETH);
  grpc::Status status;
  std::unique_ptr<DeviceClient> device = Connect(GetParam(), hello, &status);
  ASSERT_NE(device, nullptr) << status.error_message();
  const v1::DeviceWelcome& welcome = device->welcome();
  EXPECT_EQ(welcome.session_id(), created.id());
  EXPECT_EQ(welcome.device_name(), "manikin");
  EXPECT_EQ(welcome.snapshot().id(), created.id());
  EXPECT_GT(welcome.heartbeat_interval_ms(), 0u);
  // It senses oxygen but shows no SpO2: the session names what is missing.
  EXPECT_EQ(std::vector<std::string>(welcome.missing_capabilities().begin(),
                                     welcome.missing_capabilities().end()),
            std::vector<std::string>{"spo2_pct"});

  const v1::Session listed = Get(created.id());
  const v1::Device* manikin = FindDevice(listed, "manikin");
  ASSERT_NE(manikin, nullptr);
  EXPECT_EQ(manikin->status(), v1::DEVICE_STATUS_CONNECTED);
  EXPECT_EQ(manikin->adapter(), "network");
  EXPECT_EQ(manikin->transport(), GetParam() == DeviceClient::Transport::kGrpc ? "grpc" : "tcp");
  EXPECT_EQ(manikin->identity().serial(), "SN-1");

  Start(created.id());
  // Oxygen once the scenario has reached distress ends it in 'recovered'.
  std::vector<v1::SessionUpdate> updates;
  v1::ControllerMessage message;
  bool sent = false;
  while (device->Next(&message)) {
    if (!message.has_update()) continue;
    updates.push_back(message.update());
    const v1::SessionUpdate& update = message.update();
    if (!sent && update.has_event() && update.event().kind() == v1::EVENT_KIND_STATE_ENTERED &&
        update.event().state_change().to_state() == "distress") {
      v1::LearnerAction oxygen;
      oxygen.set_kind(v1::ACTION_KIND_OXYGEN);
      ASSERT_TRUE(device->SendObservation(oxygen));
      sent = true;
    }
  }
  EXPECT_TRUE(device->final_status().ok()) << device->final_status().error_message();

  const v1::Event* action = nullptr;
  bool saw_pleth = false;
  for (const v1::SessionUpdate& update : updates) {
    if (update.has_event() && update.event().kind() == v1::EVENT_KIND_LEARNER_ACTION) {
      action = &update.event();
    }
    if (update.has_waveform()) {
      EXPECT_EQ(update.waveform().kind(), v1::WAVEFORM_KIND_PLETH) << "only what it asked for";
      saw_pleth = true;
    }
  }
  ASSERT_NE(action, nullptr);
  EXPECT_EQ(action->source(), "manikin");
  EXPECT_EQ(action->agent(), v1::AGENT_LEARNER);
  ASSERT_TRUE(action->has_sensed_sim_time_s());
  EXPECT_LE(action->sensed_sim_time_s(), action->sim_time_s());
  EXPECT_TRUE(saw_pleth);
  ASSERT_TRUE(updates.back().has_snapshot());
  EXPECT_EQ(updates.back().snapshot().status(), v1::SESSION_STATUS_COMPLETED);
  EXPECT_EQ(updates.back().snapshot().current_state(), "recovered");
}

TEST_P(TransportTest, RefusalsNameTheField) {
  const v1::Session created = Create();
  struct Case {
    std::function<void(v1::DeviceHello*)> change;
    grpc::StatusCode code;
    std::string message_start;
  };
  const std::vector<Case> cases = {
      {[](v1::DeviceHello* h) { h->set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_UNSPECIFIED); },
       grpc::StatusCode::INVALID_ARGUMENT, "hello.protocol_version"},
      {[](v1::DeviceHello* h) { h->set_name("no spaces please"); },
       grpc::StatusCode::INVALID_ARGUMENT, "hello.name"},
      {[](v1::DeviceHello* h) { h->mutable_identity()->clear_model(); },
       grpc::StatusCode::INVALID_ARGUMENT, "hello.identity.model"},
      {[](v1::DeviceHello* h) { h->clear_session_id(); }, grpc::StatusCode::INVALID_ARGUMENT,
       "hello.join"},
      {[](v1::DeviceHello* h) { h->set_session_id("no-such-session"); },
       grpc::StatusCode::NOT_FOUND, "hello.session_id"},
      {[](v1::DeviceHello* h) { h->set_pairing_code("000000x"); }, grpc::StatusCode::NOT_FOUND,
       "hello.pairing_code"},
      {[](v1::DeviceHello* h) { h->add_waveforms(static_cast<v1::WaveformKind>(99)); },
       grpc::StatusCode::INVALID_ARGUMENT, "hello.waveforms[0]"},
  };
  for (const Case& refused : cases) {
    v1::DeviceHello hello = Hello("manikin", "SN-1");
    hello.set_session_id(created.id());
    refused.change(&hello);
    grpc::Status status;
    EXPECT_EQ(Connect(GetParam(), hello, &status), nullptr);
    EXPECT_EQ(status.error_code(), refused.code) << status.error_message();
    EXPECT_EQ(status.error_message().rfind(refused.message_start, 0), 0u) << status.error_message();
  }

  // A second device may not take a name another device holds.
  v1::DeviceHello first = Hello("manikin", "SN-1");
  first.set_session_id(created.id());
  grpc::Status status;
  std::unique_ptr<DeviceClient> holder = Connect(GetParam(), first, &status);
  ASSERT_NE(holder, nullptr) << status.error_message();
  v1::DeviceHello other = Hello("manikin", "SN-2");
  other.set_session_id(created.id());
  EXPECT_EQ(Connect(GetParam(), other, &status), nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
  // Without a serial nothing proves it is the same device coming back.
  v1::DeviceHello anonymous = Hello("manikin", "");
  anonymous.set_session_id(created.id());
  EXPECT_EQ(Connect(GetParam(), anonymous, &status), nullptr);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS) << status.error_message();
  EXPECT_EQ(FindDevice(Get(created.id()), "manikin")->status(), v1::DEVICE_STATUS_CONNECTED);
}

// The finding: a device's refused observation sometimes ended CANCELLED,
// without its reason. Twenty devices in a row, each joined and streaming
// vitals when it reports a drug without its name.
TEST_P(TransportTest, ARefusedObservationAlwaysEndsWithItsReason) {
  const v1::Session created = Create();
  Start(created.id());
  for (int round = 0; round < 20; ++round) {
    // A name of its own: the last device's link may still be closing.
    v1::DeviceHello hello = Hello("manikin" + std::to_string(round), "SN-" + std::to_string(round));
    hello.set_session_id(created.id());
    grpc::Status status;
    std::unique_ptr<DeviceClient> device = Connect(GetParam(), hello, &status);
    ASSERT_NE(device, nullptr) << status.error_message();
    v1::LearnerAction nameless;
    nameless.set_kind(v1::ACTION_KIND_DRUG);
    device->SendObservation(nameless);
    v1::ControllerMessage message;
    while (device->Next(&message)) {
    }
    const grpc::Status ended = device->final_status();
    EXPECT_EQ(ended.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << "round " << round << ": " << ended.error_message();
    EXPECT_EQ(ended.error_message().rfind("observation.action.drug: required", 0), 0u)
        << "round " << round << ": " << ended.error_message();
  }
}

TEST_P(TransportTest, DisconnectAndReconnectMidScenario) {
  const v1::Session created = Create(/*speed=*/1);
  v1::DeviceHello hello = Hello("manikin", "SN-7");
  hello.set_session_id(created.id());
  grpc::Status status;
  std::unique_ptr<DeviceClient> device = Connect(GetParam(), hello, &status);
  ASSERT_NE(device, nullptr) << status.error_message();
  Start(created.id());
  device.reset();  // the cable is pulled: no goodbye

  v1::Session session = WaitFor(created.id(), [](const v1::Session& s) {
    const v1::Device* manikin = FindDevice(s, "manikin");
    return manikin != nullptr && manikin->status() == v1::DEVICE_STATUS_DISCONNECTED;
  });
  ASSERT_EQ(FindDevice(session, "manikin")->status(), v1::DEVICE_STATUS_DISCONNECTED);
  EXPECT_EQ(session.status(), v1::SESSION_STATUS_RUNNING) << "the session goes on";
  EXPECT_EQ(session.missing_capabilities_size(), 2) << "its capabilities left with it";

  // The same device comes back: a full snapshot first, then it carries on.
  std::unique_ptr<DeviceClient> back = Connect(GetParam(), hello, &status);
  ASSERT_NE(back, nullptr) << status.error_message();
  EXPECT_EQ(back->welcome().snapshot().status(), v1::SESSION_STATUS_RUNNING);
  const uint64_t events_before = back->welcome().snapshot().event_count();
  v1::ControllerMessage message;
  ASSERT_TRUE(back->Next(&message));
  ASSERT_TRUE(message.has_update() && message.update().has_event()) << message.DebugString();
  EXPECT_EQ(message.update().event().id(), events_before + 1) << "nothing missed or repeated";
  EXPECT_EQ(message.update().event().kind(), v1::EVENT_KIND_DEVICE_ATTACHED);
  EXPECT_NE(message.update().event().summary().find("reconnected"), std::string::npos);
  EXPECT_EQ(FindDevice(Get(created.id()), "manikin")->status(), v1::DEVICE_STATUS_CONNECTED);

  // The log tells the whole story.
  grpc::ClientContext context;
  v1::WatchRequest watch;
  watch.set_session_id(created.id());
  watch.set_after_event_id(0);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto reader = sessions_->Watch(&context, watch);
  std::vector<v1::EventKind> device_events;
  v1::SessionUpdate update;
  while (reader->Read(&update)) {
    if (update.has_vitals()) break;  // past events come before live numerics
    if (update.has_event() && update.event().source() == "manikin") {
      device_events.push_back(update.event().kind());
    }
  }
  context.TryCancel();
  (void)reader->Finish();
  EXPECT_EQ(device_events, (std::vector<v1::EventKind>{v1::EVENT_KIND_DEVICE_ATTACHED,
                                                       v1::EVENT_KIND_DEVICE_DISCONNECTED,
                                                       v1::EVENT_KIND_DEVICE_ATTACHED}));
}

INSTANTIATE_TEST_SUITE_P(Transports, TransportTest,
                         ::testing::Values(DeviceClient::Transport::kGrpc,
                                           DeviceClient::Transport::kTcp),
                         [](const auto& info) {
                           return info.param == DeviceClient::Transport::kGrpc ? "Grpc" : "Tcp";
                         });

}  // namespace
}  // namespace pedisim::testing
