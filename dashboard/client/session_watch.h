// Follows one live session: a thread reads SessionService.Watch into a
// SessionModel (reconnecting after a drop with the last event id, so no
// event is missed, after 0.5 s doubling to 5 s: client/retry_backoff.h), and another asks for the
// session once a second, since the stream carries snapshots only on status changes and the
// instructor wants time in state and what each pending transition waits for.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "client/controller_link.h"
#include "model/session_model.h"

namespace pedisim::dashboard {

class SessionWatch {
 public:
  SessionWatch(ControllerLink& link, std::string session_id, SessionModel& model);
  ~SessionWatch();
  SessionWatch(const SessionWatch&) = delete;
  SessionWatch& operator=(const SessionWatch&) = delete;

  const std::string& session_id() const { return session_id_; }

 private:
  void StreamLoop();
  void PollLoop();
  // Waits up to `seconds` unless stopping; true when stopping.
  bool WaitOrStop(double seconds);
  void FetchScenario(const std::string& scenario_id);

  ControllerLink& link_;
  std::string session_id_;
  SessionModel& model_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool ended_ = false;
  grpc::ClientContext* stream_context_ = nullptr;
  std::thread stream_thread_;
  std::thread poll_thread_;
};

}  // namespace pedisim::dashboard
