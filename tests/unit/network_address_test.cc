// Which controller addresses a client may reach in plain text: only this
// machine's, so a token never crosses the network in the clear by default.

#include "client/network_address.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "client/controller_channel.h"

namespace pedisim::client {
namespace {

TEST(NetworkAddressTest, OnlyAddressesOfThisMachineAreLoopback) {
  for (const char* host :
       {"localhost", "127.0.0.1", "127.3.2.1", "::1", "[::1]", "0:0:0:0:0:0:0:1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"127.example.org", "127.0.0.1.nip.io", "10.0.0.7", "0.0.0.0",
                           "::", "::ffff:10.0.0.7", "sim-server", "", "[]", "localhost.evil"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

TEST(NetworkAddressTest, TheHostOfEveryFormOfAddressIsFound) {
  EXPECT_EQ(HostOfAddress("sim-server:50051"), "sim-server");
  EXPECT_EQ(HostOfAddress("127.0.0.1:50051"), "127.0.0.1");
  EXPECT_EQ(HostOfAddress("[::1]:50051"), "::1");
  EXPECT_EQ(HostOfAddress("[fe80::1]:50051"), "fe80::1");
  EXPECT_EQ(HostOfAddress("dns:///sim-server:50051"), "sim-server");
  EXPECT_EQ(HostOfAddress("ipv4:127.0.0.1:50051"), "127.0.0.1");
  EXPECT_EQ(HostOfAddress("unix:/run/pedisim.sock"), "localhost");
  EXPECT_EQ(HostOfAddress("sim-server"), "sim-server");
  EXPECT_EQ(HostOfAddress(":50051"), std::nullopt);
  EXPECT_EQ(HostOfAddress("[:50051"), std::nullopt);
}

TEST(NetworkAddressTest, PlainTextBeyondLoopbackIsRefusedUnlessAllowed) {
  EXPECT_EQ(PlaintextRefusal("127.0.0.1:50051", false), "");
  EXPECT_EQ(PlaintextRefusal("localhost:50051", false), "");
  EXPECT_EQ(PlaintextRefusal("[::1]:50051", false), "");
  const std::string refusal = PlaintextRefusal("sim-server:50051", false);
  EXPECT_NE(refusal.find("sim-server:50051 is beyond loopback"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("--ca-file"), std::string::npos) << refusal;
  EXPECT_NE(PlaintextRefusal("127.foo:50051", false), "") << "a name, whatever it looks like";
  EXPECT_NE(PlaintextRefusal(":50051", false), "") << "no host: not known to be loopback";
  EXPECT_EQ(PlaintextRefusal("sim-server:50051", true), "");
  // gRPC may fall over to any address of a list.
  EXPECT_EQ(PlaintextRefusal("ipv4:127.0.0.1:1,127.0.0.2:2", false), "");
  EXPECT_NE(PlaintextRefusal("ipv4:127.0.0.1:1,10.0.0.7:50051", false), "");
  EXPECT_NE(PlaintextRefusal("ipv6:[::1]:1,[2001:db8::1]:50051", false), "");
}

TEST(NetworkAddressTest, AChannelBeyondLoopbackIsNotMadeInPlainText) {
  EXPECT_THROW(MakeControllerChannel("192.0.2.7:50051", {.token = "secret"}), std::runtime_error);
  EXPECT_NE(MakeControllerChannel("192.0.2.7:50051", {.token = "secret", .allow_plaintext = true}),
            nullptr);
  EXPECT_NE(MakeControllerChannel("127.0.0.1:50051", {.token = "secret"}), nullptr);
  EXPECT_NE(MakeControllerChannel("192.0.2.7:50051",
                                  {.token = "secret", .fingerprint = std::string(64, 'a')}),
            nullptr)
      << "TLS";
}

}  // namespace
}  // namespace pedisim::client
