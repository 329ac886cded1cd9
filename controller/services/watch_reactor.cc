#include "controller/services/watch_reactor.h"

#include <spdlog/spdlog.h>

#include "controller/auth/revocation.h"
#include "controller/services/debrief_visibility.h"

namespace pedisim::services {

WatchReactor::WatchReactor(std::shared_ptr<session::Session> session,
                           std::optional<uint64_t> after_event_id, Viewer viewer,
                           auth::Caller caller)
    : session_(std::move(session)), viewer_(viewer), caller_(std::move(caller)) {
  session_->Subscribe(this, after_event_id);
  std::lock_guard lock(mu_);
  taking_history_ = false;
  history_allowance_ = queue_.size();
}

namespace {

// Whether the scores are released, when `update` says.
std::optional<bool> ReleasedIn(const v1::SessionUpdate& update) {
  if (update.has_assessment()) return update.assessment().released();
  if (update.has_snapshot() && update.snapshot().has_assessment()) {
    return update.snapshot().assessment().released();
  }
  if (update.has_event() && update.event().has_visibility()) {
    return update.event().visibility().released();
  }
  return std::nullopt;
}

}  // namespace

void WatchReactor::OnUpdate(const v1::SessionUpdate& update) {
  std::lock_guard lock(mu_);
  if (finished_ || finish_after_write_) return;
  if (viewer_ == Viewer::kStaff) {
    QueueLocked(update);
    return;
  }
  if (std::optional<bool> released = ReleasedIn(update)) released_ = *released;
  // Waveforms and numerics carry no scores: no copy on the hot path.
  if (update.has_waveform() || update.has_vitals()) {
    QueueLocked(update);
    return;
  }
  v1::SessionUpdate shown = update;
  if (ShowLearner(&shown, released_)) QueueLocked(shown);
}

void WatchReactor::QueueLocked(const v1::SessionUpdate& update) {
  const size_t waiting = queue_.size() - (writing_ ? 1 : 0);
  if (update.has_vitals() && waiting > 0 && queue_.back().has_vitals()) {
    queue_.back() = update;
    return;
  }
  if (update.has_waveform() && waiting >= kMaxQueuedBeforeWaveformsDrop) {
    ++waveform_chunks_dropped_;
    return;
  }
  if (!taking_history_ && waiting >= kMaxQueued + history_allowance_) {
    spdlog::warn("session {}: a watcher fell {} updates behind and was disconnected",
                 session_->id(), waiting);
    FinishLocked(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                              "watcher too slow: more than " + std::to_string(kMaxQueued) +
                                  " updates waiting; reconnect with after_event_id to resume"));
    return;
  }
  queue_.push_back(update);
  WriteNextLocked();
}

void WatchReactor::OnSessionEnded() {
  std::lock_guard lock(mu_);
  session_ended_ = true;
  WriteNextLocked();
}

void WatchReactor::OnWriteDone(bool ok) {
  std::lock_guard lock(mu_);
  writing_ = false;
  queue_.pop_front();
  if (!ok) {
    // The client is gone; there is no one to tell.
    FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "stream broken"));
    return;
  }
  WriteNextLocked();
}

void WatchReactor::OnCancel() {
  std::lock_guard lock(mu_);
  FinishLocked(grpc::Status::CANCELLED);
}

void WatchReactor::OnDone() {
  // Unsubscribe waits for any update being published, so none arrives after.
  session_->Unsubscribe(this);
  session_->ReleaseWatcher();
  delete this;
}

void WatchReactor::WriteNextLocked() {
  if (writing_ || finished_) return;
  if (!finish_after_write_ && !auth::StillValid(caller_, &credential_checked_)) {
    spdlog::info("session {}: a watcher's token was revoked; its stream ends", session_->id());
    finish_after_write_ = auth::RevokedStatus();
  }
  if (finish_after_write_) {
    FinishLocked(*finish_after_write_);
  } else if (!queue_.empty()) {
    writing_ = true;
    StartWrite(&queue_.front());
  } else if (session_ended_) {
    FinishLocked(grpc::Status::OK);
  }
}

void WatchReactor::FinishLocked(grpc::Status status) {
  if (finished_) return;
  if (writing_) {
    // Finish must wait for the write in flight; OnWriteDone comes back here.
    if (!finish_after_write_) finish_after_write_ = std::move(status);
    return;
  }
  finished_ = true;
  Finish(std::move(status));
}

}  // namespace pedisim::services
