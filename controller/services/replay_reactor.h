#pragma once

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "controller/recording/record_player.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::services {

// One DebriefService.Replay stream. A thread of its own reads the record
// through a RecordPlayer and paces it against the wall clock; one write is in
// flight at a time, so a slow client slows the replay down instead of
// filling memory. Deletes itself when gRPC is done with it.
class ReplayReactor : public grpc::ServerWriteReactor<v1::SessionUpdate> {
 public:
  // Passes each update through `filter` (what the caller may see); an
  // update it clears is skipped.
  using Filter = std::function<void(v1::SessionUpdate*)>;

  ReplayReactor(std::unique_ptr<recording::RecordPlayer> player, double speed, Filter filter);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void Run();
  // Waits until the write in flight is done; false once cancelled.
  bool WaitForWriteSlot(std::unique_lock<std::mutex>& lock);

  std::unique_ptr<recording::RecordPlayer> player_;
  const double speed_;
  Filter filter_;
  std::mutex mu_;
  std::condition_variable changed_;
  bool writing_ = false;
  bool cancelled_ = false;
  v1::SessionUpdate in_flight_;
  std::thread thread_;
};

}  // namespace pedisim::services
