#include "controller/services/dry_run_reactor.h"

#include <fmt/format.h>

#include "controller/session/event_text.h"

namespace pedisim::services {

DryRunReactor::DryRunReactor(v1::Scenario scenario, uint64_t seed, double max_duration_s,
                             bool waveforms, std::vector<session::AttachedDevice> devices)
    : simulation_(std::move(scenario), seed, std::move(devices), waveforms),
      max_duration_s_(max_duration_s) {
  simulation_.fan_out().AddWatcher(this);
  pending_.push_back(Snapshot(v1::SESSION_STATUS_RUNNING));
  simulation_.Record(simulation_.MakeEvent(v1::EVENT_KIND_SESSION_STARTED, v1::AGENT_SYSTEM, "",
                                           "dry run started"));
  simulation_.Begin();
  if (simulation_.engine().completed())
    End(v1::SESSION_STATUS_COMPLETED, "initial state is terminal");
  StartWrite(&pending_.front());
}

void DryRunReactor::OnWriteDone(bool ok) {
  pending_.pop_front();
  if (!ok) {
    Finish(grpc::Status(grpc::StatusCode::CANCELLED, "stream broken"));
    return;
  }
  WriteNext();
}

void DryRunReactor::WriteNext() {
  while (pending_.empty() && !ended_) {
    simulation_.Tick();
    if (simulation_.engine().completed()) {
      End(v1::SESSION_STATUS_COMPLETED, "terminal state reached");
    } else if (simulation_.engine().sim_time_s() >= max_duration_s_ - 1e-9) {
      End(v1::SESSION_STATUS_STOPPED,
          fmt::format("no terminal state within {:g} s", max_duration_s_));
    }
  }
  if (pending_.empty()) {
    Finish(grpc::Status::OK);
    return;
  }
  StartWrite(&pending_.front());
}

void DryRunReactor::End(v1::SessionStatus status, const std::string& why) {
  ended_ = true;
  const bool completed = status == v1::SESSION_STATUS_COMPLETED;
  simulation_.Record(simulation_.MakeEvent(
      completed ? v1::EVENT_KIND_SESSION_COMPLETED : v1::EVENT_KIND_SESSION_STOPPED,
      v1::AGENT_SYSTEM, "",
      fmt::format("dry run {} in state '{}': {}", session::StatusName(status),
                  simulation_.engine().current_state(), why)));
  simulation_.PublishVitals();
  pending_.push_back(Snapshot(status));
}

v1::SessionUpdate DryRunReactor::Snapshot(v1::SessionStatus status) const {
  v1::SessionUpdate update;
  v1::Session* session = update.mutable_snapshot();
  session->set_id("dry-run");
  session->set_status(status);
  session->set_speed(0);
  simulation_.FillSnapshot(session, /*include_pending=*/!ended_);
  return update;
}

}  // namespace pedisim::services
