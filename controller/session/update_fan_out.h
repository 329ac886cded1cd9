#pragma once

#include <vector>

#include "controller/recording/session_recorder.h"
#include "controller/session/device_room.h"
#include "controller/session/update_subscriber.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::session {

// The one point a session's updates leave through: each update once, in
// the order it happened, to the record first (nothing anyone saw can be
// missing from it), then to the devices in the room (each in the view it
// may see), then to the watchers. The assessment hears each event before it
// gets here (Simulation::Emit), because it may add events of its own.
//
// Not thread-safe: the session calls it under its lock.
class UpdateFanOut {
 public:
  UpdateFanOut(std::vector<AttachedDevice> devices, const assessment::Assessor& grades);

  // `step` is the engine step the update belongs to, for the record.
  void Publish(const v1::SessionUpdate& update, uint64_t step);

  // Where updates are recorded; null: nowhere (a dry run, or a resumed
  // session re-running the history its record holds already).
  void SetRecorder(recording::SessionRecorder* recorder) { recorder_ = recorder; }

  DeviceRoom& devices() { return room_; }
  const DeviceRoom& devices() const { return room_; }

  void AddWatcher(UpdateSubscriber* watcher) { watchers_.push_back(watcher); }
  void RemoveWatcher(UpdateSubscriber* watcher);
  // The session has ended: every watcher hears so and is let go.
  void EndWatchers();

 private:
  recording::SessionRecorder* recorder_ = nullptr;
  DeviceRoom room_;
  std::vector<UpdateSubscriber*> watchers_;
};

}  // namespace pedisim::session
