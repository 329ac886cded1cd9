#include "controller/session/update_fan_out.h"

#include <algorithm>

namespace pedisim::session {

UpdateFanOut::UpdateFanOut(std::vector<AttachedDevice> devices, const assessment::Assessor& grades)
    : room_(std::move(devices), grades) {}

void UpdateFanOut::Publish(const v1::SessionUpdate& update, uint64_t step) {
  if (recorder_ != nullptr) recorder_->OnUpdate(update, step);
  room_.Send(update);
  for (UpdateSubscriber* watcher : watchers_) watcher->OnUpdate(update);
}

void UpdateFanOut::RemoveWatcher(UpdateSubscriber* watcher) { std::erase(watchers_, watcher); }

void UpdateFanOut::EndWatchers() {
  for (UpdateSubscriber* watcher : watchers_) watcher->OnSessionEnded();
  watchers_.clear();
}

}  // namespace pedisim::session
