// The hl7-mllp adapter's configuration: every mistake is a start-up error
// that names its key.

#include <gtest/gtest.h>

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
  ExpectBadConfig({{"host", "127.0.0.1"}, {"port", "2575"}, {"colour", "green"}},
                  "unknown config key 'colour'");
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
