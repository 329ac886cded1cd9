#pragma once

// How a client waits between tries to reach a controller that went away
// (a restart, a crash, the network): 0.5 s doubling to 5 s, each wait with
// up to a fifth added or taken at random, so that a room of devices and
// dashboards does not knock all at once on a controller that just came
// back. Shared by pedisim-device and the room monitor (through
// devices/network/rejoin.h) and the dashboard's session stream.

#include <algorithm>
#include <chrono>
#include <random>

namespace pedisim::client {

class RetryBackoff {
 public:
  static constexpr std::chrono::milliseconds kFirst{500};
  static constexpr std::chrono::milliseconds kLongest{5000};

  RetryBackoff() : random_(std::random_device{}()) {}

  // The wait before the next try: the current step with its jitter; each
  // call doubles the step up to kLongest.
  std::chrono::milliseconds Next() {
    const std::chrono::milliseconds step = step_;
    step_ = std::min(step_ * 2, kLongest);
    const long long spread = step.count() / 5;
    std::uniform_int_distribution<long long> jitter(-spread, spread);
    return step + std::chrono::milliseconds(jitter(random_));
  }
  // A link that worked: the next wait starts again at kFirst.
  void Reset() { step_ = kFirst; }

 private:
  std::chrono::milliseconds step_ = kFirst;
  std::minstd_rand random_;
};

}  // namespace pedisim::client
