#include "controller/session/session.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "controller/assessment/assessment_view.h"
#include "controller/device_gateway/network_device.h"
#include "controller/services/debrief_visibility.h"
#include "controller/session/event_text.h"
#include "core/dosing/drug_names.h"
#include "core/scenario/diagnostic_results.h"
#include "core/text/words.h"
#include "core/wall_clock.h"

namespace pedisim::session {

namespace {

grpc::Status Precondition(const std::string& what, v1::SessionStatus status) {
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                      fmt::format("cannot {} a session that is {}", what, StatusName(status)));
}

}  // namespace

Session::Session(SessionSetup setup)
    : id_(std::move(setup.id)),
      pairing_code_(std::move(setup.pairing_code)),
      participants_(std::move(setup.participants)),
      created_at_(NowTimestamp()),
      // A resumed session's record holds its history already: it is
      // re-run without it (RestoreLocked).
      recorder_(setup.restore ? nullptr : std::move(setup.recorder)),
      // A fork's devices join after the re-run, which they must not take
      // part in (a device's input is in the history already).
      simulation_(
          std::move(setup.scenario), setup.seed,
          setup.origin || setup.restore ? std::vector<AttachedDevice>() : std::move(setup.devices),
          /*waveforms=*/true),
      speed_(setup.speed),
      on_ended_(std::move(setup.on_ended)),
      limits_(setup.limits) {
  std::lock_guard lock(mu_);
  simulation_.fan_out().SetRecorder(recorder_.get());
  if (setup.restore) {
    RestoreLocked(setup);
    pacer_ = std::thread([this] { RunPacer(); });
    return;
  }
  if (setup.origin) {
    ReplayHistoryLocked(setup.history, *setup.origin);
    // The room as it was: the original's virtual devices and adapters.
    AttachAgainLocked(setup.devices, "attached again for the fork");
    FlushRecordLocked();
    pacer_ = std::thread([this] { RunPacer(); });
    return;
  }
  RecordLocked(v1::EVENT_KIND_SESSION_CREATED, v1::AGENT_INSTRUCTOR, "",
               "session created from scenario '" + simulation_.engine().scenario().id() + "'");
  for (const v1::Device& device : simulation_.devices().Listing()) {
    simulation_.RecordAttached(device.name(), "attached");
  }
  FlushRecordLocked();
  {
    std::lock_guard bell(observation_bell_->mu);
    observation_bell_->session = this;
  }
  pacer_ = std::thread([this] { RunPacer(); });
}

Session::~Session() {
  {
    // No channel's hook reaches this session from now on.
    std::lock_guard bell(observation_bell_->mu);
    observation_bell_->session = nullptr;
  }
  {
    std::lock_guard lock(mu_);
    if (!IsFinalLocked()) EndLocked(v1::SESSION_STATUS_STOPPED, "controller shutting down");
    closing_ = true;
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
  RecordLocked(v1::EVENT_KIND_SESSION_STARTED, v1::AGENT_INSTRUCTOR, "",
               fmt::format("session started at {:g}x", speed_));
  simulation_.Begin();
  PublishSnapshotLocked();
  if (simulation_.engine().completed()) {
    EndLocked(v1::SESSION_STATUS_COMPLETED, "initial state is terminal");
  }
  FlushRecordLocked();
  wake_.notify_all();
  return grpc::Status::OK;
}

grpc::Status Session::Pause() {
  std::lock_guard lock(mu_);
  if (status_ != v1::SESSION_STATUS_RUNNING) return Precondition("pause", status_);
  status_ = v1::SESSION_STATUS_PAUSED;
  RecordLocked(v1::EVENT_KIND_SESSION_PAUSED, v1::AGENT_INSTRUCTOR, "", "session paused");
  PublishSnapshotLocked();
  FlushRecordLocked();
  wake_.notify_all();
  return grpc::Status::OK;
}

bool Session::PauseBySystem(const std::string& why) {
  std::lock_guard lock(mu_);
  if (status_ != v1::SESSION_STATUS_RUNNING) return false;
  status_ = v1::SESSION_STATUS_PAUSED;
  spdlog::warn("session {}: paused by the system: {}", id_, why);
  RecordLocked(v1::EVENT_KIND_SESSION_PAUSED, v1::AGENT_SYSTEM, "", why);
  PublishSnapshotLocked();
  FlushRecordLocked();
  wake_.notify_all();
  return true;
}

grpc::Status Session::Resume() {
  std::lock_guard lock(mu_);
  if (status_ != v1::SESSION_STATUS_PAUSED) return Precondition("resume", status_);
  status_ = v1::SESSION_STATUS_RUNNING;
  anchor_wall_ = Clock::now();
  steps_since_anchor_ = 0;
  RecordLocked(v1::EVENT_KIND_SESSION_RESUMED, v1::AGENT_INSTRUCTOR, "", "session resumed");
  PublishSnapshotLocked();
  FlushRecordLocked();
  wake_.notify_all();
  return grpc::Status::OK;
}

grpc::Status Session::Stop() {
  std::lock_guard lock(mu_);
  if (IsFinalLocked()) return Precondition("stop", status_);
  EndLocked(v1::SESSION_STATUS_STOPPED, "stopped by instructor");
  FlushRecordLocked();
  wake_.notify_all();
  return grpc::Status::OK;
}

grpc::Status Session::Interrupt(const std::string& why) {
  std::lock_guard lock(mu_);
  if (IsFinalLocked()) return Precondition("interrupt", status_);
  // Paused, not ended: no end is recorded and the grades stay open, so the
  // class can be resumed where it was.
  if (status_ == v1::SESSION_STATUS_RUNNING) status_ = v1::SESSION_STATUS_PAUSED;
  interrupted_ = true;
  end_reason_ = "interrupted: " + why;
  RecordLocked(v1::EVENT_KIND_SESSION_PAUSED, v1::AGENT_SYSTEM, "",
               "session interrupted: " + why + "; paused where it was");
  PublishSnapshotLocked();
  simulation_.fan_out().EndWatchers();
  FlushRecordLocked();
  if (on_ended_) on_ended_(SnapshotLocked());
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
  v1::Event event = simulation_.MakeEvent(v1::EVENT_KIND_SPEED_CHANGED, v1::AGENT_INSTRUCTOR, "",
                                          fmt::format("speed set to {:g}x", speed));
  event.set_speed(speed);
  simulation_.Record(std::move(event));
  PublishSnapshotLocked();
  FlushRecordLocked();
  wake_.notify_all();
  return grpc::Status::OK;
}

grpc::Status Session::SetRoomDisplay(const v1::RoomDisplay& display,
                                     const std::string& instructor) {
  std::lock_guard lock(mu_);
  if (IsFinalLocked()) return Precondition("change the room display of", status_);
  std::string what;
  switch (display.screen()) {
    case v1::ROOM_SCREEN_BLANK:
      what = "blank";
      break;
    case v1::ROOM_SCREEN_FROZEN:
      what = "frozen";
      break;
    default:
      what = "live";
      break;
  }
  if (display.hidden_vitals_size() > 0) {
    what += fmt::format(", hiding {}", fmt::join(display.hidden_vitals(), ", "));
  }
  for (const v1::VitalRange& range : display.alarm_limits()) {
    what += fmt::format(", {} alarms {:g}-{:g}", range.vital(), range.low(), range.high());
  }
  if (display.has_volume_pct()) what += fmt::format(", volume {} %", display.volume_pct());
  if (display.has_wave_rows()) what += fmt::format(", {} waveform rows", display.wave_rows());
  v1::Event event = simulation_.MakeEvent(v1::EVENT_KIND_ROOM_DISPLAY_CHANGED, v1::AGENT_INSTRUCTOR,
                                          instructor, "room monitors: " + what);
  *event.mutable_room_display() = display;
  simulation_.Record(std::move(event));
  PublishSnapshotLocked();
  FlushRecordLocked();
  return grpc::Status::OK;
}

grpc::Status Session::GoToState(const std::string& state, const std::string& reason,
                                const std::string& source, v1::Event* recorded) {
  std::lock_guard lock(mu_);
  if (grpc::Status status = RequireActiveLocked("change the state of"); !status.ok()) return status;
  const engine::Engine& engine = simulation_.engine();
  if (!engine.HasState(state)) {
    std::string known;
    for (const v1::State& candidate : engine.scenario().states()) {
      known += (known.empty() ? "" : ", ") + candidate.name();
    }
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        fmt::format("state: '{}' is not a state of scenario '{}' (states: {})",
                                    state, engine.scenario().id(), known));
  }
  std::string summary = fmt::format("instructor moved the scenario to '{}'", state);
  if (!reason.empty()) summary += ": " + reason;
  v1::Event event =
      simulation_.MakeEvent(v1::EVENT_KIND_STATE_ENTERED, v1::AGENT_INSTRUCTOR, source, summary);
  event.mutable_state_change()->set_from_state(engine.current_state());
  event.mutable_state_change()->set_to_state(state);
  *recorded = simulation_.ApplyInput(std::move(event));
  if (engine.completed()) EndLocked(v1::SESSION_STATUS_COMPLETED, "terminal state reached");
  FlushRecordLocked();
  return grpc::Status::OK;
}

grpc::Status Session::OverrideVitals(const v1::OverrideVitalsRequest& request,
                                     const std::string& author, const std::string& source,
                                     v1::Event* recorded) {
  std::lock_guard lock(mu_);
  if (grpc::Status status = RequireActiveLocked("override vitals of"); !status.ok()) return status;
  const bool holds_any = request.vitals().ByteSizeLong() > 0;
  std::string summary = DescribeOverride(request);
  if (!request.reason().empty()) summary += ": " + request.reason();
  // Two instructors on one vital: a release of a colleague's hold is
  // allowed (instructors may) but recorded with whose hold it was.
  std::map<std::string, std::string> released_from;
  for (const std::string& name : request.release()) {
    if (const auto held = vital_holders_.find(name);
        held != vital_holders_.end() && held->second != author) {
      released_from[name] = held->second;
      summary += fmt::format(" (releasing {}'s hold on {})", held->second, name);
    }
  }
  v1::Event event = simulation_.MakeEvent(
      holds_any ? v1::EVENT_KIND_VITALS_OVERRIDDEN : v1::EVENT_KIND_VITALS_RELEASED,
      v1::AGENT_INSTRUCTOR, source,
      fmt::format("instructor override by {}: {}", author.empty() ? "an instructor" : author,
                  summary));
  v1::VitalsOverride* change = event.mutable_vitals_override();
  *change->mutable_vitals() = request.vitals();
  change->set_trend_duration_s(request.trend_duration_s());
  change->mutable_released()->CopyFrom(request.release());
  change->set_author(author);
  change->mutable_released_from()->insert(released_from.begin(), released_from.end());
  *recorded = simulation_.ApplyInput(std::move(event));
  const std::map<std::string, std::string> holders_before = vital_holders_;
  NoteHoldersLocked(recorded->vitals_override());
  simulation_.PublishVitals();
  // Watchers see who holds what (Session.vital_holders) at once; a snapshot
  // only when that changed, since one costs the whole session (an
  // instructor nudging a held heart rate again changes no holder).
  if (vital_holders_ != holders_before) PublishSnapshotLocked();
  FlushRecordLocked();
  return grpc::Status::OK;
}

void Session::NoteHoldersLocked(const v1::VitalsOverride& change) {
  for (const std::string& name : change.released()) vital_holders_.erase(name);
  std::vector<const google::protobuf::FieldDescriptor*> held;
  change.vitals().GetReflection()->ListFields(change.vitals(), &held);
  for (const google::protobuf::FieldDescriptor* field : held) {
    vital_holders_[field->name()] = change.author();
  }
}

grpc::Status Session::LogAction(const v1::LearnerAction& action, v1::Agent agent,
                                const std::string& source, v1::Event* recorded) {
  std::lock_guard lock(mu_);
  if (grpc::Status status = RequireActiveLocked("log actions in"); !status.ok()) return status;
  // A misspelt drug would be recorded as given and only the report would
  // say "unknown drug": refused while whoever typed it can still fix it.
  if (action.kind() == v1::ACTION_KIND_DRUG) {
    if (!known_drugs_) known_drugs_ = dosing::KnownDrugNames(simulation_.engine().scenario());
    if (grpc::Status status = dosing::CheckDrugName(*known_drugs_, action.drug(), "action.drug");
        !status.ok()) {
      return status;
    }
  }
  v1::Event event =
      simulation_.MakeEvent(v1::EVENT_KIND_LEARNER_ACTION, agent, source, DescribeAction(action));
  *event.mutable_action() = action;
  *recorded = simulation_.ApplyInput(std::move(event));
  if (simulation_.engine().completed()) {
    EndLocked(v1::SESSION_STATUS_COMPLETED, "terminal state reached");
  }
  FlushRecordLocked();
  return grpc::Status::OK;
}

grpc::Status Session::AddBookmark(const std::string& label, const std::string& note,
                                  const std::string& category, const std::string& source,
                                  v1::Event* recorded) {
  std::lock_guard lock(mu_);
  // A finished session's record is closed; annotating recordings after the
  // fact belongs to the debrief service.
  if (status_ == v1::SESSION_STATUS_CREATED || IsFinalLocked()) {
    return Precondition("bookmark", status_);
  }
  v1::Event event = simulation_.MakeEvent(v1::EVENT_KIND_BOOKMARK, v1::AGENT_INSTRUCTOR, source,
                                          "bookmark: " + label);
  event.mutable_bookmark()->set_label(label);
  event.mutable_bookmark()->set_note(note);
  event.mutable_bookmark()->set_category(category);
  *recorded = simulation_.Record(std::move(event));
  FlushRecordLocked();
  return grpc::Status::OK;
}

grpc::Status Session::ReleaseDiagnosticResult(const std::string& test,
                                              const std::string& instructor, v1::Event* recorded) {
  std::lock_guard lock(mu_);
  if (grpc::Status status = RequireActiveLocked("release a result in"); !status.ok()) {
    return status;
  }
  const engine::Engine& engine = simulation_.engine();
  const v1::DiagnosticResult* result =
      scenario::ResultFor(engine.scenario(), test, engine.current_state());
  if (result == nullptr) {
    return grpc::Status(
        grpc::StatusCode::INVALID_ARGUMENT,
        fmt::format("diagnostic: scenario '{}' defines no result for '{}' in state '{}'",
                    engine.scenario().id(), test, engine.current_state()));
  }
  // The latest order of the test: a result answers an order.
  const auto& events = simulation_.events();
  const auto order = std::find_if(events.rbegin(), events.rend(), [&](const v1::Event& event) {
    return event.kind() == v1::EVENT_KIND_LEARNER_ACTION &&
           text::SameWord(scenario::OrderedTest(event.action()), test);
  });
  if (order == events.rend()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        fmt::format("diagnostic: '{}' has not been ordered in this session", test));
  }
  v1::ReleasedDiagnosticResult released;
  released.set_diagnostic(result->diagnostic());
  released.set_state(engine.current_state());
  released.set_text(result->text());
  *released.mutable_values() = result->values();
  released.set_ordered_event_id(order->id());
  released.set_released_by(instructor);
  v1::Event event = simulation_.MakeEvent(v1::EVENT_KIND_DIAGNOSTIC_RESULT_RELEASED,
                                          v1::AGENT_INSTRUCTOR, "", DescribeResult(released));
  event.set_cause_event_id(order->id());
  *event.mutable_diagnostic_result() = std::move(released);
  *recorded = simulation_.Record(std::move(event));
  FlushRecordLocked();
  return grpc::Status::OK;
}

bool Session::IsFinal() const {
  std::lock_guard lock(mu_);
  return IsFinalLocked();
}

bool Session::IsInterrupted() const {
  std::lock_guard lock(mu_);
  return interrupted_;
}

grpc::Status Session::AttachNetworkDevice(const v1::DeviceHello& hello,
                                          std::shared_ptr<device_gateway::DeviceChannel> channel,
                                          uint32_t heartbeat_interval_ms, bool instructor_view) {
  std::lock_guard lock(mu_);
  if (IsFinalLocked()) {
    return grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        fmt::format("session {} is {}; devices cannot join it", id_, StatusName(status_)));
  }
  std::string how = "joined";
  if (AttachedDevice* existing = simulation_.devices().Find(hello.name())) {
    // A network device's place is free once it is disconnected; while it is
    // connected only the same device (same non-empty serial) may take it
    // over, so a clone cannot push the live one out.
    const bool network_slot = existing->info.adapter() == "network";
    const bool same_device = !hello.identity().serial().empty() &&
                             existing->info.identity().serial() == hello.identity().serial();
    if (!network_slot || (existing->adapter && !same_device)) {
      return grpc::Status(grpc::StatusCode::ALREADY_EXISTS,
                          fmt::format("hello.name: '{}' belongs to another device in session {}",
                                      hello.name(), id_));
    }
    // The same device again: its old link may not have noticed yet that it
    // is gone (a pulled cable takes three heartbeats to show), or its end
    // may not have reached us yet. Either way the log says it ended before
    // it says the device is back, so every join has its departure.
    if (const std::shared_ptr<device_gateway::DeviceChannel> old = existing->channel) {
      old->Close(grpc::Status(grpc::StatusCode::ABORTED,
                              "replaced by a new connection of the same device"));
      const grpc::Status why = old->close_status().value_or(grpc::Status::OK);
      simulation_.MarkDisconnected(hello.name(), old.get(),
                                   why.ok() ? "the device signed off" : why.error_message());
    }
    how = "reconnected";
  } else if (limits_ != nullptr &&
             simulation_.devices().size() >= limits_->settings().max_devices_per_session) {
    limits_->Hit(limits::Limit::kDevicesPerSession);
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        fmt::format("hello.name: session {} has its maximum of {} devices "
                                    "(--max-devices-per-session)",
                                    id_, limits_->settings().max_devices_per_session));
  }
  AttachedDevice device;
  device.info.set_name(hello.name());
  device.info.set_adapter("network");
  *device.info.mutable_identity() = hello.identity();
  *device.info.mutable_capabilities() = hello.capabilities();
  device.info.set_status(v1::DEVICE_STATUS_CONNECTED);
  device.channel = channel;
  device.instructor_view = instructor_view;
  device.adapter = std::make_unique<device_gateway::NetworkDevice>(
      hello, channel, status_ == v1::SESSION_STATUS_RUNNING, speed_);
  device.adapter->FillLinkStatus(&device.info);
  simulation_.devices().Attach(std::move(device));
  channel->SetObservationHook([bell = observation_bell_] {
    std::lock_guard lock(bell->mu);
    if (bell->session == nullptr) return;
    bell->session->observations_arrived_ = true;
    bell->session->wake_.notify_all();
  });

  // The welcome goes first; the attach event and everything after follow it
  // through the adapter, so the device misses nothing and sees nothing twice.
  v1::ControllerMessage welcome;
  v1::DeviceWelcome& body = *welcome.mutable_welcome();
  body.set_session_id(id_);
  body.set_device_name(hello.name());
  *body.mutable_snapshot() = SnapshotLocked();
  body.mutable_snapshot()->clear_devices();  // see DeviceWelcome.snapshot
  if (!instructor_view) services::ShowLearner(body.mutable_snapshot());
  *body.mutable_missing_capabilities() = body.snapshot().missing_capabilities();
  body.set_heartbeat_interval_ms(heartbeat_interval_ms);
  channel->Push(std::move(welcome));
  simulation_.RecordAttached(hello.name(), how);
  if (recorder_) recorder_->MaybeFlush();
  return grpc::Status::OK;
}

void Session::NetworkDeviceGone(const std::string& name,
                                const device_gateway::DeviceChannel* channel,
                                const std::string& reason) {
  std::lock_guard lock(mu_);
  // After the end the log is closed; the devices' links end with it.
  if (IsFinalLocked()) return;
  simulation_.MarkDisconnected(name, channel, reason);
}

v1::Session Session::Snapshot() const {
  std::lock_guard lock(mu_);
  return SnapshotLocked();
}

grpc::Status Session::AnnotateRecord(const v1::Annotation& annotation) {
  std::lock_guard lock(mu_);
  if (!IsFinalLocked()) return Precondition("annotate the record of", status_);
  if (!recorder_) return grpc::Status(grpc::StatusCode::NOT_FOUND, "session_id: not recorded");
  const auto step =
      static_cast<uint64_t>(std::llround(annotation.sim_time_s() / engine::Engine::kStepS));
  if (!recorder_->AppendAnnotation(annotation, step)) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        "the annotation could not be written: " + recorder_->error());
  }
  return grpc::Status::OK;
}

v1::Assessment Session::Grades(bool learner_view) const {
  std::lock_guard lock(mu_);
  const v1::Assessment& current = simulation_.assessor().Current();
  return learner_view ? assessment::LearnerView(current) : current;
}

grpc::Status Session::ChangeGrades(const GradeChange& change, v1::Event* recorded) {
  std::lock_guard lock(mu_);
  // Grades exist once the clock has started; before, there is nothing to judge.
  if (!change.needs_started.empty() && status_ == v1::SESSION_STATUS_CREATED) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "cannot " + change.needs_started + " before the session has started");
  }
  assessment::Change made = change.make(simulation_.assessor());
  switch (made.refusal) {
    case assessment::Change::Refusal::kNotFound:
      return grpc::Status(grpc::StatusCode::NOT_FOUND, made.message);
    case assessment::Change::Refusal::kInvalid:
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, made.message);
    case assessment::Change::Refusal::kNone:
      break;
  }
  *recorded = simulation_.Record(std::move(made.event));
  FlushRecordLocked();
  return grpc::Status::OK;
}

void Session::Subscribe(UpdateSubscriber* subscriber, std::optional<uint64_t> after_event_id) {
  std::lock_guard lock(mu_);
  v1::SessionUpdate first;
  *first.mutable_snapshot() = SnapshotLocked();
  subscriber->OnUpdate(first);
  if (after_event_id) {
    // Event ids are 1-based positions in the session's event list.
    const std::vector<v1::Event>& past = simulation_.events();
    for (size_t i = std::min<uint64_t>(*after_event_id, past.size()); i < past.size(); ++i) {
      v1::SessionUpdate replayed;
      *replayed.mutable_event() = past[i];
      subscriber->OnUpdate(replayed);
    }
  }
  if (IsFinalLocked()) {
    subscriber->OnSessionEnded();
    return;
  }
  simulation_.fan_out().AddWatcher(subscriber);
}

void Session::Unsubscribe(UpdateSubscriber* subscriber) {
  std::lock_guard lock(mu_);
  simulation_.fan_out().RemoveWatcher(subscriber);
}

grpc::Status Session::CheckEventId(uint64_t event_id, const std::string& field) const {
  std::lock_guard lock(mu_);
  // Event ids are 1-based positions in the event list; 0 means "from the
  // start". An id the session has not reached is a client's mistake, as in
  // DebriefService.Replay.
  const uint64_t last = simulation_.events().size();
  if (event_id <= last) return grpc::Status::OK;
  return grpc::Status(
      grpc::StatusCode::INVALID_ARGUMENT,
      fmt::format("{}: the session has no event {} (its last is {})", field, event_id, last));
}

grpc::Status Session::ReserveWatcher() {
  std::lock_guard lock(mu_);
  if (limits_ != nullptr && watchers_ >= limits_->settings().max_watchers_per_session) {
    limits_->Hit(limits::Limit::kWatchersPerSession);
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        fmt::format("session_id: session {} has its maximum of {} Watch streams "
                                    "(--max-watchers-per-session)",
                                    id_, limits_->settings().max_watchers_per_session));
  }
  ++watchers_;
  return grpc::Status::OK;
}

void Session::ReleaseWatcher() {
  std::lock_guard lock(mu_);
  if (watchers_ > 0) --watchers_;
}

void Session::RunPacer() {
  std::unique_lock lock(mu_);
  while (!closing_) {
    if (IsFinalLocked()) {
      // Ended: nothing to pace, but what waits behind a failed write (a
      // full disk) is tried again each second until it is written. Then
      // the thread ends: a controller that runs for months must not keep
      // one per session it ever ran.
      if (!recorder_ || !recorder_->HasWaiting()) return;
      wake_.wait_for(lock, recording::SessionRecorder::kFlushInterval);
      FlushRecordLocked();
      // There is room again and the record is whole: the catalog hears of
      // the end again, so that its row ends correct without a restart.
      if (!recorder_->HasWaiting() && on_ended_) on_ended_(SnapshotLocked());
      continue;
    }
    if (status_ != v1::SESSION_STATUS_RUNNING) {
      // Paused: what devices add (joins, departures) still reaches the
      // disk within a second.
      wake_.wait_for(lock, recording::SessionRecorder::kFlushInterval);
      if (recorder_) recorder_->MaybeFlush();
      NoteRecordingErrorLocked();
      continue;
    }
    const auto step_wall = std::chrono::duration<double>(engine::Engine::kStepS / speed_);
    const Clock::time_point due =
        anchor_wall_ + std::chrono::duration_cast<Clock::duration>(
                           step_wall * static_cast<double>(steps_since_anchor_ + 1));
    if (observations_arrived_.exchange(false)) {
      ApplyDeviceObservationsLocked();
      continue;
    }
    // Woken early (pause, speed, stop, an observation): loop to re-read the
    // status and pace.
    if (wake_.wait_until(lock, due) == std::cv_status::no_timeout) continue;
    if (const Clock::duration late = Clock::now() - due; late > kMaxPacingGap) {
      PauseForStallLocked(late);
      continue;
    }
    TickLocked();
    ++steps_since_anchor_;
  }
}

void Session::PauseForStallLocked(Clock::duration stalled) {
  // The host froze (suspended, swapping, a stopped VM): catching up would
  // fast-forward the patient through what no one saw. The stall counts as
  // a pause, recorded, and pacing starts again from now.
  const double seconds = std::chrono::duration<double>(stalled).count();
  spdlog::warn("session {}: the host stalled for {:.1f} s; treated as a pause", id_, seconds);
  RecordLocked(v1::EVENT_KIND_SESSION_PAUSED, v1::AGENT_SYSTEM, "",
               fmt::format("the controller's host stalled for {:.1f} s: paused for the stall, "
                           "the patient did not fast-forward",
                           seconds));
  RecordLocked(v1::EVENT_KIND_SESSION_RESUMED, v1::AGENT_SYSTEM, "",
               "session resumed after the stall");
  anchor_wall_ = Clock::now();
  steps_since_anchor_ = 0;
  FlushRecordLocked();
}

void Session::ApplyDeviceObservationsLocked() {
  simulation_.ApplyDeviceObservations();
  if (simulation_.engine().completed()) {
    EndLocked(v1::SESSION_STATUS_COMPLETED, "terminal state reached");
  }
  FlushRecordLocked();
}

void Session::TickLocked() {
  simulation_.Tick();
  const uint64_t step = simulation_.engine().step();
  if (recorder_ && step != last_recorded_step_) {
    last_recorded_step_ = step;
    recorder_->OnStepEnd(step, simulation_.waveform_inputs(), simulation_.waveform_generator(),
                         [this] { return SnapshotLocked(); });
    recorder_->MaybeFlush();
    NoteRecordingErrorLocked();
  }
  if (simulation_.engine().completed()) {
    EndLocked(v1::SESSION_STATUS_COMPLETED, "terminal state reached");
  }
}

void Session::RerunLocked(const std::vector<v1::Event>& history, uint64_t to_step) {
  status_ = v1::SESSION_STATUS_RUNNING;
  for (const v1::Event& event : history) {
    const auto step =
        static_cast<uint64_t>(std::llround(event.sim_time_s() / engine::Engine::kStepS));
    while (simulation_.engine().step() < step && !simulation_.engine().completed()) TickLocked();
    ReapplyLocked(event);
  }
  while (simulation_.engine().step() < to_step && !simulation_.engine().completed()) TickLocked();
}

void Session::RestoreLocked(SessionSetup& setup) {
  const bool started = std::any_of(setup.history.begin(), setup.history.end(), [](const auto& e) {
    return e.kind() == v1::EVENT_KIND_SESSION_STARTED;
  });
  RerunLocked(setup.history, started ? setup.restore_to_step : 0);
  if (simulation_.engine().completed() || simulation_.events().size() != setup.history.size()) {
    throw std::runtime_error(fmt::format(
        "re-running session {} did not arrive where its record ends ({} events instead of {}); "
        "was it recorded by another engine?",
        id_, simulation_.events().size(), setup.history.size()));
  }
  status_ = started ? v1::SESSION_STATUS_PAUSED : v1::SESSION_STATUS_CREATED;
  recorder_ = std::move(setup.recorder);
  simulation_.fan_out().SetRecorder(recorder_.get());
  last_recorded_step_ = simulation_.engine().step();
  RecordLocked(v1::EVENT_KIND_SESSION_PAUSED, v1::AGENT_SYSTEM, "",
               "session resumed after the controller stopped: re-run to the last entry of its "
               "record; paused");
  // The room as it was: its virtual devices and adapters.
  AttachAgainLocked(setup.devices, "attached again after the controller stopped");
  PublishSnapshotLocked();
  FlushRecordLocked();
}

void Session::AttachAgainLocked(std::vector<AttachedDevice>& devices, const std::string& how) {
  const double now_s = simulation_.engine().sim_time_s();
  for (AttachedDevice& device : devices) {
    // What a scripted device (a manikin playing a learner script) would
    // report up to now is in the history already: it starts from here.
    if (device.adapter) (void)device.adapter->TakeObservations(now_s);
    const std::string name = device.info.name();
    simulation_.devices().Attach(std::move(device));
    simulation_.RecordAttached(name, how);
  }
}

void Session::ReplayHistoryLocked(const std::vector<v1::Event>& history,
                                  const v1::ForkOrigin& origin) {
  RerunLocked(history, 0);
  const std::vector<v1::Event>& rerun = simulation_.events();
  if (rerun.size() != origin.bookmark_event_id() || !rerun.back().has_bookmark() ||
      rerun.back().bookmark().label() != origin.bookmark_label()) {
    throw std::runtime_error(fmt::format(
        "re-running session {} did not arrive at its bookmark {} ({} events instead); was it "
        "recorded by another engine?",
        origin.session_id(), origin.bookmark_event_id(), rerun.size()));
  }
  status_ = v1::SESSION_STATUS_PAUSED;
  v1::Event forked =
      simulation_.MakeEvent(v1::EVENT_KIND_SESSION_FORKED, v1::AGENT_INSTRUCTOR, "",
                            fmt::format("forked from session {} at bookmark '{}'; paused",
                                        origin.session_id(), origin.bookmark_label()));
  simulation_.Record(std::move(forked));
  PublishSnapshotLocked();
}

void Session::ReapplyLocked(const v1::Event& event) {
  switch (event.kind()) {
    case v1::EVENT_KIND_SESSION_STARTED:
      simulation_.Record(event);
      simulation_.Begin();
      return;
    case v1::EVENT_KIND_LEARNER_ACTION:
      simulation_.ApplyInput(event);
      return;
    case v1::EVENT_KIND_VITALS_OVERRIDDEN:
    case v1::EVENT_KIND_VITALS_RELEASED:
      if (event.agent() != v1::AGENT_INSTRUCTOR) return;  // the engine's own release
      simulation_.ApplyInput(event);
      NoteHoldersLocked(event.vitals_override());
      simulation_.PublishVitals();
      return;
    case v1::EVENT_KIND_STATE_ENTERED:
      if (event.agent() == v1::AGENT_INSTRUCTOR) simulation_.ApplyInput(event);
      return;
    case v1::EVENT_KIND_SPEED_CHANGED:
      speed_ = event.speed();
      simulation_.Record(event);
      return;
    case v1::EVENT_KIND_SESSION_CREATED:
    case v1::EVENT_KIND_SESSION_PAUSED:
    case v1::EVENT_KIND_SESSION_RESUMED:
    case v1::EVENT_KIND_BOOKMARK:
    case v1::EVENT_KIND_DEVICE_ATTACHED:
    case v1::EVENT_KIND_DEVICE_DISCONNECTED:
    case v1::EVENT_KIND_SESSION_FORKED:
    case v1::EVENT_KIND_ROOM_DISPLAY_CHANGED:
    // Resolved when released (the state's result then) and kept as it was.
    case v1::EVENT_KIND_DIAGNOSTIC_RESULT_RELEASED:
      simulation_.Record(event);
      return;
    case v1::EVENT_KIND_GRADE_OVERRIDDEN:
    case v1::EVENT_KIND_ASSESSMENT_VISIBILITY: {
      assessment::Change change = simulation_.assessor().Reapply(event);
      if (change.refusal == assessment::Change::Refusal::kNone) {
        simulation_.Record(std::move(change.event));
      }
      return;
    }
    default:
      return;  // a consequence: the re-run makes it again
  }
}

void Session::PublishSnapshotLocked() {
  v1::SessionUpdate update;
  *update.mutable_snapshot() = SnapshotLocked();
  // Through the fan-out, so that the record and devices get snapshots as
  // watchers do.
  simulation_.Publish(update);
}

void Session::RecordLocked(v1::EventKind kind, v1::Agent agent, const std::string& source,
                           std::string summary) {
  simulation_.Record(simulation_.MakeEvent(kind, agent, source, std::move(summary)));
}

void Session::EndLocked(v1::SessionStatus final_status, const std::string& why) {
  status_ = final_status;
  end_reason_ = why;
  const bool completed = final_status == v1::SESSION_STATUS_COMPLETED;
  RecordLocked(completed ? v1::EVENT_KIND_SESSION_COMPLETED : v1::EVENT_KIND_SESSION_STOPPED,
               completed ? v1::AGENT_SCENARIO : v1::AGENT_INSTRUCTOR, "",
               fmt::format("session {} in state '{}': {}", StatusName(final_status),
                           simulation_.engine().current_state(), why));
  simulation_.PublishVitals();
  PublishSnapshotLocked();
  simulation_.fan_out().EndWatchers();
  const v1::Session final_session = SnapshotLocked();
  if (recorder_) recorder_->Finish(final_session, simulation_.engine().step());
  if (on_ended_) on_ended_(final_session);
}

v1::Session Session::SnapshotLocked() const {
  v1::Session session;
  session.set_id(id_);
  session.set_status(status_);
  session.set_speed(speed_);
  simulation_.FillSnapshot(&session, /*include_pending=*/!IsFinalLocked());
  for (const v1::Participant& participant : participants_)
    *session.add_participants() = participant;
  *session.mutable_created_at() = created_at_;
  if (recorder_) {
    session.set_data_path(recorder_->folder().string());
    session.set_recording_error(recorder_->error());
  }
  if (!IsFinalLocked()) session.set_pairing_code(pairing_code_);
  session.set_end_reason(end_reason_);
  // Only the holds still in force: the scenario may have released some.
  for (const std::string& name : simulation_.engine().Overridden()) {
    if (const auto held = vital_holders_.find(name); held != vital_holders_.end()) {
      (*session.mutable_vital_holders())[name] = held->second;
    }
  }
  return session;
}

grpc::Status Session::RequireActiveLocked(const char* what) const {
  if (status_ == v1::SESSION_STATUS_RUNNING || status_ == v1::SESSION_STATUS_PAUSED) {
    return grpc::Status::OK;
  }
  return Precondition(what, status_);
}

void Session::FlushRecordLocked() {
  if (!recorder_) return;
  recorder_->Flush();
  NoteRecordingErrorLocked();
  // The pacer retries what is left, also after the end.
  if (recorder_->HasWaiting()) wake_.notify_all();
}

void Session::NoteRecordingErrorLocked() {
  // Watchers hear at once when recording fails and when it works again.
  if (recorder_->error() == recording_error_) return;
  recording_error_ = recorder_->error();
  if (!IsFinalLocked()) PublishSnapshotLocked();
}

bool Session::IsFinalLocked() const {
  return interrupted_ || status_ == v1::SESSION_STATUS_STOPPED ||
         status_ == v1::SESSION_STATUS_COMPLETED;
}

}  // namespace pedisim::session
