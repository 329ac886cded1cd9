#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controller/assessment/assessor.h"
#include "controller/device_gateway/device_channel.h"
#include "controller/engine/engine.h"
#include "controller/waveforms/waveform_generator.h"
#include "devices/adapter.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::session {

struct AttachedDevice {
  v1::Device info;
  std::unique_ptr<devices::DeviceAdapter> adapter;
  // For a device that joined over the network: its link, which tells one
  // connection of a device from the next one under the same name.
  std::shared_ptr<device_gateway::DeviceChannel> channel;
  // Cached DeviceAdapter::WantsCprSamples and WantsDeviceEvents.
  bool wants_cpr_samples = false;
  bool wants_device_events = false;
  // Devices see the session as a learner does (services::ShowLearner),
  // unless its account is staff and its hello asked for the instructor's
  // view (DeviceHello.instructor_view).
  bool instructor_view = false;
};

// What a session simulates, one step at a time: the engine, the attached
// devices, the event log and the stream of updates they produce. It has no
// clock and no lock: a Session paces it against the wall clock behind its
// mutex, and a dry run drives it as fast as it can. Both therefore produce
// the same events and numerics for the same scenario, seed and inputs.
class Simulation {
 public:
  using Outlet = std::function<void(const v1::SessionUpdate&)>;

  Simulation(v1::Scenario scenario, uint64_t seed, std::vector<AttachedDevice> devices,
             bool waveforms, Outlet outlet);

  // Enters the initial state and publishes the first numerics.
  void Begin();
  // Collects what devices sensed, advances the engine one step, publishes
  // numerics each simulated second and the step's waveforms.
  void Tick();

  // Numbers, stamps, records and publishes an event, then records what the
  // assessment makes of it; the reference is valid until the next event is
  // recorded.
  const v1::Event& Record(v1::Event event);
  // Records an input (action, override, instructor state change), lets the
  // engine react and records the consequences after it.
  v1::Event ApplyInput(v1::Event input);
  v1::Event MakeEvent(v1::EventKind kind, v1::Agent agent, const std::string& source,
                      std::string summary) const;
  // What the devices observed since the last step, applied now (between
  // steps); a state it brings publishes its numerics at once.
  void ApplyDeviceObservations();
  void PublishVitals();
  // Sends an update made outside the simulation (a session snapshot) to the
  // outlet and every device, like the simulation's own.
  void Broadcast(const v1::SessionUpdate& update) { Publish(update); }

  // Fills what the simulation knows of a Session snapshot: scenario, state,
  // clock, patient, vitals, findings, devices, what may fire next.
  void FillSnapshot(v1::Session* session, bool include_pending) const;

  const engine::Engine& engine() const { return engine_; }
  // The waveform generator (absent without waveforms) and what it was given
  // for the last step: what a record needs to regenerate the waveforms.
  const waveforms::WaveformGenerator* waveform_generator() const {
    return waveforms_ ? &*waveforms_ : nullptr;
  }
  const waveforms::WaveformInputs& waveform_inputs() const { return waveform_inputs_; }
  // The session's grades; changes it accepts are recorded with Record.
  assessment::Assessor& assessor() { return assessor_; }
  const assessment::Assessor& assessor() const { return assessor_; }
  const std::vector<v1::Event>& events() const { return events_; }
  // The devices as Session.devices lists them.
  std::vector<v1::Device> Devices() const;
  // The device called `name`, connected or not.
  AttachedDevice* FindDevice(const std::string& name);
  const AttachedDevice* FindDevice(const std::string& name) const;
  // Adds a device, or puts a reconnecting one back in its place; then
  // RecordAttached says so in the log (separately, so a network device's
  // welcome can go out between the two).
  void AttachDevice(AttachedDevice device);
  size_t DeviceCount() const { return devices_.size(); }
  void RecordAttached(const std::string& name, const std::string& how);
  // A network device's link ended: its slot stays, disconnected, for a
  // reconnect. Nothing happens if `channel` is no longer the device's link
  // (it reconnected meanwhile).
  void MarkDisconnected(const std::string& name, const device_gateway::DeviceChannel* channel,
                        const std::string& reason);
  // Required capabilities of the scenario that no connected device provides.
  std::vector<std::string> MissingCapabilities() const;

 private:
  void RecordAll(std::vector<v1::Event> events);
  // Record without the assessment's consequences, which wait in
  // assessment_events_: the engine numbers a batch of events in advance, so
  // nothing may come between them.
  const v1::Event& RecordOne(v1::Event event);
  // Keeps attached_sensors_ and room_display_ up to date with a recorded
  // event.
  void NoteSensors(const v1::Event& event);
  // Records the assessment's waiting events and publishes the assessment
  // when it changed (or, while something counts down, each second).
  void FlushAssessment();
  void AssessStep();
  void Publish(const v1::SessionUpdate& update);
  void CollectDeviceObservations();
  void PublishWaveforms(double start_s);
  void Detach(AttachedDevice& device, const std::exception& error);
  void CountCprSampleDevices();

  engine::Engine engine_;
  assessment::Assessor assessor_;
  std::vector<v1::Event> assessment_events_;
  double next_assessment_publish_s_ = 0;
  std::vector<AttachedDevice> devices_;
  // Devices that want CPR sample events; with none, a sample's event costs
  // nothing per device (a thousand manikins at 60 Hz must not be N squared).
  size_t cpr_sample_devices_ = 0;
  std::optional<waveforms::WaveformGenerator> waveforms_;
  Outlet outlet_;
  std::vector<v1::Event> events_;
  // Session.attached_sensors: the scenario's, then as learners attach and
  // remove them (NoteSensors).
  std::set<v1::MonitorSensor> attached_sensors_;
  // Session.room_display: the last EVENT_KIND_ROOM_DISPLAY_CHANGED's.
  v1::RoomDisplay room_display_;
  double next_vitals_publish_s_ = 0;
  // The state the last numerics sample was published in: a new state
  // (reached in a step, or by an action applied between steps) publishes
  // its numerics at the next step rather than up to a second later.
  std::string vitals_state_;
  std::vector<v1::WaveformChunk> chunks_;  // reused each step
  waveforms::WaveformInputs waveform_inputs_;
};

}  // namespace pedisim::session
