#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "controller_process.h"
#include "network_address.h"

namespace pedisim::testing {

// A fixture whose controller listens beyond loopback, as one on a LAN does:
// on an address of this machine's interfaces, or 0.0.0.0 when it has none.
// The including test target defines PEDISIM_TEST_SCENARIOS_DIR.
class BeyondLoopbackTest : public ::testing::Test {
 protected:
  explicit BeyondLoopbackTest(std::vector<std::string> flags)
      : host_(NonLoopbackAddress()),
        controller_(PEDISIM_TEST_SCENARIOS_DIR, WithListen(host_, std::move(flags))) {}

  // `flags` plus --listen on `host`, any free port.
  static std::vector<std::string> WithListen(const std::string& host,
                                             std::vector<std::string> flags) {
    flags.insert(flags.end(), {"--listen", host + ":0"});
    return flags;
  }

  // Where clients connect: the address itself, or loopback for 0.0.0.0.
  std::string ConnectHost() const { return host_ == "0.0.0.0" ? "127.0.0.1" : host_; }
  std::string GrpcAddress() const {
    return ConnectHost() + controller_.address().substr(controller_.address().rfind(':'));
  }
  std::string DeviceAddress() const {
    return ConnectHost() + ":" + std::to_string(controller_.device_tcp_port());
  }

  const std::string host_;
  ControllerProcess controller_;
};

}  // namespace pedisim::testing
