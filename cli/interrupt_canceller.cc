#include "interrupt_canceller.h"

#include <semaphore.h>

#include <atomic>
#include <cerrno>

namespace pedisim::cli {

namespace {
// Signal handlers may not call into gRPC, so the handler only posts a
// semaphore (async-signal-safe) and a helper thread does the TryCancel.
sem_t interrupt_semaphore;
std::atomic<bool> interrupt_requested{false};

void OnInterrupt(int) {
  interrupt_requested.store(true);
  sem_post(&interrupt_semaphore);
}
}  // namespace

InterruptCanceller::InterruptCanceller(grpc::ClientContext* context) {
  sem_init(&interrupt_semaphore, 0, 0);
  interrupt_requested.store(false);
  struct sigaction action = {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &action, &previous_action_);
  waiter_ = std::thread([context] {
    while (sem_wait(&interrupt_semaphore) != 0 && errno == EINTR) {
    }
    if (interrupt_requested.load()) context->TryCancel();
  });
}

InterruptCanceller::~InterruptCanceller() {
  sigaction(SIGINT, &previous_action_, nullptr);
  sem_post(&interrupt_semaphore);  // wakes the waiter if no signal came
  waiter_.join();
  sem_destroy(&interrupt_semaphore);
}

bool InterruptCanceller::interrupted() const { return interrupt_requested.load(); }

}  // namespace pedisim::cli
