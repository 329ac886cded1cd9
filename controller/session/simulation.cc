#include "controller/session/simulation.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <set>

#include "controller/session/event_text.h"
#include "core/patient/patient_size.h"
#include "core/scenario/scenario_loader.h"
#include "core/wall_clock.h"

namespace pedisim::session {

namespace {
constexpr double kVitalsPublishIntervalS = 1.0;
}  // namespace

Simulation::Simulation(v1::Scenario scenario, uint64_t seed, std::vector<AttachedDevice> devices,
                       bool waveforms)
    : engine_(std::move(scenario), seed),
      assessor_(engine_.scenario(),
                {engine_.weight_kg(), patient::AgeInYears(engine_.scenario().patient())}),
      fan_out_(std::move(devices), assessor_) {
  if (waveforms) waveforms_.emplace(seed);
  for (int sensor : engine_.scenario().attached_sensors()) {
    attached_sensors_.insert(static_cast<v1::MonitorSensor>(sensor));
  }
}

void Simulation::Begin() {
  engine_.Begin(*this);
  AssessStep();
  PublishVitals();
}

void Simulation::ApplyDeviceObservations() {
  CollectDeviceObservations();
  if (engine_.current_state() != vitals_state_ || engine_.ShownRhythm() != vitals_rhythm_) {
    PublishVitals();
  }
}

void Simulation::Tick() {
  CollectDeviceObservations();
  if (engine_.completed()) return;
  const double step_start_s = engine_.sim_time_s();
  engine_.Step(*this);
  AssessStep();
  if (waveforms_) PublishWaveforms(step_start_s);
  // A new state brings its rhythm and vitals: devices get them in this step
  // (the ECG trace changes in it too), not up to a second later with the
  // periodic numerics; a shock's rhythm change shows at once on the monitor.
  if (engine_.sim_time_s() + 1e-9 >= next_vitals_publish_s_ ||
      engine_.current_state() != vitals_state_ || engine_.ShownRhythm() != vitals_rhythm_) {
    PublishVitals();
  }
}

const v1::Event& Simulation::Record(v1::Event event) {
  const uint64_t id = Emit(std::move(event));
  PublishAssessment();
  return events_[id - 1];
}

uint64_t Simulation::Emit(v1::Event event) {
  // Ids are 1-based positions in the log: assigned here and nowhere else.
  const uint64_t id = events_.size() + 1;
  event.set_id(id);
  *event.mutable_wall_time() = NowTimestamp();
  events_.push_back(std::move(event));
  NoteRoomState(events_.back());
  v1::SessionUpdate update;
  *update.mutable_event() = events_.back();
  Publish(update);
  // What the assessment makes of it (a dose flagged, an action timed)
  // follows it at once, and is itself observed.
  for (v1::Event& consequence : assessor_.Observe(events_[id - 1])) Emit(std::move(consequence));
  return id;
}

void Simulation::NoteRoomState(const v1::Event& event) {
  if (event.kind() == v1::EVENT_KIND_ROOM_DISPLAY_CHANGED) room_display_ = event.room_display();
  if (event.kind() != v1::EVENT_KIND_LEARNER_ACTION || !event.has_action()) return;
  const v1::LearnerAction& action = event.action();
  if (action.sensor() == v1::MONITOR_SENSOR_UNSPECIFIED) return;
  if (action.kind() == v1::ACTION_KIND_SENSOR_ATTACHED) attached_sensors_.insert(action.sensor());
  if (action.kind() == v1::ACTION_KIND_SENSOR_REMOVED) attached_sensors_.erase(action.sensor());
}

void Simulation::PublishAssessment() {
  const double now = engine_.sim_time_s();
  const bool tick = assessor_.Live() && now + 1e-9 >= next_assessment_publish_s_;
  if (!assessor_.TakeChanged() && !tick) return;
  v1::SessionUpdate update;
  *update.mutable_assessment() = assessor_.Current();
  Publish(update);
  next_assessment_publish_s_ = now + kVitalsPublishIntervalS;
}

void Simulation::AssessStep() {
  assessment::StepView view;
  view.sim_time_s = engine_.sim_time_s();
  view.pulse_present = engine_.PulsePresent();
  view.trigger_vitals = [this] { return engine_.TriggerVitals(); };
  for (v1::Event& event : assessor_.Step(view)) Emit(std::move(event));
  PublishAssessment();
}

v1::Event Simulation::ApplyInput(v1::Event input) {
  v1::Event recorded = Record(std::move(input));
  engine_.Apply(recorded, *this);
  PublishAssessment();
  return recorded;
}

v1::Event Simulation::MakeEvent(v1::EventKind kind, v1::Agent agent, const std::string& source,
                                std::string summary) const {
  v1::Event event;
  event.set_sim_time_s(engine_.sim_time_s());
  event.set_kind(kind);
  event.set_agent(agent);
  event.set_source(source);
  event.set_summary(std::move(summary));
  return event;
}

void Simulation::PublishVitals() {
  v1::SessionUpdate update;
  *update.mutable_vitals() = engine_.Sample();
  Publish(update);
  next_vitals_publish_s_ = engine_.sim_time_s() + kVitalsPublishIntervalS;
  vitals_state_ = engine_.current_state();
  vitals_rhythm_ = engine_.ShownRhythm();
}

void Simulation::PublishWaveforms(double start_s) {
  const v1::Vitals vitals = engine_.Vitals();
  const engine::CprTracker& cpr = engine_.cpr();
  const double now = engine_.sim_time_s();
  waveforms::WaveformInputs& inputs = waveform_inputs_;
  inputs.rhythm = vitals.rhythm();
  inputs.heart_rate_bpm = vitals.heart_rate_bpm();
  inputs.pulse_present = engine_.PulsePresent();
  inputs.spo2_pct = vitals.has_spo2_pct() ? vitals.spo2_pct() : 0;
  inputs.respiratory_rate_bpm = vitals.respiratory_rate_bpm();
  inputs.etco2_mmhg = vitals.etco2_mmhg();
  inputs.compressions_active = cpr.Active(now);
  inputs.compression_rate_per_min = cpr.RatePerMin(now);
  inputs.compression_depth_mm = cpr.DepthMm(now);
  chunks_.clear();
  waveforms_->Generate(inputs, start_s, now - start_s, &chunks_);
  for (v1::WaveformChunk& chunk : chunks_) {
    v1::SessionUpdate update;
    *update.mutable_waveform() = std::move(chunk);
    Publish(update);
  }
}

void Simulation::Publish(const v1::SessionUpdate& update) {
  fan_out_.Publish(update, engine_.step());
}

void Simulation::CollectDeviceObservations() {
  for (AttachedDevice& device : devices().all()) {
    for (devices::Observation& observation :
         devices().TakeObservations(device, engine_.sim_time_s())) {
      std::string summary = DescribeAction(observation.action);
      // A silenced alarm says on which device it was silenced: the room may
      // have several monitors, and the debrief reads the summary.
      if (!observation.action.alarm().empty()) summary += " on " + device.info.name();
      v1::Event event = MakeEvent(v1::EVENT_KIND_LEARNER_ACTION, v1::AGENT_LEARNER,
                                  device.info.name(), std::move(summary));
      *event.mutable_action() = std::move(observation.action);
      if (observation.sensed_sim_time_s) {
        event.set_sensed_sim_time_s(*observation.sensed_sim_time_s);
      }
      ApplyInput(std::move(event));
      if (engine_.completed()) return;
    }
  }
}

void Simulation::FillSnapshot(v1::Session* session, bool include_pending) const {
  session->set_scenario_id(engine_.scenario().id());
  session->set_scenario_title(engine_.scenario().title());
  session->set_current_state(engine_.current_state());
  session->set_sim_time_s(engine_.sim_time_s());
  session->set_time_in_state_s(engine_.time_in_state_s());
  session->set_seed(engine_.seed());
  *session->mutable_patient() = engine_.scenario().patient();
  *session->mutable_vitals() = engine_.Vitals();
  *session->mutable_findings() = engine_.Findings();
  *session->mutable_age_band() = engine_.age_band();
  for (v1::Device& device : devices().Listing()) *session->add_devices() = std::move(device);
  if (include_pending) {
    for (v1::PendingTransition& pending : engine_.PendingTransitions()) {
      *session->add_pending_transitions() = std::move(pending);
    }
  }
  session->set_event_count(events_.size());
  for (v1::MonitorSensor sensor : attached_sensors_) session->add_attached_sensors(sensor);
  *session->mutable_room_display() = room_display_;
  *session->mutable_assessment() = assessor_.Current();
  for (std::string& missing : devices().MissingCapabilities(engine_.scenario())) {
    session->add_missing_capabilities(std::move(missing));
  }
}

void Simulation::RecordAttached(const std::string& name, const std::string& how) {
  const AttachedDevice* device = devices().Find(name);
  if (device == nullptr) return;
  const v1::Device& info = device->info;
  Record(MakeEvent(v1::EVENT_KIND_DEVICE_ATTACHED, v1::AGENT_DEVICE, name,
                   fmt::format("device '{}' {} ({} {}{})", name, how,
                               info.identity().manufacturer(), info.identity().model(),
                               info.transport().empty() ? "" : " over " + info.transport())));
}

void Simulation::MarkDisconnected(const std::string& name,
                                  const device_gateway::DeviceChannel* channel,
                                  const std::string& reason) {
  if (!devices().MarkDisconnected(name, channel, reason)) return;
  Record(MakeEvent(v1::EVENT_KIND_DEVICE_DISCONNECTED, v1::AGENT_DEVICE, name,
                   fmt::format("device '{}' disconnected: {}", name, reason)));
}

}  // namespace pedisim::session
