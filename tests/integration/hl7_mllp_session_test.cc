// A real controller with a session attached to the hl7-mllp adapter, and a
// real HL7 receiver (python3-hl7) on loopback: what the session published is
// what the hospital side parsed, coded as IEEE 11073 terms.

#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <thread>

#include "controller_process.h"
#include "debrief_client.h"
#include "mllp_peer_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

using google::protobuf::Struct;

constexpr char kOxygenAtThreeSeconds[] = R"(
actions:
  - at_s: 3
    action: {kind: oxygen}
)";

// The codes and units the receiver must see for each vital, written out here
// rather than read from the table under test.
struct Coded {
  const char* vital;
  const char* code;
  const char* unit_code;
  const char* unit;
};
const std::map<std::string, Coded> kExpectedCodes = {
    {"MDC_ECG_HEART_RATE", {"heart_rate_bpm", "147842", "264864", "MDC_DIM_BEAT_PER_MIN"}},
    {"MDC_PULS_OXIM_SAT_O2", {"spo2_pct", "150456", "262688", "MDC_DIM_PERCENT"}},
    {"MDC_RESP_RATE", {"respiratory_rate_bpm", "151562", "264928", "MDC_DIM_RESP_PER_MIN"}},
    {"MDC_PRESS_BLD_NONINV_SYS", {"nibp_systolic_mmhg", "150021", "266016", "MDC_DIM_MMHG"}},
    {"MDC_PRESS_BLD_NONINV_DIA", {"nibp_diastolic_mmhg", "150022", "266016", "MDC_DIM_MMHG"}},
    {"MDC_PRESS_BLD_NONINV_MEAN", {"nibp_mean_mmhg", "150023", "266016", "MDC_DIM_MMHG"}},
    {"MDC_AWAY_CO2_ET", {"etco2_mmhg", "151708", "266016", "MDC_DIM_MMHG"}},
    {"MDC_TEMP_BODY", {"temperature_c", "150364", "268192", "MDC_DIM_DEGC"}},
};

class Hl7MllpSessionTest : public ::testing::Test {
 protected:
  Hl7MllpSessionTest()
      : controller_(PEDISIM_TEST_SCENARIOS_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {}

  v1::Session Create(uint16_t port, double speed, const std::string& script = "") {
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    request.set_speed(speed);
    v1::DeviceAttachment* hl7 = request.add_devices();
    hl7->set_adapter("hl7-mllp");
    hl7->set_name("emr");
    (*hl7->mutable_config())["host"] = "127.0.0.1";
    (*hl7->mutable_config())["port"] = std::to_string(port);
    (*hl7->mutable_config())["interval_s"] = "0.2";
    (*hl7->mutable_config())["ack_timeout_s"] = "0.5";
    if (!script.empty()) {
      v1::DeviceAttachment* manikin = request.add_devices();
      manikin->set_adapter("virtual-manikin");
      (*manikin->mutable_config())["script"] = script;
    }
    grpc::ClientContext context;
    v1::Session session;
    const grpc::Status status = sessions_->Create(&context, request, &session);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return session;
  }

  grpc::Status Call(grpc::Status (v1::SessionService::Stub::*rpc)(grpc::ClientContext*,
                                                                  const v1::SessionRef&,
                                                                  v1::Session*),
                    const std::string& id, v1::Session* out) {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(id);
    return (sessions_.get()->*rpc)(&context, ref, out);
  }

  // Every numerics sample the session recorded (the record keeps them all;
  // a Watch stream may replace a waiting sample with a newer one).
  std::vector<v1::VitalsSample> Recorded(const std::string& session_id) {
    std::vector<v1::VitalsSample> samples;
    for (const v1::SessionUpdate& update : ReplayAll(controller_.channel(), session_id)) {
      if (update.has_vitals()) samples.push_back(update.vitals());
    }
    return samples;
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
};

bool IsNibp(const std::string& ref) { return ref.rfind("MDC_PRESS_BLD_NONINV", 0) == 0; }

// True when every OBX of `message` carries, to its one decimal, the value
// that `sample` has for that vital, and `sample` has no other continuous
// vital (NIBP goes out only after a measurement, and none is made here).
bool Matches(const Struct& message, const v1::VitalsSample& sample) {
  const google::protobuf::Reflection* reflection = sample.vitals().GetReflection();
  const google::protobuf::Descriptor* descriptor = sample.vitals().GetDescriptor();
  int present = 0;
  for (const auto& field : kExpectedCodes) {
    if (IsNibp(field.first)) continue;
    if (reflection->HasField(sample.vitals(), descriptor->FindFieldByName(field.second.vital))) {
      ++present;
    }
  }
  const auto& observations = message.fields().at("obx").list_value().values();
  if (static_cast<int>(observations.size()) != present) return false;
  for (const auto& obx : observations) {
    const auto& fields = obx.struct_value().fields();
    const auto coded = kExpectedCodes.find(fields.at("ref").string_value());
    if (coded == kExpectedCodes.end()) return false;
    const auto* field = descriptor->FindFieldByName(coded->second.vital);
    if (!reflection->HasField(sample.vitals(), field)) return false;
    const double published = reflection->GetDouble(sample.vitals(), field);
    if (std::abs(fields.at("value").number_value() - published) > 0.05 + 1e-9) return false;
  }
  return true;
}

TEST_F(Hl7MllpSessionTest, TheReceiverParsesWhatTheSessionPublished) {
  MllpPeerProcess peer({});
  const v1::Session created = Create(peer.port(), /*speed=*/2);
  ASSERT_EQ(created.devices_size(), 1);
  EXPECT_EQ(created.devices(0).adapter(), "hl7-mllp");
  EXPECT_EQ(created.devices(0).capabilities().renders_vitals_size(), 8);
  v1::Session session;
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Start, created.id(), &session).ok());
  // Enough messages to span the calm state and the trend into distress: on
  // a loaded machine the session may advance slowly, so wait for the change
  // itself rather than for a count of messages.
  peer.WaitUntil([](const auto& received) {
    std::set<double> heart_rates;
    for (const Struct& message : received) {
      for (const auto& obx : message.fields().at("obx").list_value().values()) {
        const auto& o = obx.struct_value().fields();
        if (o.at("ref").string_value() == "MDC_ECG_HEART_RATE") {
          heart_rates.insert(o.at("value").number_value());
        }
      }
    }
    return received.size() >= 8 && heart_rates.size() >= 2;
  });
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Stop, created.id(), &session).ok());
  Eventually(
      [&] {
        Call(&v1::SessionService::Stub::Get, created.id(), &session);
        return session.devices(0).status_detail().find("acked") != std::string::npos &&
               session.devices(0).status_detail().find(", 0 errors") != std::string::npos;
      },
      "the device's status line");
  EXPECT_NE(session.devices(0).status_detail().find("connected to 127.0.0.1:" +
                                                    std::to_string(peer.port())),
            std::string::npos)
      << session.devices(0).status_detail();

  const std::vector<v1::VitalsSample> published = Recorded(session.id());
  ASSERT_FALSE(published.empty());
  const std::vector<Struct> received = peer.Received();
  std::set<std::string> control_ids;
  std::set<double> heart_rates;
  for (const Struct& message : received) {
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(message, &json);
    SCOPED_TRACE(json);
    const auto& f = message.fields();
    ASSERT_TRUE(f.at("problems").list_value().values().empty());
    EXPECT_EQ(f.at("message_type").string_value(), "ORU^R01^ORU_R01");
    EXPECT_EQ(f.at("processing_id").string_value(), "T");
    EXPECT_EQ(f.at("profile").string_value(), "IHE_PCD_001");
    // Devices get the session's snapshots, so PID names this patient, marked
    // as simulated; PV1 keeps the default class and no location.
    EXPECT_EQ(f.at("patient_id").string_value(), "SIM-" + created.id());
    EXPECT_EQ(f.at("patient_family_name").string_value(), "SIMULATION");
    EXPECT_EQ(f.at("patient_given_name").string_value(), "Test child");
    EXPECT_EQ(f.at("patient_class").string_value(), "I");
    EXPECT_EQ(f.at("point_of_care").string_value(), "");
    for (const auto& eui : f.at("equipment").list_value().values()) {
      EXPECT_TRUE(std::regex_match(eui.string_value(), std::regex("[0-9A-F]{16}\\^EUI-64")))
          << eui.string_value();
    }
    EXPECT_TRUE(control_ids.insert(f.at("control_id").string_value()).second) << "repeated id";
    for (const auto& obx : f.at("obx").list_value().values()) {
      const auto& o = obx.struct_value().fields();
      const auto coded = kExpectedCodes.find(o.at("ref").string_value());
      ASSERT_NE(coded, kExpectedCodes.end()) << o.at("ref").string_value();
      EXPECT_FALSE(IsNibp(o.at("ref").string_value())) << "NIBP without a measurement";
      EXPECT_EQ(o.at("code").string_value(), coded->second.code);
      EXPECT_EQ(o.at("coding").string_value(), "MDC");
      EXPECT_EQ(o.at("unit_code").string_value(), coded->second.unit_code);
      EXPECT_EQ(o.at("unit").string_value(), coded->second.unit);
      EXPECT_EQ(o.at("status").string_value(), "R");
      if (o.at("ref").string_value() == "MDC_ECG_HEART_RATE") {
        heart_rates.insert(o.at("value").number_value());
      }
    }
    bool published_somewhere = false;
    for (const v1::VitalsSample& sample : published) {
      published_somewhere = published_somewhere || Matches(message, sample);
    }
    EXPECT_TRUE(published_somewhere) << "a message carries values the session never published";
  }
  EXPECT_EQ(received.front().fields().at("obx").list_value().values_size(), 5)
      << "the engine fills every numeric from the age band; NIBP waits for a measurement";
  EXPECT_GE(heart_rates.size(), 2u) << "the numerics follow the session";
}

TEST_F(Hl7MllpSessionTest, ASilentReceiverNeverStallsTheSession) {
  MllpPeerProcess peer({.ack = "none"});
  const v1::Session created = Create(peer.port(), /*speed=*/8, kOxygenAtThreeSeconds);
  v1::Session session;
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Start, created.id(), &session).ok());
  // The scenario runs to its end on simulated time, whatever the receiver
  // does: oxygen at 3 s completes it.
  Eventually(
      [&] {
        Call(&v1::SessionService::Stub::Get, created.id(), &session);
        return session.status() == v1::SESSION_STATUS_COMPLETED;
      },
      "the session to complete");
  EXPECT_EQ(session.current_state(), "recovered");
  EXPECT_DOUBLE_EQ(session.sim_time_s(), 3.0);
  EXPECT_FALSE(peer.Received().empty()) << "the receiver did get numerics";
}

}  // namespace
}  // namespace pedisim::testing
