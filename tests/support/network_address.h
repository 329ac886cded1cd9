#pragma once

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <string>

namespace pedisim::testing {

// An IPv4 address of this machine that is not loopback, else 0.0.0.0 (all of
// them, reached through 127.0.0.1): where tests listen to be beyond
// loopback, as a controller on a LAN is.
inline std::string NonLoopbackAddress() {
  ifaddrs* interfaces = nullptr;
  std::string found = "0.0.0.0";
  if (getifaddrs(&interfaces) != 0) return found;
  for (ifaddrs* entry = interfaces; entry != nullptr; entry = entry->ifa_next) {
    if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET) continue;
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(entry->ifa_addr)->sin_addr, text,
              sizeof text);
    if (!std::string(text).starts_with("127.")) {
      found = text;
      break;
    }
  }
  freeifaddrs(interfaces);
  return found;
}

}  // namespace pedisim::testing
