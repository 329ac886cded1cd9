#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controller/assessment/assessor.h"
#include "controller/engine/engine.h"
#include "controller/session/update_fan_out.h"
#include "controller/waveforms/waveform_generator.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::session {

// What a session simulates, one step at a time: the engine, the assessment,
// the event log (the one place event ids are assigned) and the updates they
// produce, which leave through the session's UpdateFanOut. It has no
// clock and no lock: a Session paces it against the wall clock behind its
// mutex, and a dry run drives it as fast as it can. Both therefore produce
// the same events and numerics for the same scenario, seed and inputs.
class Simulation : private engine::EventSink {
 public:
  Simulation(v1::Scenario scenario, uint64_t seed, std::vector<AttachedDevice> devices,
             bool waveforms);

  // Enters the initial state and publishes the first numerics.
  void Begin();
  // Collects what devices sensed, advances the engine one step, publishes
  // numerics each simulated second and the step's waveforms.
  void Tick();

  // Records an event (Emit), then publishes the assessment if it changed;
  // the reference is valid until the next event is recorded.
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
  // Sends an update through the fan-out: the simulation's own, and those
  // made outside it (a session snapshot).
  void Publish(const v1::SessionUpdate& update);
  // Where updates go: the record, the devices in the room, the watchers.
  UpdateFanOut& fan_out() { return fan_out_; }
  DeviceRoom& devices() { return fan_out_.devices(); }
  const DeviceRoom& devices() const { return fan_out_.devices(); }

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
  // Adds a device, or puts a reconnecting one back in its place (through
  // devices()); then RecordAttached says so in the log (separately, so a
  // network device's welcome can go out between the two).
  void RecordAttached(const std::string& name, const std::string& how);
  // A network device's link ended (DeviceRoom::MarkDisconnected), recorded.
  void MarkDisconnected(const std::string& name, const device_gateway::DeviceChannel* channel,
                        const std::string& reason);

 private:
  // The one place events are numbered: stamps the next id and the wall
  // time, appends the event to the log, publishes it, and records what the
  // assessment makes of it right after it. The engine emits through it too
  // (engine::EventSink), so an event's id is known the moment it happens.
  uint64_t Emit(v1::Event event) override;
  // Keeps attached_sensors_ and room_display_ up to date with a recorded
  // event.
  void NoteRoomState(const v1::Event& event);
  // Publishes the assessment when it changed (or, while something counts
  // down, each second).
  void PublishAssessment();
  void AssessStep();
  void CollectDeviceObservations();
  void PublishWaveforms(double start_s);

  engine::Engine engine_;
  assessment::Assessor assessor_;
  double next_assessment_publish_s_ = 0;
  UpdateFanOut fan_out_;
  std::optional<waveforms::WaveformGenerator> waveforms_;
  std::vector<v1::Event> events_;
  // Session.attached_sensors: the scenario's, then as learners attach and
  // remove them (NoteRoomState).
  std::set<v1::MonitorSensor> attached_sensors_;
  // Session.room_display: the last EVENT_KIND_ROOM_DISPLAY_CHANGED's.
  v1::RoomDisplay room_display_;
  double next_vitals_publish_s_ = 0;
  // The state the last numerics sample was published in: a new state
  // (reached in a step, or by an action applied between steps) publishes
  // its numerics at the next step rather than up to a second later.
  std::string vitals_state_;
  // The rhythm last published: a handler's rhythm for a while (adenosine's
  // pause) shows at once, as a state's does.
  v1::Rhythm vitals_rhythm_ = v1::RHYTHM_UNSPECIFIED;
  std::vector<v1::WaveformChunk> chunks_;  // reused each step
  waveforms::WaveformInputs waveform_inputs_;
};

}  // namespace pedisim::session
