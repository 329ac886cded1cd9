#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "controller/auth/caller.h"
#include "controller/recording/record_player.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::services {

// One DebriefService.Replay stream. A thread of its own opens the record
// (reading a record must not block gRPC's callback threads), reads it
// through a RecordPlayer and paces it against the wall clock; one write is in
// flight at a time, so a slow client slows the replay down instead of
// filling memory. Deletes itself when gRPC is done with it.
class ReplayReactor : public grpc::ServerWriteReactor<v1::SessionUpdate> {
 public:
  // Replays running at once, at most; more are RESOURCE_EXHAUSTED.
  static constexpr int kMaxReplays = 32;

  // What the caller may see of an update; false drops it.
  using Filter = std::function<bool(v1::SessionUpdate*)>;
  struct Source {
    std::unique_ptr<recording::RecordPlayer> player;
    Filter filter;
  };
  // Opens the record on the replay's thread; a status other than OK ends
  // the call with it.
  using Open = std::function<grpc::Status(Source*)>;

  // Takes one of the kMaxReplays places; false when none is free.
  static bool Reserve();

  // After a successful Reserve. The replay ends UNAUTHENTICATED once
  // `caller`'s token is revoked.
  ReplayReactor(Open open, double speed, auth::Caller caller);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void Run();
  // Streams the source; returns the status to finish with.
  grpc::Status Play(Source& source);
  // Waits until the write in flight is done; false once cancelled.
  bool WaitForWriteSlot(std::unique_lock<std::mutex>& lock);

  static std::atomic<int> running_;

  Open open_;
  const double speed_;
  const auth::Caller caller_;
  uint64_t credential_checked_ = 0;  // see auth::StillValid; the replay thread's
  std::mutex mu_;
  std::condition_variable changed_;
  bool writing_ = false;
  bool cancelled_ = false;
  v1::SessionUpdate in_flight_;
  std::thread thread_;
};

}  // namespace pedisim::services
