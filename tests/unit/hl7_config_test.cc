// The hl7-mllp adapter's configuration: every mistake is a start-up error
// that names its key.

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>

#include "devices/builtin_adapters.h"
#include "devices/hl7/mllp_config.h"
#include "devices/registry.h"

namespace pedisim::devices {
namespace {

using Error = AdapterRegistry::CreateResult::Error;

AdapterRegistry::CreateResult Make(const AdapterConfig& config) {
  AdapterRegistry registry;
  RegisterBuiltinAdapters(registry);
  return registry.Create("hl7-mllp", config);
}

void ExpectBadConfig(const AdapterConfig& config, const std::string& named) {
  const auto made = Make(config);
  EXPECT_EQ(made.error, Error::kBadConfig) << made.message;
  EXPECT_EQ(made.adapter, nullptr);
  EXPECT_NE(made.message.find(named), std::string::npos) << made.message;
}

TEST(Hl7ConfigTest, MissingOrBadKeysAreNamed) {
  ExpectBadConfig({{"host", "127.0.0.1"}}, "port: required");
  ExpectBadConfig({{"port", "2575"}}, "host: required");
  ExpectBadConfig({{"host", ""}, {"port", "2575"}}, "host: required");
  ExpectBadConfig({{"host", "127.0.0.1"}, {"port", "0"}}, "port: '0'");
  ExpectBadConfig({{"host", "127.0.0.1"}, {"port", "65536"}}, "port: '65536'");
  ExpectBadConfig({{"host", "127.0.0.1"}, {"port", "25x"}}, "port: '25x'");
  ExpectBadConfig({{"host", "127.0.0.1"}, {"port", "2575"}, {"interval_s", "often"}},
                  "interval_s: 'often' is not a number");
  ExpectBadConfig({{"host", "127.0.0.1"}, {"port", "2575"}, {"interval_s", "0.01"}},
                  "interval_s: 0.01 s is out of range");
  ExpectBadConfig({{"host", "127.0.0.1"}, {"port", "2575"}, {"ack_timeout_s", "nan"}},
                  "ack_timeout_s");
  ExpectBadConfig({{"host", "127.0.0.1"}, {"port", "2575"}, {"ack_timeout_s", "1000"}},
                  "ack_timeout_s: 1000 s is out of range");
  ExpectBadConfig({{"host", "127.0.0.1"}, {"port", "2575"}, {"processing_id", "X"}},
                  "processing_id: 'X'");
  ExpectBadConfig({{"host", "127.0.0.1"}, {"port", "2575"}, {"processing_id", "p"}},
                  "processing_id: 'p' is not P, T or D");
  ExpectBadConfig({{"host", "127.0.0.1"}, {"port", "2575"}, {"colour", "green"}},
                  "unknown config key 'colour'");
}

TEST(Hl7ConfigTest, BadMarkingLocationAndDeviceIdAreNamed) {
  const AdapterConfig base = {{"host", "127.0.0.1"}, {"port", "2575"}};
  auto with = [&](const char* key, const char* value) {
    AdapterConfig config = base;
    config[key] = value;
    return config;
  };
  ExpectBadConfig(with("device_id", "0123"), "device_id: '0123' is not an EUI-64 (16 hex digits");
  ExpectBadConfig(with("device_id", "0123456789ABCDEG"), "device_id: '0123456789ABCDEG'");
  ExpectBadConfig(with("device_id", "01-23-45-67-89-AB-CD-EF"), "device_id:");
  ExpectBadConfig(with("device_id", "0123456789ABCDEF0"), "device_id:");
  ExpectBadConfig(with("patient_class", "X"), "patient_class: 'X' is not a patient class");
  ExpectBadConfig(with("patient_class", ""), "patient_class: ''");
  ExpectBadConfig(with("location", "PICU^12^A^B"), "location: 'PICU^12^A^B' is not point of care");
  ExpectBadConfig(with("location", "PICU|12"), "location:");
  ExpectBadConfig(with("mrn_prefix", ""), "mrn_prefix: '' must be a non-empty prefix");
  ExpectBadConfig(with("mrn_prefix", "SIM^"), "mrn_prefix: 'SIM^'");
  ExpectBadConfig(with("name_marker", ""), "name_marker: '' must be a non-empty name");
  ExpectBadConfig(with("name_marker", "ZZ|SIM"), "name_marker:");
}

TEST(Hl7ConfigTest, MarkingLocationAndDeviceId) {
  const hl7::MllpConfig defaults = hl7::ParseMllpConfig({{"host", "emr.local"}, {"port", "2575"}});
  EXPECT_EQ(defaults.marking.mrn_prefix, "SIM-");
  EXPECT_EQ(defaults.marking.name_marker, "SIMULATION");
  EXPECT_EQ(defaults.marking.patient_class, "I");
  EXPECT_EQ(defaults.marking.point_of_care, "");
  EXPECT_EQ(defaults.marking.room, "");
  EXPECT_EQ(defaults.marking.bed, "");
  // Without device_id: an EUI-64 of the receiver's address, locally
  // administered (second bit of the first octet), the same every time.
  const std::string& eui = defaults.marking.device_eui64;
  ASSERT_TRUE(hl7::ParseEui64(eui).has_value()) << eui;
  EXPECT_EQ(*hl7::ParseEui64(eui), eui) << "upper case";
  EXPECT_EQ(std::stoi(eui.substr(0, 2), nullptr, 16) & 0x03, 0x02) << eui;
  EXPECT_EQ(hl7::ParseMllpConfig({{"host", "emr.local"}, {"port", "2575"}}).marking.device_eui64,
            eui);
  EXPECT_NE(hl7::ParseMllpConfig({{"host", "emr.local"}, {"port", "2576"}}).marking.device_eui64,
            eui);

  const hl7::MllpConfig set = hl7::ParseMllpConfig({{"host", "emr.local"},
                                                    {"port", "2575"},
                                                    {"mrn_prefix", "ZZTEST"},
                                                    {"name_marker", "ZZSIM"},
                                                    {"patient_class", "E"},
                                                    {"location", "PICU^12^A"},
                                                    {"device_id", "0123456789abcdef"}});
  EXPECT_EQ(set.marking.mrn_prefix, "ZZTEST");
  EXPECT_EQ(set.marking.name_marker, "ZZSIM");
  EXPECT_EQ(set.marking.patient_class, "E");
  EXPECT_EQ(set.marking.point_of_care, "PICU");
  EXPECT_EQ(set.marking.room, "12");
  EXPECT_EQ(set.marking.bed, "A");
  EXPECT_EQ(set.marking.device_eui64, "0123456789ABCDEF");
  const hl7::MllpConfig unit = hl7::ParseMllpConfig(
      {{"host", "emr.local"}, {"port", "2575"}, {"location", "ED"}, {"patient_class", "O"}});
  EXPECT_EQ(unit.marking.point_of_care, "ED");
  EXPECT_EQ(unit.marking.room, "");
  EXPECT_EQ(unit.marking.patient_class, "O");
}

// Production processing is allowed but never silent: a warning at start.
TEST(Hl7ConfigTest, ProductionProcessingIdWarnsAtStart) {
  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
  const std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("hl7-test", sink));
  {
    const auto training = Make({{"host", "127.0.0.1"}, {"port", "9"}});
    ASSERT_NE(training.adapter, nullptr) << training.message;
  }
  const std::string after_training = log.str();
  {
    const auto production = Make({{"host", "127.0.0.1"}, {"port", "9"}, {"processing_id", "P"}});
    ASSERT_NE(production.adapter, nullptr) << production.message;
  }
  spdlog::set_default_logger(previous);
  EXPECT_EQ(after_training.find("processing_id P"), std::string::npos) << after_training;
  EXPECT_NE(log.str().find("processing_id P (production) is set for simulated data"),
            std::string::npos)
      << log.str();
  EXPECT_NE(log.str().find("[warning]"), std::string::npos) << log.str();
}

TEST(Hl7ConfigTest, DefaultsAndOverrides) {
  const hl7::MllpConfig defaults = hl7::ParseMllpConfig({{"host", "emr.local"}, {"port", "2575"}});
  EXPECT_EQ(defaults.host, "emr.local");
  EXPECT_EQ(defaults.port, 2575);
  EXPECT_EQ(defaults.interval, std::chrono::seconds(5));
  EXPECT_EQ(defaults.ack_timeout, std::chrono::seconds(10));
  EXPECT_EQ(defaults.header.processing_id, "T");

  const hl7::MllpConfig set = hl7::ParseMllpConfig({{"host", "10.0.0.5"},
                                                    {"port", "6661"},
                                                    {"interval_s", "0.5"},
                                                    {"ack_timeout_s", "2"},
                                                    {"sending_facility", "SIM LAB"},
                                                    {"receiving_application", "EMR"},
                                                    {"receiving_facility", "CHILDRENS"},
                                                    {"processing_id", "P"}});
  EXPECT_EQ(set.interval, std::chrono::milliseconds(500));
  EXPECT_EQ(set.ack_timeout, std::chrono::seconds(2));
  EXPECT_EQ(set.header.sending_facility, "SIM LAB");
  EXPECT_EQ(set.header.receiving_application, "EMR");
  EXPECT_EQ(set.header.receiving_facility, "CHILDRENS");
  EXPECT_EQ(set.header.processing_id, "P");
}

TEST(Hl7ConfigTest, IdentityAndCapabilitiesOfAWellConfiguredAdapter) {
  // Port 9 (discard) on loopback is almost never served: the adapter just
  // waits to reconnect, which is what it must do.
  const auto made = Make({{"host", "127.0.0.1"}, {"port", "9"}});
  ASSERT_NE(made.adapter, nullptr) << made.message;
  EXPECT_EQ(made.adapter->Identity().manufacturer(), "PediSim");
  EXPECT_NE(made.adapter->Identity().model().find("HL7"), std::string::npos);
  EXPECT_EQ(made.adapter->Capabilities().renders_vitals_size(), 8);
  EXPECT_EQ(made.adapter->Capabilities().renders_vitals(0), "heart_rate_bpm");
  EXPECT_TRUE(made.adapter->TakeObservations(10).empty());
  EXPECT_NE(made.adapter->StatusDetail().find("127.0.0.1:9"), std::string::npos)
      << made.adapter->StatusDetail();
}

}  // namespace
}  // namespace pedisim::devices
