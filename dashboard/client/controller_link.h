// The dashboard's connection to one controller: the channel, the stubs of
// the public services, and one worker thread that makes the unary calls in
// the order the UI posted them, so the UI thread never waits on the network.
// What the calls answer comes back as notices (and, through the Watch
// stream, as the session's new state).
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/controller_channel.h"
#include "pedisim/v1/assessment_service.grpc.pb.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/scenario_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::dashboard {

struct Stubs {
  std::unique_ptr<v1::ScenarioService::Stub> scenarios;
  std::unique_ptr<v1::SessionService::Stub> sessions;
  std::unique_ptr<v1::AssessmentService::Stub> assessments;
  std::unique_ptr<v1::DebriefService::Stub> debrief;
};

// The result of a command, shown in the status bar and the event log.
struct Notice {
  std::chrono::steady_clock::time_point when;
  std::string text;
  bool error = false;
};

class ControllerLink {
 public:
  // `connection`: the token every call carries and how the controller is
  // trusted (TLS by CA file or fingerprint, else loopback plain text).
  ControllerLink(std::string address, const client::ConnectionOptions& connection);
  ~ControllerLink();
  ControllerLink(const ControllerLink&) = delete;
  ControllerLink& operator=(const ControllerLink&) = delete;

  const std::string& address() const { return address_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  // Stubs are thread-safe; streams on other threads use them too.
  Stubs& stubs() { return stubs_; }

  // Runs `call` on the worker thread after everything posted before it.
  void Post(std::function<void(Stubs&)> call);
  // Reports `what` failed with `status`, or did `done` when it succeeded.
  void Report(const grpc::Status& status, const std::string& what, const std::string& done = {});
  void Notify(std::string text, bool error);
  std::vector<Notice> RecentNotices() const;
  bool connected() const;

  // A context for a unary call, with the dashboard's deadline.
  static void SetUnaryDeadline(grpc::ClientContext& context);

 private:
  void WorkerLoop();

  std::string address_;
  std::shared_ptr<grpc::Channel> channel_;
  Stubs stubs_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void(Stubs&)>> calls_;
  std::deque<Notice> notices_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace pedisim::dashboard
