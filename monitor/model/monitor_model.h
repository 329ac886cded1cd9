#pragma once

// What the room's monitor knows about the session, filled by the link's
// thread from the device protocol (welcome snapshot, updates, heartbeats)
// and copied by the UI thread once per frame under a short lock: the UI
// never waits on the network.

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <string>

#include "model/sweep_buffer.h"
#include "monitor/model/pulse_detector.h"
#include "pedisim/v1/device_service.pb.h"

namespace pedisim::monitor {

using Clock = std::chrono::steady_clock;

// The monitor's waveform rows, in WaveformKind order less one.
enum class Wave { kEcg = 0, kPleth = 1, kCapnogram = 2, kRespiration = 3 };
inline constexpr int kWaveCount = 4;

// The sensor a waveform row needs.
v1::MonitorSensor SensorOf(Wave wave);

enum class LinkState {
  kConnecting,  // never joined yet, or trying again
  kLive,        // joined, and heard from within kNoDataAfter
  kNoData,      // joined once, but nothing heard for kNoDataAfter (or the link dropped)
};

// Silence after which the screen says NO DATA rather than show a patient
// who may have changed: the controller sends a heartbeat every second
// (--device-heartbeat-ms), so two missed ones are enough, and the issue
// asks for under 3 s.
inline constexpr std::chrono::milliseconds kNoDataAfter{2000};

struct MonitorView {
  LinkState link = LinkState::kConnecting;
  std::string link_detail;
  bool joined = false;
  std::string session_id;
  std::string device_name;
  v1::Session session;  // the latest snapshot (learners' view)
  bool has_vitals = false;
  v1::VitalsSample vitals;
  std::set<v1::MonitorSensor> attached;
  std::array<dashboard::SweepBuffer, kWaveCount> waves;
  // Simulated seconds of the latest numerics or waveform.
  double sim_time_s = 0;
  bool session_running = false;
  bool session_ended = false;
  // Pulses found in the pleth so far (one pulse tone each).
  uint64_t pulses = 0;
  // R waves found in the ECG so far, and the simulated times of the latest
  // (the defibrillator's sync markers).
  uint64_t r_waves = 0;
  std::deque<double> r_wave_times_s;
  // The latest chest compression the manikin sensed (CPR feedback), and
  // when (simulated seconds); count = compressions so far.
  v1::CompressionSample compression;
  double compression_at_s = -1;
  uint64_t compressions = 0;
  uint64_t revision = 0;

  bool Attached(v1::MonitorSensor sensor) const { return attached.contains(sensor); }
};

class MonitorModel {
 public:
  // The link's side.
  void Joined(const v1::DeviceWelcome& welcome);
  void Apply(const v1::SessionUpdate& update);
  // Anything from the controller, heartbeats included: it is alive.
  void Heard();
  // The link dropped, or cannot be made (`why`).
  void LinkDown(const std::string& why);

  // The UI's side: copies what changed since the last call into `view`
  // (waveforms only when they changed) and works out the link state.
  void CopyInto(MonitorView& view, Clock::time_point now);

  // Trace widths in seconds, from the layout; clears a trace whose width changed.
  void SetWaveWindows(const std::array<double, kWaveCount>& window_s);

 private:
  void ApplyLocked(const v1::SessionUpdate& update);

  mutable std::mutex mu_;
  MonitorView state_;
  PulseDetector pulse_detector_;
  PulseDetector r_wave_detector_;
  bool link_up_ = false;
  Clock::time_point last_heard_{};
};

}  // namespace pedisim::monitor
