#pragma once

#include <google/protobuf/struct.pb.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace pedisim::testing {

// tests/python/hl7_mllp_peer.py in its own process: an HL7 receiver on an
// ephemeral loopback port that parses what it gets with python3-hl7 and
// answers with ACKs. Stopped with SIGTERM when destroyed.
class MllpPeerProcess {
 public:
  struct Options {
    std::string ack = "AA";     // AA, AE, AR or "none" (a silent receiver)
    int close_after = 0;        // close the first connection after N messages
    bool listen_later = false;  // bound but refusing until Listen()
  };

  explicit MllpPeerProcess(const Options& options);
  ~MllpPeerProcess();

  uint16_t port() const { return port_; }
  // With listen_later: starts accepting connections.
  void Listen();

  // What the peer parsed so far, one Struct per message (see the script).
  std::vector<google::protobuf::Struct> Received() const;
  // Waits until `done` holds for what was received; fails the test after a
  // generous minute, which only bounds a failure.
  std::vector<google::protobuf::Struct> WaitUntil(
      const std::function<bool(const std::vector<google::protobuf::Struct>&)>& done) const;

 private:
  pid_t pid_ = -1;
  std::filesystem::path work_dir_;
  uint16_t port_ = 0;
};

// Polls `done` until it holds, failing the test after a minute.
bool Eventually(const std::function<bool()>& done, const std::string& what);

}  // namespace pedisim::testing
