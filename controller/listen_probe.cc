#include "controller/listen_probe.h"

#include <fmt/format.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pedisim {

bool CanListen(const std::string& host, int port, std::string* why) {
  if (port == 0) return true;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* addresses = nullptr;
  const std::string service = std::to_string(port);
  const char* node = host.empty() || host == "*" ? nullptr : host.c_str();
  std::string bare = host;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
    node = bare.c_str();
  }
  if (const int failed = getaddrinfo(node, service.c_str(), &hints, &addresses); failed != 0) {
    *why = fmt::format("cannot resolve {}: {}", host, gai_strerror(failed));
    return false;
  }
  bool free = true;
  for (const addrinfo* address = addresses; address != nullptr && free;
       address = address->ai_next) {
    const int fd =
        socket(address->ai_family, address->ai_socktype | SOCK_CLOEXEC, address->ai_protocol);
    if (fd < 0) continue;
    // Address reuse lets the probe past connections of an earlier run that
    // linger in TIME_WAIT; on Linux it never admits a second listener.
    const int reuse = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
    if (address->ai_family == AF_INET6) {
      const int only = 1;
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only);
    }
    if (bind(fd, address->ai_addr, address->ai_addrlen) != 0 || listen(fd, 1) != 0) {
      const int failure = errno;
      *why = failure == EADDRINUSE
                 ? fmt::format("{}:{} is already in use (another controller?)", host, port)
                 : fmt::format("cannot listen on {}:{}: {}", host, port, std::strerror(failure));
      free = false;
    }
    close(fd);
  }
  freeaddrinfo(addresses);
  return free;
}

}  // namespace pedisim
