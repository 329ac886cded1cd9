#pragma once

#include <functional>
#include <utility>

#include "pedisim/v1/session.pb.h"

namespace pedisim::session {

// A watcher of a session's updates (a Watch stream, a dry run's stream):
// one of the sinks of the session's UpdateFanOut.
class UpdateSubscriber {
 public:
  virtual ~UpdateSubscriber() = default;

  // Called with the session's lock held, in order: must be quick, must not
  // block and must not call back into the session.
  virtual void OnUpdate(const v1::SessionUpdate& update) = 0;

  // The session has ended; nothing follows. Also called with the lock held.
  virtual void OnSessionEnded() = 0;
};

// A watcher that hands each update to a function: for tools, tests and
// benchmarks that drive a Simulation by hand.
class UpdateCallback final : public UpdateSubscriber {
 public:
  explicit UpdateCallback(std::function<void(const v1::SessionUpdate&)> on_update)
      : on_update_(std::move(on_update)) {}
  void OnUpdate(const v1::SessionUpdate& update) override { on_update_(update); }
  void OnSessionEnded() override {}

 private:
  std::function<void(const v1::SessionUpdate&)> on_update_;
};

}  // namespace pedisim::session
