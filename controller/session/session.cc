#include "controller/session/session.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "controller/scenario/vital_fields.h"

namespace pedisim::session {

namespace {

using google::protobuf::util::TimeUtil;

constexpr double kVitalsPublishIntervalS = 1.0;

std::string StatusName(v1::SessionStatus status) {
  std::string name = v1::SessionStatus_Name(status);
  constexpr std::string_view kPrefix = "SESSION_STATUS_";
  if (name.starts_with(kPrefix)) name.erase(0, kPrefix.size());
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

grpc::Status Precondition(const std::string& what, v1::SessionStatus status) {
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                      fmt::format("cannot {} a session that is {}", what, StatusName(status)));
}

std::string DescribeOverride(const v1::OverrideVitalsRequest& request) {
  std::string text;
  for (const scenario::VitalField& field : scenario::VitalFields()) {
    if (!(request.vitals().*field.has)()) continue;
    text += fmt::format("{}{} -> {:g}", text.empty() ? "" : ", ", field.name,
                        (request.vitals().*field.get)());
  }
  if (request.vitals().has_rhythm()) {
    text += (text.empty() ? "" : ", ") + std::string("rhythm -> ") +
            scenario::RhythmName(request.vitals().rhythm());
  }
  for (const std::string& name : request.release()) {
    text += (text.empty() ? "released " : ", released ") + name;
  }
  if (request.trend_duration_s() > 0)
    text += fmt::format(" over {:g} s", request.trend_duration_s());
  return text;
}

std::string DescribeAction(const v1::LearnerAction& action) {
  std::string text = v1::ActionKind_Name(action.kind());
  constexpr std::string_view kPrefix = "ACTION_KIND_";
  if (text.starts_with(kPrefix)) text.erase(0, kPrefix.size());
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (!action.drug().empty()) text += " " + action.drug();
  if (action.has_dose_mg()) text += fmt::format(" {:g} mg", action.dose_mg());
  if (!action.route().empty()) text += " " + action.route();
  if (action.has_energy_j()) text += fmt::format(" {:g} J", action.energy_j());
  if (action.has_volume_ml()) text += fmt::format(" {:g} mL", action.volume_ml());
  if (action.has_oxygen_flow_l_per_min()) {
    text += fmt::format(" {:g} L/min", action.oxygen_flow_l_per_min());
  }
  if (!action.performer().empty()) text += " by " + action.performer();
  return text;
}

}  // namespace

Session::Session(SessionSetup setup)
    : id_(std::move(setup.id)),
      participants_(std::move(setup.participants)),
      created_at_(TimeUtil::GetCurrentTime()),
      engine_(std::move(setup.scenario), setup.seed),
      speed_(setup.speed),
      devices_(std::move(setup.devices)),
      recorder_(std::move(setup.recorder)) {
  std::lock_guard lock(mu_);
  if (recorder_) recorder_->Begin(SnapshotLocked(), engine_.scenario());
  RecordLocked(MakeEventLocked(v1::EVENT_KIND_SESSION_CREATED, v1::AGENT_INSTRUCTOR, "",
                               "session created from scenario '" + engine_.scenario().id() + "'"));
  for (const AttachedDevice& device : devices_) {
    RecordLocked(MakeEventLocked(
        v1::EVENT_KIND_DEVICE_ATTACHED, v1::AGENT_DEVICE, device.info.name(),
        fmt::format("device '{}' attached ({} {})", device.info.name(),
                    device.info.identity().manufacturer(), device.info.identity().model())));
  }
  pacer_ = std::thread([this] { RunPacer(); });
}

Session::~Session() {
  {
    std::lock_guard lock(mu_);
    if (!IsFinalLocked()) EndLocked(v1::SESSION_STATUS_STOPPED, "controller shutting down");
  }
  wake_.notify_all();
  pacer_.join();
}

grpc::Status Session::Start() {
  std::lock_guard lock(mu_);
  if (status_ != v1::SESSION_STATUS_CREATED) return Precondition("start", status_);
  status_ = v1::SESSION_STATUS_RUNNING;
  anchor_wall_ = Clock::now();
  steps_since_anchor_ = 0;
  RecordLocked(MakeEventLocked(v1::EVENT_KIND_SESSION_STARTED, v1::AGENT_INSTRUCTOR, "",
                               fmt::format("session started at {:g}x", speed_)));
  RecordAllLocked(engine_.Begin(events_.size() + 1));
  PublishSnapshotLocked();
  PublishVitalsLocked();
  if (engine_.completed()) EndLocked(v1::SESSION_STATUS_COMPLETED, "initial state is terminal");
  wake_.notify_all();
  return grpc::Status::OK;
}

grpc::Status Session::Pause() {
  std::lock_guard lock(mu_);
  if (status_ != v1::SESSION_STATUS_RUNNING) return Precondition("pause", status_);
  status_ = v1::SESSION_STATUS_PAUSED;
  RecordLocked(
      MakeEventLocked(v1::EVENT_KIND_SESSION_PAUSED, v1::AGENT_INSTRUCTOR, "", "session paused"));
  PublishSnapshotLocked();
  wake_.notify_all();
  return grpc::Status::OK;
}

grpc::Status Session::Resume() {
  std::lock_guard lock(mu_);
  if (status_ != v1::SESSION_STATUS_PAUSED) return Precondition("resume", status_);
  status_ = v1::SESSION_STATUS_RUNNING;
  anchor_wall_ = Clock::now();
  steps_since_anchor_ = 0;
  RecordLocked(
      MakeEventLocked(v1::EVENT_KIND_SESSION_RESUMED, v1::AGENT_INSTRUCTOR, "", "session resumed"));
  PublishSnapshotLocked();
  wake_.notify_all();
  return grpc::Status::OK;
}

grpc::Status Session::Stop() {
  std::lock_guard lock(mu_);
  if (IsFinalLocked()) return Precondition("stop", status_);
  EndLocked(v1::SESSION_STATUS_STOPPED, "stopped by instructor");
  wake_.notify_all();
  return grpc::Status::OK;
}

grpc::Status Session::SetSpeed(double speed) {
  std::lock_guard lock(mu_);
  if (IsFinalLocked()) return Precondition("change the speed of", status_);
  speed_ = speed;
  // Re-anchoring keeps simulated time continuous across the change.
  anchor_wall_ = Clock::now();
  steps_since_anchor_ = 0;
  v1::Event event = MakeEventLocked(v1::EVENT_KIND_SPEED_CHANGED, v1::AGENT_INSTRUCTOR, "",
                                    fmt::format("speed set to {:g}x", speed));
  event.set_speed(speed);
  RecordLocked(std::move(event));
  PublishSnapshotLocked();
  wake_.notify_all();
  return grpc::Status::OK;
}

grpc::Status Session::GoToState(const std::string& state, const std::string& reason,
                                const std::string& source, v1::Event* recorded) {
  std::lock_guard lock(mu_);
  if (grpc::Status status = RequireActiveLocked("change the state of"); !status.ok()) return status;
  if (!engine_.HasState(state)) {
    std::string known;
    for (const v1::State& candidate : engine_.scenario().states()) {
      known += (known.empty() ? "" : ", ") + candidate.name();
    }
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        fmt::format("state: '{}' is not a state of scenario '{}' (states: {})",
                                    state, engine_.scenario().id(), known));
  }
  std::string summary = fmt::format("instructor moved the scenario to '{}'", state);
  if (!reason.empty()) summary += ": " + reason;
  v1::Event event =
      MakeEventLocked(v1::EVENT_KIND_STATE_ENTERED, v1::AGENT_INSTRUCTOR, source, summary);
  event.mutable_state_change()->set_from_state(engine_.current_state());
  event.mutable_state_change()->set_to_state(state);
  *recorded = ApplyInputLocked(std::move(event));
  if (engine_.completed()) EndLocked(v1::SESSION_STATUS_COMPLETED, "terminal state reached");
  return grpc::Status::OK;
}

grpc::Status Session::OverrideVitals(const v1::OverrideVitalsRequest& request,
                                     const std::string& source, v1::Event* recorded) {
  std::lock_guard lock(mu_);
  if (grpc::Status status = RequireActiveLocked("override vitals of"); !status.ok()) return status;
  const bool holds_any = request.vitals().ByteSizeLong() > 0;
  std::string summary = DescribeOverride(request);
  if (!request.reason().empty()) summary += ": " + request.reason();
  v1::Event event =
      MakeEventLocked(holds_any ? v1::EVENT_KIND_VITALS_OVERRIDDEN : v1::EVENT_KIND_VITALS_RELEASED,
                      v1::AGENT_INSTRUCTOR, source, "instructor override: " + summary);
  v1::VitalsOverride* change = event.mutable_vitals_override();
  *change->mutable_vitals() = request.vitals();
  change->set_trend_duration_s(request.trend_duration_s());
  change->mutable_released()->CopyFrom(request.release());
  *recorded = ApplyInputLocked(std::move(event));
  PublishVitalsLocked();
  return grpc::Status::OK;
}

grpc::Status Session::LogAction(const v1::LearnerAction& action, v1::Agent agent,
                                const std::string& source, v1::Event* recorded) {
  std::lock_guard lock(mu_);
  if (grpc::Status status = RequireActiveLocked("log actions in"); !status.ok()) return status;
  v1::Event event =
      MakeEventLocked(v1::EVENT_KIND_LEARNER_ACTION, agent, source, DescribeAction(action));
  *event.mutable_action() = action;
  *recorded = ApplyInputLocked(std::move(event));
  if (engine_.completed()) EndLocked(v1::SESSION_STATUS_COMPLETED, "terminal state reached");
  return grpc::Status::OK;
}

grpc::Status Session::AddBookmark(const std::string& label, const std::string& note,
                                  const std::string& source, v1::Event* recorded) {
  std::lock_guard lock(mu_);
  // A finished session's record is closed; annotating recordings after the
  // fact belongs to the debrief service.
  if (status_ == v1::SESSION_STATUS_CREATED || IsFinalLocked()) {
    return Precondition("bookmark", status_);
  }
  v1::Event event =
      MakeEventLocked(v1::EVENT_KIND_BOOKMARK, v1::AGENT_INSTRUCTOR, source, "bookmark: " + label);
  event.mutable_bookmark()->set_label(label);
  event.mutable_bookmark()->set_note(note);
  *recorded = RecordLocked(std::move(event));
  return grpc::Status::OK;
}

v1::Session Session::Snapshot() const {
  std::lock_guard lock(mu_);
  return SnapshotLocked();
}

void Session::Subscribe(UpdateSubscriber* subscriber) {
  std::lock_guard lock(mu_);
  v1::SessionUpdate first;
  *first.mutable_snapshot() = SnapshotLocked();
  subscriber->OnUpdate(first);
  if (IsFinalLocked()) {
    subscriber->OnSessionEnded();
    return;
  }
  subscribers_.push_back(subscriber);
}

void Session::Unsubscribe(UpdateSubscriber* subscriber) {
  std::lock_guard lock(mu_);
  std::erase(subscribers_, subscriber);
}

void Session::RunPacer() {
  std::unique_lock lock(mu_);
  while (!IsFinalLocked()) {
    if (status_ != v1::SESSION_STATUS_RUNNING) {
      wake_.wait(lock);
      continue;
    }
    const auto step_wall = std::chrono::duration<double>(engine::Engine::kStepS / speed_);
    const Clock::time_point due =
        anchor_wall_ + std::chrono::duration_cast<Clock::duration>(
                           step_wall * static_cast<double>(steps_since_anchor_ + 1));
    // Woken early (pause, speed, stop): loop to re-read the status and pace.
    if (wake_.wait_until(lock, due) == std::cv_status::no_timeout) continue;
    TickLocked();
    ++steps_since_anchor_;
  }
}

void Session::TickLocked() {
  CollectDeviceObservationsLocked();
  if (IsFinalLocked()) return;
  RecordAllLocked(engine_.Step(events_.size() + 1));
  if (engine_.sim_time_s() + 1e-9 >= next_vitals_publish_s_) PublishVitalsLocked();
  if (engine_.completed()) EndLocked(v1::SESSION_STATUS_COMPLETED, "terminal state reached");
}

void Session::CollectDeviceObservationsLocked() {
  for (AttachedDevice& device : devices_) {
    if (!device.adapter) continue;
    std::vector<v1::LearnerAction> observed;
    try {
      observed = device.adapter->TakeObservations(engine_.sim_time_s());
    } catch (const std::exception& error) {
      // A misbehaving device is cut off; the session goes on without it.
      spdlog::warn("session {}: device '{}' failed and was detached: {}", id_, device.info.name(),
                   error.what());
      device.info.set_status(v1::DEVICE_STATUS_FAULT);
      device.info.set_status_detail(std::string("detached after error: ") + error.what());
      device.adapter.reset();
      continue;
    }
    for (const v1::LearnerAction& action : observed) {
      v1::Event event = MakeEventLocked(v1::EVENT_KIND_LEARNER_ACTION, v1::AGENT_LEARNER,
                                        device.info.name(), DescribeAction(action));
      *event.mutable_action() = action;
      ApplyInputLocked(std::move(event));
      if (engine_.completed()) {
        EndLocked(v1::SESSION_STATUS_COMPLETED, "terminal state reached");
        return;
      }
    }
  }
}

const v1::Event& Session::RecordLocked(v1::Event event) {
  event.set_id(events_.size() + 1);
  *event.mutable_wall_time() = TimeUtil::GetCurrentTime();
  events_.push_back(std::move(event));
  if (recorder_) recorder_->AppendEvent(events_.back());
  v1::SessionUpdate update;
  *update.mutable_event() = events_.back();
  PublishLocked(update);
  return events_.back();
}

v1::Event Session::ApplyInputLocked(v1::Event input) {
  v1::Event recorded = RecordLocked(std::move(input));
  RecordAllLocked(engine_.Apply(recorded, events_.size() + 1));
  return recorded;
}

void Session::RecordAllLocked(std::vector<v1::Event> events) {
  for (v1::Event& event : events) RecordLocked(std::move(event));
}

v1::Event Session::MakeEventLocked(v1::EventKind kind, v1::Agent agent, const std::string& source,
                                   std::string summary) const {
  v1::Event event;
  event.set_sim_time_s(engine_.sim_time_s());
  event.set_kind(kind);
  event.set_agent(agent);
  event.set_source(source);
  event.set_summary(std::move(summary));
  return event;
}

void Session::PublishLocked(const v1::SessionUpdate& update) {
  for (UpdateSubscriber* subscriber : subscribers_) subscriber->OnUpdate(update);
  for (AttachedDevice& device : devices_) {
    if (!device.adapter) continue;
    try {
      device.adapter->OnUpdate(update);
    } catch (const std::exception& error) {
      spdlog::warn("session {}: device '{}' failed and was detached: {}", id_, device.info.name(),
                   error.what());
      device.info.set_status(v1::DEVICE_STATUS_FAULT);
      device.info.set_status_detail(std::string("detached after error: ") + error.what());
      device.adapter.reset();
    }
  }
}

void Session::PublishSnapshotLocked() {
  v1::SessionUpdate update;
  *update.mutable_snapshot() = SnapshotLocked();
  PublishLocked(update);
}

void Session::PublishVitalsLocked() {
  v1::SessionUpdate update;
  *update.mutable_vitals() = engine_.Sample();
  if (recorder_) recorder_->AppendVitals(update.vitals());
  PublishLocked(update);
  next_vitals_publish_s_ = engine_.sim_time_s() + kVitalsPublishIntervalS;
}

void Session::EndLocked(v1::SessionStatus final_status, const std::string& why) {
  status_ = final_status;
  const bool completed = final_status == v1::SESSION_STATUS_COMPLETED;
  RecordLocked(
      MakeEventLocked(completed ? v1::EVENT_KIND_SESSION_COMPLETED : v1::EVENT_KIND_SESSION_STOPPED,
                      completed ? v1::AGENT_SCENARIO : v1::AGENT_INSTRUCTOR, "",
                      fmt::format("session {} in state '{}': {}", StatusName(final_status),
                                  engine_.current_state(), why)));
  PublishVitalsLocked();
  PublishSnapshotLocked();
  for (UpdateSubscriber* subscriber : subscribers_) subscriber->OnSessionEnded();
  subscribers_.clear();
  if (recorder_) recorder_->Finish(SnapshotLocked());
}

v1::Session Session::SnapshotLocked() const {
  v1::Session session;
  session.set_id(id_);
  session.set_scenario_id(engine_.scenario().id());
  session.set_scenario_title(engine_.scenario().title());
  session.set_status(status_);
  session.set_current_state(engine_.current_state());
  session.set_sim_time_s(engine_.sim_time_s());
  session.set_time_in_state_s(engine_.time_in_state_s());
  session.set_speed(speed_);
  session.set_seed(engine_.seed());
  *session.mutable_patient() = engine_.scenario().patient();
  *session.mutable_vitals() = engine_.Vitals();
  *session.mutable_findings() = engine_.Findings();
  *session.mutable_age_band() = engine_.age_band();
  for (const v1::Participant& participant : participants_)
    *session.add_participants() = participant;
  for (const AttachedDevice& device : devices_) {
    v1::Device* info = session.add_devices();
    *info = device.info;
    if (!device.adapter) continue;
    try {
      info->set_status_detail(device.adapter->StatusDetail());
    } catch (const std::exception& error) {
      info->set_status_detail(std::string("status unavailable: ") + error.what());
    }
  }
  if (!IsFinalLocked()) {
    for (v1::PendingTransition& pending : engine_.PendingTransitions()) {
      *session.add_pending_transitions() = std::move(pending);
    }
  }
  *session.mutable_created_at() = created_at_;
  session.set_event_count(events_.size());
  if (recorder_) session.set_data_path(recorder_->folder().string());
  return session;
}

grpc::Status Session::RequireActiveLocked(const char* what) const {
  if (status_ == v1::SESSION_STATUS_RUNNING || status_ == v1::SESSION_STATUS_PAUSED) {
    return grpc::Status::OK;
  }
  return Precondition(what, status_);
}

bool Session::IsFinalLocked() const {
  return status_ == v1::SESSION_STATUS_STOPPED || status_ == v1::SESSION_STATUS_COMPLETED;
}

}  // namespace pedisim::session
