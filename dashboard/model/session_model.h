// What the dashboard knows about one session, filled by a gRPC thread from
// a Watch (or debrief Replay) stream and read by the UI thread once per
// frame: the UI copies what changed under a short lock and never waits on
// the network.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "model/sweep_buffer.h"
#include "pedisim/v1/scenario.pb.h"
#include "pedisim/v1/session_service.pb.h"

namespace pedisim::dashboard {

// The four monitor traces, in WaveformKind order less one.
enum class Trace { kEcg = 0, kPleth = 1, kCapnogram = 2, kRespiration = 3 };
inline constexpr int kTraceCount = 4;

enum class StreamState {
  kIdle,        // no session chosen
  kConnecting,  // asking for the stream, or waiting to reconnect
  kLive,        // receiving
  kEnded,       // the session or the replay ended
};

// One frame's copy of the model.
struct SessionView {
  bool has_session = false;
  v1::Session session;
  // The scenario as the controller serves it (states and transitions for the
  // graph, the drug table for dose checks); null until fetched.
  std::shared_ptr<const v1::Scenario> scenario;
  // Kept current from STATE_ENTERED events between snapshots.
  std::string current_state;
  double state_entered_s = 0;
  double sim_time_s = 0;
  bool has_vitals = false;
  v1::VitalsSample vitals;
  bool has_assessment = false;
  v1::Assessment assessment;
  std::array<SweepBuffer, kTraceCount> traces;
  // Every event so far, in id order.
  std::vector<v1::Event> events;
  StreamState stream = StreamState::kIdle;
  std::string stream_detail;

  double time_in_state_s() const { return sim_time_s - state_entered_s; }
  // True while the latest snapshot's pending transitions belong to the
  // current state (a state entered since then has not been polled yet).
  bool pending_current() const { return session.current_state() == current_state; }

  // Internal: what CopyInto already copied.
  uint64_t copied_revision = 0;
};

class SessionModel {
 public:
  SessionModel();

  void Apply(const v1::SessionUpdate& update);
  // A session from a unary Get: refreshes time in state and pending
  // transitions between the stream's snapshots.
  void ApplySession(const v1::Session& session);
  void SetStream(StreamState state, std::string detail = {});
  void SetScenario(std::shared_ptr<const v1::Scenario> scenario);
  // The id of the session's scenario once a snapshot named it, else empty.
  std::string scenario_id() const;
  bool has_scenario() const;
  // Forgets everything (a new session, or a replay seeking back).
  void Clear();
  // Trace widths in seconds, from the monitor's layout; clears the traces
  // whose width changed.
  void SetTraceWindows(const std::array<double, kTraceCount>& window_s);

  uint64_t last_event_id() const;
  // Copies into `view` what changed since it was last copied.
  void CopyInto(SessionView& view) const;

 private:
  void ApplySnapshotLocked(const v1::Session& session);
  void ApplyEventLocked(const v1::Event& event);
  void AdvanceTimeLocked(double sim_time_s);

  mutable std::mutex mutex_;
  SessionView state_;
  // Bumped on every change but waveforms (copied every frame anyway).
  uint64_t revision_ = 1;
  // Bumped by Clear so that a view drops its copied events.
  uint64_t generation_ = 1;
};

}  // namespace pedisim::dashboard
