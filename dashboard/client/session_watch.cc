#include "client/session_watch.h"

#include <chrono>

#include "client/retry_backoff.h"
#include "client/update_reader.h"

namespace pedisim::dashboard {

SessionWatch::SessionWatch(ControllerLink& link, std::string session_id, SessionModel& model)
    : link_(link), session_id_(std::move(session_id)), model_(model) {
  model_.Clear();
  model_.SetStream(StreamState::kConnecting, "connecting to " + link_.address());
  stream_thread_ = std::thread([this] { StreamLoop(); });
  poll_thread_ = std::thread([this] { PollLoop(); });
}

SessionWatch::~SessionWatch() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (stream_context_) stream_context_->TryCancel();
  }
  wake_.notify_all();
  stream_thread_.join();
  poll_thread_.join();
}

bool SessionWatch::WaitOrStop(double seconds) {
  std::unique_lock lock(mutex_);
  return wake_.wait_for(lock, std::chrono::duration<double>(seconds), [this] { return stopping_; });
}

void SessionWatch::StreamLoop() {
  client::RetryBackoff backoff;
  while (true) {
    grpc::ClientContext context;
    v1::WatchRequest request;
    request.set_session_id(session_id_);
    // 0 the first time: the whole log so far; after a drop, what came after
    // the last event seen.
    request.set_after_event_id(model_.last_event_id());
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stream_context_ = &context;
    }
    auto reader = link_.stubs().sessions->Watch(&context, request);
    const grpc::Status status = ReadUpdates(*reader, model_);
    {
      std::lock_guard lock(mutex_);
      stream_context_ = nullptr;
      if (stopping_) return;
    }
    if (status.ok()) {
      model_.SetStream(StreamState::kEnded, "the session ended");
      std::lock_guard lock(mutex_);
      ended_ = true;
      return;
    }
    // A stream that delivered something worked: the next wait starts short.
    if (model_.last_event_id() != request.after_event_id()) backoff.Reset();
    model_.SetStream(StreamState::kConnecting, "reconnecting: " + status.error_message());
    if (WaitOrStop(std::chrono::duration<double>(backoff.Next()).count())) return;
  }
}

void SessionWatch::FetchScenario(const std::string& scenario_id) {
  grpc::ClientContext context;
  ControllerLink::SetUnaryDeadline(context);
  v1::GetScenarioRequest request;
  request.set_scenario_id(scenario_id);
  auto scenario = std::make_shared<v1::Scenario>();
  const grpc::Status status = link_.stubs().scenarios->Get(&context, request, scenario.get());
  if (status.ok()) {
    model_.SetScenario(std::move(scenario));
  } else {
    link_.Report(status, "loading scenario " + scenario_id);
  }
}

void SessionWatch::PollLoop() {
  bool scenario_failed = false;
  // Quickly at first, so the state graph appears at once; then each second.
  double interval_s = 0.2;
  while (!WaitOrStop(interval_s)) {
    const std::string scenario_id = model_.scenario_id();
    if (!scenario_id.empty() && !model_.has_scenario() && !scenario_failed) {
      FetchScenario(scenario_id);
      scenario_failed = !model_.has_scenario();
    }
    bool ended = false;
    {
      std::lock_guard lock(mutex_);
      ended = ended_;
    }
    // An ended session's final snapshot came with the stream.
    if (ended) {
      if (model_.has_scenario() || scenario_failed) return;
      continue;
    }
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::SessionRef ref;
    ref.set_session_id(session_id_);
    v1::Session session;
    if (link_.stubs().sessions->Get(&context, ref, &session).ok()) model_.ApplySession(session);
    if (model_.has_scenario() || scenario_failed) interval_s = 1.0;
  }
}

}  // namespace pedisim::dashboard
