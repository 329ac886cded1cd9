// A device that stops reading while the session streams to it: the
// controller bounds what it holds for it, cuts it off with the reason once
// it has taken nothing for --device-stall-ms, and everyone else on the
// session (a device, a Watch stream) goes on receiving; the controller's
// memory stays bounded meanwhile.

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <asio.hpp>
#include <atomic>
#include <iostream>
#include <regex>
#include <string>
#include <thread>

#include "controller_process.h"
#include "core/protocol/frame_codec.h"
#include "core/wall_clock.h"
#include "devices/network/device_client.h"
#include "pedisim/v1/admin_service.grpc.pb.h"
#include "pedisim/v1/device_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "process_figures.h"

namespace pedisim::testing {
namespace {

using devices::DeviceClient;
using Clock = std::chrono::steady_clock;

v1::DeviceHello Hello(const std::string& name, const std::string& session_id) {
  v1::DeviceHello hello;
  hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
  hello.set_name(name);
  hello.set_session_id(session_id);
  hello.mutable_identity()->set_manufacturer("Test Devices");
  hello.mutable_identity()->set_model("Stuck Reader");
  hello.mutable_identity()->set_serial(name);
  // Every waveform: the most the controller could queue for it.
  for (v1::WaveformKind kind : {v1::WAVEFORM_KIND_ECG_II, v1::WAVEFORM_KIND_PLETH,
                                v1::WAVEFORM_KIND_CAPNOGRAM, v1::WAVEFORM_KIND_RESPIRATION}) {
    hello.add_waveforms(kind);
  }
  return hello;
}

v1::DeviceMessage Heartbeat(uint64_t sequence) {
  v1::DeviceMessage message;
  message.mutable_heartbeat()->set_sequence(sequence);
  *message.mutable_heartbeat()->mutable_sent_at() = NowTimestamp();
  return message;
}

// A device that says hello and keeps its heartbeats going (it is alive, so
// it is not cut off for silence) but never reads a byte.
class StalledDevice {
 public:
  virtual ~StalledDevice() = default;
  // The controller let go of the connection: a heartbeat could not be sent.
  bool dropped() const { return dropped_; }

 protected:
  std::atomic<bool> dropped_{false};
};

class StalledTcpDevice : public StalledDevice {
 public:
  StalledTcpDevice(int port, const v1::DeviceHello& hello, const std::string& token)
      : socket_(io_) {
    socket_.open(asio::ip::tcp::v4());
    // A small window, as a device with little memory has: the controller's
    // writes block after a few kilobytes instead of filling megabytes of
    // kernel buffers first.
    socket_.set_option(asio::socket_base::receive_buffer_size(4096));
    socket_.connect({asio::ip::make_address("127.0.0.1"), static_cast<uint16_t>(port)});
    v1::DeviceMessage message;
    *message.mutable_hello() = hello;
    message.mutable_hello()->set_token(token);
    Send(message);
    heartbeats_ = std::thread([this] {
      for (uint64_t sequence = 1; !stop_; ++sequence) {
        std::error_code error;
        std::string frame;
        protocol::AppendFrame(Heartbeat(sequence), &frame);
        asio::write(socket_, asio::buffer(frame), error);
        if (error) {
          dropped_ = true;
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~StalledTcpDevice() override {
    stop_ = true;
    heartbeats_.join();
  }

 private:
  void Send(const v1::DeviceMessage& message) {
    std::string frame;
    protocol::AppendFrame(message, &frame);
    asio::write(socket_, asio::buffer(frame));
  }

  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  std::atomic<bool> stop_{false};
  std::thread heartbeats_;
};

class StalledGrpcDevice : public StalledDevice {
 public:
  StalledGrpcDevice(const ControllerProcess& controller, const v1::DeviceHello& hello) {
    // Without BDP probing the stream's window stays at gRPC's 64 KiB, as
    // for a client that never reads; with it, gRPC grows the window to
    // megabytes first.
    grpc::ChannelArguments arguments;
    arguments.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
    arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    channel_ = grpc::CreateCustomChannel(controller.address(), grpc::InsecureChannelCredentials(),
                                         arguments);
    stub_ = v1::DeviceService::NewStub(channel_);
    context_.AddMetadata("authorization", "Bearer " + controller.admin_token());
    stream_ = stub_->Connect(&context_);
    v1::DeviceMessage message;
    *message.mutable_hello() = hello;
    stream_->Write(message);
    heartbeats_ = std::thread([this] {
      for (uint64_t sequence = 1; !stop_; ++sequence) {
        if (!stream_->Write(Heartbeat(sequence))) {
          dropped_ = !stop_;
          return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
  }
  ~StalledGrpcDevice() override {
    stop_ = true;
    context_.TryCancel();
    heartbeats_.join();
    (void)stream_->Finish();
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::DeviceService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::DeviceMessage, v1::ControllerMessage>> stream_;
  std::atomic<bool> stop_{false};
  std::thread heartbeats_;
};

enum class Transport { kGrpc, kTcp };

class StallTest : public ::testing::TestWithParam<Transport> {
 protected:
  StallTest()
      : controller_(PEDISIM_TEST_SCENARIOS_DIR,
                    {"--device-heartbeat-ms", "200", "--device-stall-ms", "2000"}),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    request.set_speed(8);  // eight times the waveform data: the stall shows sooner
    grpc::ClientContext context;
    EXPECT_TRUE(sessions_->Create(&context, request, &session_).ok());
    grpc::ClientContext start_context;
    v1::SessionRef ref;
    ref.set_session_id(session_.id());
    v1::Session ignored;
    EXPECT_TRUE(sessions_->Start(&start_context, ref, &ignored).ok());
  }

  v1::Device DeviceNamed(const std::string& name) {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(session_.id());
    v1::Session session;
    EXPECT_TRUE(sessions_->Get(&context, ref, &session).ok());
    last_status_ = session.status();
    for (const v1::Device& device : session.devices()) {
      if (device.name() == name) return device;
    }
    return {};
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  v1::Session session_;
  v1::SessionStatus last_status_ = v1::SESSION_STATUS_UNSPECIFIED;
};

TEST_P(StallTest, ADeviceThatStopsReadingIsCutOffAndNobodyElseNotices) {
  // Watching and listening all along: a Watch stream and a good device.
  std::atomic<uint64_t> watch_updates{0};
  grpc::ClientContext watch_context;
  v1::WatchRequest watch_request;
  watch_request.set_session_id(session_.id());
  auto watch = sessions_->Watch(&watch_context, watch_request);
  std::thread watcher([&] {
    v1::SessionUpdate update;
    while (watch->Read(&update)) ++watch_updates;
  });
  DeviceClient::Options options;
  options.transport = DeviceClient::Transport::kTcp;
  options.address = "127.0.0.1:" + std::to_string(controller_.device_tcp_port());
  options.hello = Hello("bystander", session_.id());
  options.token = controller_.admin_token();
  grpc::Status status;
  std::unique_ptr<DeviceClient> bystander = DeviceClient::Connect(options, &status);
  ASSERT_NE(bystander, nullptr) << status.error_message();
  std::atomic<uint64_t> bystander_messages{0};
  std::thread listener([&] {
    v1::ControllerMessage message;
    while (bystander->Next(&message)) ++bystander_messages;
  });

  const ProcessFigures before = FiguresOf(controller_.pid());
  std::unique_ptr<StalledDevice> stalled;
  if (GetParam() == Transport::kTcp) {
    stalled = std::make_unique<StalledTcpDevice>(
        controller_.device_tcp_port(), Hello("stuck", session_.id()), controller_.admin_token());
  } else {
    stalled = std::make_unique<StalledGrpcDevice>(controller_, Hello("stuck", session_.id()));
  }

  // Until it is cut off; the deadline only bounds a failure.
  const Clock::time_point joined = Clock::now();
  size_t peak_rss_kib = before.rss_kib;
  v1::Device stuck = DeviceNamed("stuck");
  while (stuck.status() != v1::DEVICE_STATUS_DISCONNECTED &&
         Clock::now() < joined + std::chrono::seconds(120)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    peak_rss_kib = std::max(peak_rss_kib, FiguresOf(controller_.pid()).rss_kib);
    stuck = DeviceNamed("stuck");
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - joined).count();
  ASSERT_EQ(stuck.status(), v1::DEVICE_STATUS_DISCONNECTED) << stuck.status_detail();
  EXPECT_NE(stuck.status_detail().find("device stopped reading: nothing taken for"),
            std::string::npos)
      << stuck.status_detail();
  EXPECT_NE(stuck.status_detail().find("(--device-stall-ms 2000)"), std::string::npos);
  std::smatch queued;
  const std::string detail = stuck.status_detail();
  ASSERT_TRUE(std::regex_search(detail, queued, std::regex(R"((\d+) messages \((\d+) bytes\))")))
      << detail;

  // The others carried on after the cut as before it.
  const uint64_t watched = watch_updates;
  const uint64_t heard = bystander_messages;
  for (const Clock::time_point give_up = Clock::now() + std::chrono::seconds(30);
       (watch_updates <= watched + 10 || bystander_messages <= heard + 10) &&
       Clock::now() < give_up;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // And the controller let go of the stalled connection (a stuck write is
  // given up, not left to hold the socket).
  for (const Clock::time_point give_up = Clock::now() + std::chrono::seconds(30);
       !stalled->dropped() && Clock::now() < give_up;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(stalled->dropped());
  EXPECT_GT(watch_updates, watched + 10);
  EXPECT_GT(bystander_messages, heard + 10);
  EXPECT_EQ(DeviceNamed("bystander").status(), v1::DEVICE_STATUS_CONNECTED);
  EXPECT_EQ(last_status_, v1::SESSION_STATUS_RUNNING);
  // Bounded: the waveforms held for it are 64 chunks at most, and what
  // else waited was cut with it. By the controller's own account of its
  // queue, and by what the process holds (the figure is generous for
  // allocator slack; under ThreadSanitizer resident memory is mostly its
  // shadow and history, which grow with every thread's work, not the queue).
  EXPECT_LT(std::stoull(queued[2].str()), 1024u * 1024u) << detail;
#ifndef PEDISIM_TSAN_BUILD
  EXPECT_LT(peak_rss_kib, before.rss_kib + 64 * 1024);
#endif

  auto admin = v1::AdminService::NewStub(controller_.channel());
  grpc::ClientContext limits_context;
  v1::GetLimitsResponse limits;
  ASSERT_TRUE(admin->GetLimits(&limits_context, v1::GetLimitsRequest(), &limits).ok());
  for (const v1::ControllerLimit& limit : limits.limits()) {
    if (limit.name() == "device-stall-ms") {
      EXPECT_EQ(limit.hits(), 1u);
    }
  }

  const std::string transport = GetParam() == Transport::kGrpc ? "grpc" : "tcp";
  RecordProperty("seconds_to_cut", std::to_string(seconds));
  RecordProperty("queued_messages_at_cut", queued[1].str());
  RecordProperty("queued_bytes_at_cut", queued[2].str());
  RecordProperty("rss_kib_before", static_cast<int>(before.rss_kib));
  RecordProperty("rss_kib_peak", static_cast<int>(peak_rss_kib));
  std::cout << "stalled " << transport << " device cut after " << seconds << " s with " << queued[1]
            << " messages (" << queued[2] << " bytes) queued; controller VmRSS " << before.rss_kib
            << " KiB before, " << peak_rss_kib << " KiB at most\n";

  stalled.reset();
  bystander->CloseSending();
  listener.join();
  watch_context.TryCancel();
  watcher.join();
  (void)watch->Finish();
}

INSTANTIATE_TEST_SUITE_P(Transports, StallTest,
                         ::testing::Values(Transport::kGrpc, Transport::kTcp),
                         [](const auto& info) {
                           return info.param == Transport::kGrpc ? "Grpc" : "Tcp";
                         });

}  // namespace
}  // namespace pedisim::testing
