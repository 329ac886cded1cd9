#pragma once

#include <grpcpp/grpcpp.h>

#include <deque>
#include <memory>
#include <mutex>
#include <optional>

#include "controller/auth/caller.h"
#include "controller/session/session.h"
#include "controller/session/update_subscriber.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::services {

// One SessionService.Watch stream. It subscribes to the session and owns a
// bounded queue of updates waiting to be written. Events and snapshots are
// never dropped; a numerics sample still waiting behind a slow network is
// replaced by the newer one, and waveform chunks are dropped (and counted)
// once kMaxQueuedBeforeWaveformsDrop updates wait. A watcher that falls more than kMaxQueued
// updates behind is ended with RESOURCE_EXHAUSTED rather than silently
// missing events; it can reconnect with after_event_id to resume. Deletes itself when gRPC is done
// with it. A learner's stream shows what the debrief would show them: no
// grade, omission, dose flag or override until the scores are released.
class WatchReactor : public grpc::ServerWriteReactor<v1::SessionUpdate>,
                     public session::UpdateSubscriber {
 public:
  static constexpr size_t kMaxQueued = 10000;
  static constexpr size_t kMaxQueuedBeforeWaveformsDrop = 256;

  enum class Viewer { kStaff, kLearner };

  // `session` has a watcher place reserved for it (Session::ReserveWatcher),
  // given back when the stream is done.
  // The stream ends UNAUTHENTICATED once `caller`'s token is revoked.
  WatchReactor(std::shared_ptr<session::Session> session, std::optional<uint64_t> after_event_id,
               Viewer viewer, auth::Caller caller);

  void OnUpdate(const v1::SessionUpdate& update) override;
  void OnSessionEnded() override;

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  // Starts the next write, or finishes once the queue is drained and there
  // is nothing more to send.
  void WriteNextLocked();
  // Queues `update` (already filtered for the viewer).
  void QueueLocked(const v1::SessionUpdate& update);
  void FinishLocked(grpc::Status status);

  std::shared_ptr<session::Session> session_;
  const Viewer viewer_;
  const auth::Caller caller_;
  uint64_t credential_checked_ = 0;  // see auth::StillValid
  std::mutex mu_;
  // Learners only: whether the instructor has released the scores, as of
  // the last update that said.
  bool released_ = false;
  std::deque<v1::SessionUpdate> queue_;  // front is in flight while writing_
  bool writing_ = false;
  bool session_ended_ = false;
  bool finished_ = false;
  std::optional<grpc::Status> finish_after_write_;
  uint64_t waveform_chunks_dropped_ = 0;
  // Updates queued while the constructor took the snapshot and the replayed
  // past events. A long session's history may exceed kMaxQueued; the limit
  // is about the live backlog, so the history asked for is allowed on top.
  bool taking_history_ = true;
  size_t history_allowance_ = 0;
};

}  // namespace pedisim::services
