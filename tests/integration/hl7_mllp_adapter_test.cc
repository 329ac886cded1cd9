// The hl7-mllp adapter against a real HL7 receiver (python3-hl7) on
// loopback, fed session updates directly: reconnects, negative ACKs, silent
// receivers. No timing assertions: every wait is for an outcome.

#include "devices/hl7/hl7_mllp_adapter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "devices/builtin_adapters.h"
#include "devices/registry.h"
#include "mllp_peer_process.h"

namespace pedisim::testing {
namespace {

using devices::hl7::Hl7MllpAdapter;
using devices::hl7::MllpStats;
using google::protobuf::Struct;

std::unique_ptr<Hl7MllpAdapter> MakeAdapter(uint16_t port, const std::string& ack_timeout_s = "5",
                                            const devices::AdapterConfig& more = {}) {
  devices::AdapterRegistry registry;
  devices::RegisterBuiltinAdapters(registry);
  devices::AdapterConfig config = {{"host", "127.0.0.1"},
                                   {"port", std::to_string(port)},
                                   {"interval_s", "0.2"},
                                   {"ack_timeout_s", ack_timeout_s}};
  config.insert(more.begin(), more.end());
  auto made = registry.Create("hl7-mllp", config);
  EXPECT_NE(made.adapter, nullptr) << made.message;
  return std::unique_ptr<Hl7MllpAdapter>(static_cast<Hl7MllpAdapter*>(made.adapter.release()));
}

// What a session publishes first: its snapshot, then numerics.
void Feed(devices::DeviceAdapter& adapter, double heart_rate) {
  v1::SessionUpdate snapshot;
  snapshot.mutable_snapshot()->set_id("session-1");
  snapshot.mutable_snapshot()->set_status(v1::SESSION_STATUS_RUNNING);
  snapshot.mutable_snapshot()->mutable_patient()->set_name("Test child");
  adapter.OnUpdate(snapshot);
  v1::SessionUpdate vitals;
  vitals.mutable_vitals()->mutable_vitals()->set_heart_rate_bpm(heart_rate);
  vitals.mutable_vitals()->mutable_vitals()->set_spo2_pct(97);
  adapter.OnUpdate(vitals);
}

// Numerics at session time `sim_time_s`, with the patient's pressures (as
// the engine publishes them every step).
void FeedNumerics(devices::DeviceAdapter& adapter, double sim_time_s, double systolic) {
  v1::SessionUpdate update;
  update.mutable_vitals()->set_sim_time_s(sim_time_s);
  v1::Vitals* vitals = update.mutable_vitals()->mutable_vitals();
  vitals->set_heart_rate_bpm(120);
  vitals->set_nibp_systolic_mmhg(systolic);
  vitals->set_nibp_diastolic_mmhg(systolic - 40);
  vitals->set_nibp_mean_mmhg(systolic - 27);
  adapter.OnUpdate(update);
}

// The values of the OBX coded `ref`, one per message that has it.
std::vector<double> ValuesOf(const std::vector<Struct>& messages, const std::string& ref) {
  std::vector<double> values;
  for (const Struct& message : messages) {
    for (const auto& obx : message.fields().at("obx").list_value().values()) {
      const auto& fields = obx.struct_value().fields();
      if (fields.at("ref").string_value() == ref)
        values.push_back(fields.at("value").number_value());
    }
  }
  return values;
}

double HeartRateOf(const Struct& message) {
  for (const auto& obx : message.fields().at("obx").list_value().values()) {
    const auto& fields = obx.struct_value().fields();
    if (fields.at("ref").string_value() == "MDC_ECG_HEART_RATE") {
      return fields.at("value").number_value();
    }
  }
  return -1;
}

TEST(Hl7MllpAdapterTest, ReachesAReceiverThatStartsListeningLate) {
  MllpPeerProcess peer({.listen_later = true});
  auto adapter = MakeAdapter(peer.port());
  Feed(*adapter, 120);
  Eventually([&] { return adapter->Stats().connection_errors >= 1; }, "a refused connection");
  EXPECT_NE(adapter->StatusDetail().find("reconnecting to 127.0.0.1:"), std::string::npos)
      << adapter->StatusDetail();
  EXPECT_EQ(adapter->Health(), v1::DEVICE_STATUS_DISCONNECTED);
  EXPECT_TRUE(peer.Received().empty());

  peer.Listen();
  const auto received = peer.WaitUntil([](const auto& r) { return !r.empty(); });
  EXPECT_DOUBLE_EQ(HeartRateOf(received.front()), 120);
  Eventually([&] { return adapter->Stats().acked >= 1; }, "an ACK");
  EXPECT_NE(adapter->StatusDetail().find("connected to 127.0.0.1:"), std::string::npos)
      << adapter->StatusDetail();
  EXPECT_EQ(adapter->Health(), v1::DEVICE_STATUS_CONNECTED);
}

TEST(Hl7MllpAdapterTest, ReconnectsWhenTheReceiverClosesTheConnection) {
  MllpPeerProcess peer({.close_after = 2});
  auto adapter = MakeAdapter(peer.port());
  Feed(*adapter, 130);
  // Two messages on the first connection, then the peer hangs up; the
  // adapter must come back and carry on with the latest values.
  Eventually([&] { return adapter->Stats().connection_errors >= 1; }, "the dropped connection");
  Feed(*adapter, 140);
  const auto received =
      peer.WaitUntil([](const auto& r) { return r.size() >= 3 && HeartRateOf(r.back()) == 140; });
  Eventually([&] { return adapter->Stats().acked >= 3; }, "ACKs on the new connection");
  const MllpStats stats = adapter->Stats();
  EXPECT_EQ(stats.nacked, 0u);
  EXPECT_GE(stats.sent, received.size());
  for (const Struct& message : received) {
    EXPECT_TRUE(message.fields().at("problems").list_value().values().empty());
  }
}

TEST(Hl7MllpAdapterTest, NegativeAcksAreCountedAsErrors) {
  MllpPeerProcess peer({.ack = "AE"});
  auto adapter = MakeAdapter(peer.port());
  Feed(*adapter, 150);
  Eventually([&] { return adapter->Stats().nacked >= 2; }, "two AE answers");
  const MllpStats stats = adapter->Stats();
  EXPECT_EQ(stats.acked, 0u);
  EXPECT_GE(stats.errors(), 2u);
  const std::string status = adapter->StatusDetail();
  EXPECT_NE(status.find("AE for message"), std::string::npos) << status;
  EXPECT_NE(status.find("connected to"), std::string::npos)
      << "a negative ACK is an answer, not a broken link: " << status;
}

TEST(Hl7MllpAdapterTest, SilentReceiverTimesOutWithoutHoldingUpUpdates) {
  MllpPeerProcess peer({.ack = "none"});
  auto adapter = MakeAdapter(peer.port(), /*ack_timeout_s=*/"0.3");
  Feed(*adapter, 160);
  peer.WaitUntil([](const auto& r) { return !r.empty(); });
  // The session thread's calls return whatever the network does: thousands
  // of updates go through while the receiver never answers.
  for (int i = 0; i < 5000; ++i) Feed(*adapter, 100 + i % 50);
  Eventually([&] { return adapter->Stats().ack_timeouts >= 1; }, "an ACK timeout");
  EXPECT_EQ(adapter->Stats().acked, 0u);
  EXPECT_NE(adapter->StatusDetail().find("no ACK for message"), std::string::npos)
      << adapter->StatusDetail();
  // Destroying the adapter while a message waits for its ACK must not hang.
  adapter.reset();
}

TEST(Hl7MllpAdapterTest, AfterTheSessionEndsOnlyTheFinalNumericsGoOut) {
  MllpPeerProcess peer({});
  auto adapter = MakeAdapter(peer.port());
  Feed(*adapter, 110);
  peer.WaitUntil([](const auto& r) { return !r.empty(); });
  // As a session ends: the end event, then the final numerics.
  v1::SessionUpdate ended;
  ended.mutable_event()->set_kind(v1::EVENT_KIND_SESSION_COMPLETED);
  adapter->OnUpdate(ended);
  v1::SessionUpdate final_vitals;
  final_vitals.mutable_vitals()->mutable_vitals()->set_heart_rate_bpm(99);
  adapter->OnUpdate(final_vitals);
  peer.WaitUntil([](const auto& r) { return !r.empty() && HeartRateOf(r.back()) == 99; });
  Eventually([&] { return adapter->Stats().acked == adapter->Stats().sent; }, "the last ACK");
  // An absence can only be watched over a stretch of time: three intervals
  // with nothing sent. (Under load this passes vacuously; it cannot fail
  // spuriously.)
  const uint64_t sent = adapter->Stats().sent;
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  EXPECT_EQ(adapter->Stats().sent, sent);
}

TEST(Hl7MllpAdapterTest, TheReceiverSeesASimulatedPatientWhereItWasPlaced) {
  MllpPeerProcess peer({});
  auto adapter = MakeAdapter(
      peer.port(), "5",
      {{"patient_class", "E"}, {"location", "PICU^12^A"}, {"device_id", "0123456789abcdef"}});
  Feed(*adapter, 120);
  const auto received = peer.WaitUntil([](const auto& r) { return !r.empty(); });
  const auto& f = received.front().fields();
  EXPECT_TRUE(f.at("problems").list_value().values().empty());
  EXPECT_EQ(f.at("processing_id").string_value(), "T") << "training unless configured";
  EXPECT_EQ(f.at("patient_id").string_value(), "SIM-session-1");
  EXPECT_EQ(f.at("patient_family_name").string_value(), "SIMULATION");
  EXPECT_EQ(f.at("patient_given_name").string_value(), "Test child");
  EXPECT_EQ(f.at("patient_class").string_value(), "E");
  EXPECT_EQ(f.at("point_of_care").string_value(), "PICU");
  EXPECT_EQ(f.at("room").string_value(), "12");
  EXPECT_EQ(f.at("bed").string_value(), "A");
  const auto& equipment = f.at("equipment").list_value().values();
  ASSERT_EQ(equipment.size(), 3u) << "the monitor, HR and SpO2";
  for (const auto& eui : equipment) EXPECT_EQ(eui.string_value(), "0123456789ABCDEF^EUI-64");
}

TEST(Hl7MllpAdapterTest, NibpGoesOutOnceAfterEachMeasurement) {
  MllpPeerProcess peer({});
  auto adapter = MakeAdapter(peer.port());
  v1::SessionUpdate snapshot;
  snapshot.mutable_snapshot()->set_id("session-1");
  snapshot.mutable_snapshot()->mutable_patient()->set_age_years(4);  // a 30 s cycle
  adapter->OnUpdate(snapshot);
  FeedNumerics(*adapter, 1, 101);
  // Numerics go out every interval; pressures without a measurement never.
  peer.WaitUntil([](const auto& r) { return r.size() >= 3; });
  v1::SessionUpdate measure;
  measure.mutable_event()->set_kind(v1::EVENT_KIND_LEARNER_ACTION);
  measure.mutable_event()->set_sim_time_s(2);
  measure.mutable_event()->mutable_action()->set_kind(v1::ACTION_KIND_NIBP_MEASUREMENT);
  adapter->OnUpdate(measure);
  FeedNumerics(*adapter, 20, 102);  // the cuff still measuring
  const size_t measuring = peer.WaitUntil([](const auto& r) { return r.size() >= 5; }).size();
  FeedNumerics(*adapter, 32, 103);  // the measurement ends: this is the reading
  FeedNumerics(*adapter, 33, 104);
  // Enough messages after the reading to see that it went out only once.
  const auto received = peer.WaitUntil([&](const auto& r) {
    return r.size() >= measuring + 4 && !ValuesOf(r, "MDC_PRESS_BLD_NONINV_SYS").empty();
  });
  EXPECT_EQ(ValuesOf(received, "MDC_PRESS_BLD_NONINV_SYS"), std::vector<double>{103});
  EXPECT_EQ(ValuesOf(received, "MDC_PRESS_BLD_NONINV_DIA"), std::vector<double>{63});
  EXPECT_EQ(ValuesOf(received, "MDC_PRESS_BLD_NONINV_MEAN"), std::vector<double>{76});
  EXPECT_EQ(ValuesOf(received, "MDC_ECG_HEART_RATE").size(), received.size())
      << "HR is continuous: in every message";
  for (const Struct& message : received) {
    EXPECT_TRUE(message.fields().at("problems").list_value().values().empty());
  }
}

}  // namespace
}  // namespace pedisim::testing
