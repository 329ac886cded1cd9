#include "controller/session/simulation.h"

#include <fmt/format.h>
#include <google/protobuf/util/time_util.h>
#include <spdlog/spdlog.h>

#include <optional>
#include <set>

#include "controller/services/debrief_visibility.h"
#include "controller/session/event_text.h"
#include "core/patient/patient_size.h"
#include "core/scenario/scenario_loader.h"
#include "core/wall_clock.h"

namespace pedisim::session {

namespace {
constexpr double kVitalsPublishIntervalS = 1.0;
}  // namespace

Simulation::Simulation(v1::Scenario scenario, uint64_t seed, std::vector<AttachedDevice> devices,
                       bool waveforms, Outlet outlet)
    : engine_(std::move(scenario), seed),
      assessor_(engine_.scenario(),
                {engine_.weight_kg(), patient::AgeInYears(engine_.scenario().patient())}),
      devices_(std::move(devices)),
      outlet_(std::move(outlet)) {
  if (waveforms) waveforms_.emplace(seed);
  CountCprSampleDevices();
  for (int sensor : engine_.scenario().attached_sensors()) {
    attached_sensors_.insert(static_cast<v1::MonitorSensor>(sensor));
  }
}

void Simulation::Begin() {
  RecordAll(engine_.Begin(events_.size() + 1));
  AssessStep();
  PublishVitals();
}

void Simulation::ApplyDeviceObservations() {
  CollectDeviceObservations();
  if (engine_.current_state() != vitals_state_) PublishVitals();
}

void Simulation::Tick() {
  CollectDeviceObservations();
  if (engine_.completed()) return;
  const double step_start_s = engine_.sim_time_s();
  RecordAll(engine_.Step(events_.size() + 1));
  AssessStep();
  if (waveforms_) PublishWaveforms(step_start_s);
  // A new state brings its rhythm and vitals: devices get them in this step
  // (the ECG trace changes in it too), not up to a second later with the
  // periodic numerics; a shock's rhythm change shows at once on the monitor.
  if (engine_.sim_time_s() + 1e-9 >= next_vitals_publish_s_ ||
      engine_.current_state() != vitals_state_) {
    PublishVitals();
  }
}

const v1::Event& Simulation::Record(v1::Event event) {
  const size_t index = events_.size();
  RecordOne(std::move(event));
  FlushAssessment();
  return events_[index];
}

const v1::Event& Simulation::RecordOne(v1::Event event) {
  event.set_id(events_.size() + 1);
  *event.mutable_wall_time() = NowTimestamp();
  events_.push_back(std::move(event));
  NoteSensors(events_.back());
  v1::SessionUpdate update;
  *update.mutable_event() = events_.back();
  Publish(update);
  for (v1::Event& consequence : assessor_.Observe(events_.back())) {
    assessment_events_.push_back(std::move(consequence));
  }
  return events_.back();
}

void Simulation::NoteSensors(const v1::Event& event) {
  if (event.kind() == v1::EVENT_KIND_ROOM_DISPLAY_CHANGED) room_display_ = event.room_display();
  if (event.kind() != v1::EVENT_KIND_LEARNER_ACTION || !event.has_action()) return;
  const v1::LearnerAction& action = event.action();
  if (action.sensor() == v1::MONITOR_SENSOR_UNSPECIFIED) return;
  if (action.kind() == v1::ACTION_KIND_SENSOR_ATTACHED) attached_sensors_.insert(action.sensor());
  if (action.kind() == v1::ACTION_KIND_SENSOR_REMOVED) attached_sensors_.erase(action.sensor());
}

void Simulation::FlushAssessment() {
  // Recording one may bring more (an omission's own evidence brings none
  // today, but the loop does not rely on it).
  while (!assessment_events_.empty()) {
    std::vector<v1::Event> waiting = std::move(assessment_events_);
    assessment_events_.clear();
    for (v1::Event& event : waiting) RecordOne(std::move(event));
  }
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
  for (v1::Event& event : assessor_.Step(view)) assessment_events_.push_back(std::move(event));
  FlushAssessment();
}

v1::Event Simulation::ApplyInput(v1::Event input) {
  v1::Event recorded = Record(std::move(input));
  RecordAll(engine_.Apply(recorded, events_.size() + 1));
  return recorded;
}

void Simulation::RecordAll(std::vector<v1::Event> events) {
  for (v1::Event& event : events) RecordOne(std::move(event));
  FlushAssessment();
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

namespace {
bool IsCprSample(const v1::SessionUpdate& update) {
  if (!update.has_event() || !update.event().has_action()) return false;
  const v1::ActionKind kind = update.event().action().kind();
  return kind == v1::ACTION_KIND_CHEST_COMPRESSION || kind == v1::ACTION_KIND_VENTILATION;
}
bool IsDeviceEvent(const v1::SessionUpdate& update) {
  return update.has_event() && (update.event().kind() == v1::EVENT_KIND_DEVICE_ATTACHED ||
                                update.event().kind() == v1::EVENT_KIND_DEVICE_DISCONNECTED);
}
}  // namespace

void Simulation::Publish(const v1::SessionUpdate& update) {
  outlet_(update);
  const bool cpr_sample = IsCprSample(update);
  if (cpr_sample && cpr_sample_devices_ == 0) return;
  const bool device_event = IsDeviceEvent(update);
  // Devices get snapshots without the device list (see DeviceAdapter::OnUpdate).
  std::optional<v1::SessionUpdate> without_devices;
  if (update.has_snapshot() && update.snapshot().devices_size() > 0) {
    without_devices = update;
    without_devices->mutable_snapshot()->clear_devices();
  }
  const v1::SessionUpdate& for_devices = without_devices ? *without_devices : update;
  // The learners' view, made once per update for every device that gets it
  // (the same function as a learner's Watch, so no path shows more).
  // Waveforms, numerics and CPR samples carry nothing to hide: no copy on
  // the hot path.
  const bool nothing_to_hide = update.has_waveform() || update.has_vitals() || cpr_sample;
  std::optional<v1::SessionUpdate> learner_view;
  bool learner_may_see = true;
  for (AttachedDevice& device : devices_) {
    if (!device.adapter || (cpr_sample && !device.wants_cpr_samples)) continue;
    if (device_event && !device.wants_device_events &&
        update.event().source() != device.info.name()) {
      continue;
    }
    const v1::SessionUpdate* shown = &for_devices;
    if (!device.instructor_view && !nothing_to_hide) {
      if (!learner_view) {
        learner_view = for_devices;
        learner_may_see = services::ShowLearner(&*learner_view, assessor_.released());
      }
      if (!learner_may_see) continue;
      shown = &*learner_view;
    }
    try {
      device.adapter->OnUpdate(*shown);
    } catch (const std::exception& error) {
      Detach(device, error);
    }
  }
}

void Simulation::CollectDeviceObservations() {
  for (AttachedDevice& device : devices_) {
    if (!device.adapter) continue;
    std::vector<devices::Observation> observed;
    try {
      observed = device.adapter->TakeObservations(engine_.sim_time_s());
    } catch (const std::exception& error) {
      Detach(device, error);
      continue;
    }
    for (devices::Observation& observation : observed) {
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

void Simulation::Detach(AttachedDevice& device, const std::exception& error) {
  // A misbehaving device is cut off; the session goes on without it.
  spdlog::warn("device '{}' failed and was detached: {}", device.info.name(), error.what());
  device.info.set_status(v1::DEVICE_STATUS_FAULT);
  device.info.set_status_detail(std::string("detached after error: ") + error.what());
  device.adapter.reset();
  if (device.channel) {
    device.channel->Close(grpc::Status(grpc::StatusCode::INTERNAL,
                                       std::string("detached after error: ") + error.what()));
    device.channel.reset();
  }
  CountCprSampleDevices();
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
  for (v1::Device& device : Devices()) *session->add_devices() = std::move(device);
  if (include_pending) {
    for (v1::PendingTransition& pending : engine_.PendingTransitions()) {
      *session->add_pending_transitions() = std::move(pending);
    }
  }
  session->set_event_count(events_.size());
  for (v1::MonitorSensor sensor : attached_sensors_) session->add_attached_sensors(sensor);
  *session->mutable_room_display() = room_display_;
  *session->mutable_assessment() = assessor_.Current();
  for (std::string& missing : MissingCapabilities()) {
    session->add_missing_capabilities(std::move(missing));
  }
}

std::vector<std::string> Simulation::MissingCapabilities() const {
  std::set<std::string> provided;
  for (const AttachedDevice& device : devices_) {
    if (!device.adapter) continue;
    const v1::DeviceCapabilities& capabilities = device.info.capabilities();
    provided.insert(capabilities.renders_vitals().begin(), capabilities.renders_vitals().end());
    provided.insert(capabilities.senses_actions().begin(), capabilities.senses_actions().end());
    provided.insert(capabilities.renders_findings().begin(), capabilities.renders_findings().end());
    provided.insert(capabilities.senses_measures().begin(), capabilities.senses_measures().end());
    for (int kind : capabilities.renders_waveforms()) {
      provided.insert(v1::WaveformKind_Name(static_cast<v1::WaveformKind>(kind)));
    }
  }
  std::vector<std::string> missing;
  for (const std::string& required : engine_.scenario().required_capabilities()) {
    if (!provided.contains(required)) missing.push_back(required);
  }
  return missing;
}

const AttachedDevice* Simulation::FindDevice(const std::string& name) const {
  for (const AttachedDevice& device : devices_) {
    if (device.info.name() == name) return &device;
  }
  return nullptr;
}

AttachedDevice* Simulation::FindDevice(const std::string& name) {
  for (AttachedDevice& device : devices_) {
    if (device.info.name() == name) return &device;
  }
  return nullptr;
}

void Simulation::AttachDevice(AttachedDevice device) {
  if (AttachedDevice* existing = FindDevice(device.info.name())) {
    *existing = std::move(device);
  } else {
    devices_.push_back(std::move(device));
  }
  CountCprSampleDevices();
}

void Simulation::CountCprSampleDevices() {
  cpr_sample_devices_ = 0;
  for (AttachedDevice& device : devices_) {
    device.wants_cpr_samples = device.adapter && device.adapter->WantsCprSamples();
    device.wants_device_events = device.adapter && device.adapter->WantsDeviceEvents();
    if (device.wants_cpr_samples) ++cpr_sample_devices_;
  }
}

void Simulation::RecordAttached(const std::string& name, const std::string& how) {
  const AttachedDevice* device = FindDevice(name);
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
  AttachedDevice* device = FindDevice(name);
  if (device == nullptr || device->channel.get() != channel || !device->adapter) return;
  // Keep the last link figures in the listing; they tell when it was last seen.
  device->adapter->FillLinkStatus(&device->info);
  device->info.set_status(v1::DEVICE_STATUS_DISCONNECTED);
  device->info.set_status_detail("disconnected: " + reason);
  device->adapter.reset();
  device->channel.reset();
  CountCprSampleDevices();
  Record(MakeEvent(v1::EVENT_KIND_DEVICE_DISCONNECTED, v1::AGENT_DEVICE, name,
                   fmt::format("device '{}' disconnected: {}", name, reason)));
}

std::vector<v1::Device> Simulation::Devices() const {
  std::vector<v1::Device> listed;
  for (const AttachedDevice& device : devices_) {
    v1::Device& info = listed.emplace_back(device.info);
    if (!device.adapter) continue;
    try {
      device.adapter->FillLinkStatus(&info);
      info.set_status(device.adapter->Health());
      info.set_status_detail(device.adapter->StatusDetail());
    } catch (const std::exception& error) {
      info.set_status_detail(std::string("status unavailable: ") + error.what());
    }
  }
  return listed;
}

}  // namespace pedisim::session
