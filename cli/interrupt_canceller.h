// Ctrl-C during a stream (watch, replay): cancels the call instead of
// killing the process, so the command can print its summary.
#pragma once

#include <grpcpp/grpcpp.h>
#include <signal.h>

#include <thread>

namespace pedisim::cli {

// Cancels `context` on the first SIGINT while it exists. SA_RESETHAND gives
// the default behaviour back, so a second Ctrl-C still kills a stuck client.
class InterruptCanceller {
 public:
  explicit InterruptCanceller(grpc::ClientContext* context);
  InterruptCanceller(const InterruptCanceller&) = delete;
  InterruptCanceller& operator=(const InterruptCanceller&) = delete;
  ~InterruptCanceller();

  bool interrupted() const;

 private:
  struct sigaction previous_action_ = {};
  std::thread waiter_;
};

}  // namespace pedisim::cli
