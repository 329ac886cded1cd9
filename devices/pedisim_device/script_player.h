#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "devices/network/device_client.h"
#include "devices/virtual/action_timeline.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::device_app {

// Plays an action file as a manikin reports what learners do to it: each
// action is sent when the session's simulated clock reaches its time. The
// clock is followed from the updates the device receives and extrapolated
// between them at the session's speed, so pause and speed changes are
// honoured.
class ScriptPlayer {
 public:
  ScriptPlayer(devices::DeviceClient& client, std::vector<devices::TimedAction> timeline);
  ~ScriptPlayer();
  ScriptPlayer(const ScriptPlayer&) = delete;
  ScriptPlayer& operator=(const ScriptPlayer&) = delete;

  // Follows the session's clock; call with every update received.
  void Observe(const v1::SessionUpdate& update);
  size_t sent() const;

 private:
  using Clock = std::chrono::steady_clock;

  void Run();
  double EstimatedSimTimeLocked(Clock::time_point now) const;

  devices::DeviceClient& client_;
  const std::vector<devices::TimedAction> timeline_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool running_ = false;
  double speed_ = 1;
  double known_sim_time_s_ = 0;
  Clock::time_point known_at_ = Clock::now();
  size_t next_ = 0;
  std::thread thread_;
};

}  // namespace pedisim::device_app
