#pragma once

#include "pedisim/v1/session.pb.h"

namespace pedisim::session {

// Receives a session's updates: the one fan-out point that watchers (Watch
// streams) and, later, recorders and assessors hang off.
class UpdateSubscriber {
 public:
  virtual ~UpdateSubscriber() = default;

  // Called with the session's lock held, in order: must be quick, must not
  // block and must not call back into the session.
  virtual void OnUpdate(const v1::SessionUpdate& update) = 0;

  // The session has ended; nothing follows. Also called with the lock held.
  virtual void OnSessionEnded() = 0;
};

}  // namespace pedisim::session
