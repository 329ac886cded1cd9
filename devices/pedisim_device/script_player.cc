#include "devices/pedisim_device/script_player.h"

#include <algorithm>

namespace pedisim::device_app {

ScriptPlayer::ScriptPlayer(devices::DeviceClient& client,
                           std::vector<devices::TimedAction> timeline)
    : client_(client), timeline_(std::move(timeline)) {
  thread_ = std::thread([this] { Run(); });
}

ScriptPlayer::~ScriptPlayer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ScriptPlayer::Observe(const v1::SessionUpdate& update) {
  std::lock_guard lock(mu_);
  const Clock::time_point now = Clock::now();
  // Where the clock was by the pace known so far, before this update changes it.
  const double estimate_s = EstimatedSimTimeLocked(now);
  std::optional<double> sim_time_s;
  if (update.has_snapshot()) {
    running_ = update.snapshot().status() == v1::SESSION_STATUS_RUNNING;
    speed_ = update.snapshot().speed();
    sim_time_s = update.snapshot().sim_time_s();
  } else if (update.has_vitals()) {
    sim_time_s = update.vitals().sim_time_s();
  } else if (update.has_event()) {
    sim_time_s = update.event().sim_time_s();
    switch (update.event().kind()) {
      case v1::EVENT_KIND_SESSION_STARTED:
      case v1::EVENT_KIND_SESSION_RESUMED:
        running_ = true;
        break;
      case v1::EVENT_KIND_SESSION_PAUSED:
      case v1::EVENT_KIND_SESSION_STOPPED:
      case v1::EVENT_KIND_SESSION_COMPLETED:
        running_ = false;
        break;
      case v1::EVENT_KIND_SPEED_CHANGED:
        speed_ = update.event().speed();
        break;
      default:
        break;
    }
  }
  // An update is stamped with the step it left at, so it trails the clock by
  // the time it travelled; within half a second the estimate stands.
  known_sim_time_s_ =
      sim_time_s ? std::max(*sim_time_s, std::min(estimate_s, *sim_time_s + 0.5)) : estimate_s;
  known_at_ = now;
  wake_.notify_all();
}

size_t ScriptPlayer::sent() const {
  std::lock_guard lock(mu_);
  return next_;
}

double ScriptPlayer::EstimatedSimTimeLocked(Clock::time_point now) const {
  if (!running_) return known_sim_time_s_;
  return known_sim_time_s_ + std::chrono::duration<double>(now - known_at_).count() * speed_;
}

void ScriptPlayer::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_ && next_ < timeline_.size()) {
    const Clock::time_point now = Clock::now();
    const double sim_now = EstimatedSimTimeLocked(now);
    if (timeline_[next_].at_s <= sim_now) {
      const v1::LearnerAction action = timeline_[next_].action;
      ++next_;
      lock.unlock();
      const bool sent = client_.SendObservation(action);
      lock.lock();
      if (!sent) return;
      continue;
    }
    if (!running_) {
      wake_.wait(lock);
      continue;
    }
    const double wait_s = (timeline_[next_].at_s - sim_now) / std::max(speed_, 0.01);
    wake_.wait_for(lock, std::chrono::duration<double>(std::min(wait_s, 1.0)));
  }
}

}  // namespace pedisim::device_app
