#include "model/session_model.h"

#include <algorithm>

namespace pedisim::dashboard {
namespace {

// Revision and generation packed into the view's one counter.
uint64_t ViewStamp(uint64_t generation, uint64_t revision) { return (generation << 40) | revision; }

}  // namespace

SessionModel::SessionModel() = default;

void SessionModel::Apply(const v1::SessionUpdate& update) {
  std::lock_guard lock(mutex_);
  switch (update.update_case()) {
    case v1::SessionUpdate::kSnapshot:
      ApplySnapshotLocked(update.snapshot());
      break;
    case v1::SessionUpdate::kVitals:
      state_.vitals = update.vitals();
      state_.has_vitals = true;
      AdvanceTimeLocked(update.vitals().sim_time_s());
      break;
    case v1::SessionUpdate::kEvent:
      ApplyEventLocked(update.event());
      break;
    case v1::SessionUpdate::kWaveform: {
      const v1::WaveformChunk& chunk = update.waveform();
      const int index = static_cast<int>(chunk.kind()) - 1;
      if (index < 0 || index >= kTraceCount) return;
      state_.traces[index].Append(
          chunk.start_sim_time_s(), chunk.sample_rate_hz(),
          {chunk.samples().data(), static_cast<size_t>(chunk.samples_size())});
      AdvanceTimeLocked(state_.traces[index].latest_time_s());
      return;  // waveforms are copied every frame; no revision bump
    }
    case v1::SessionUpdate::kAssessment:
      state_.assessment = update.assessment();
      state_.has_assessment = true;
      *state_.session.mutable_assessment() = update.assessment();
      break;
    default:
      return;
  }
  ++revision_;
}

void SessionModel::ApplySnapshotLocked(const v1::Session& session) {
  state_.session = session;
  state_.has_session = true;
  // A snapshot older than a state entry already seen (a Get answered before
  // the stream's event arrived) must not take the state back.
  const double entered = session.sim_time_s() - session.time_in_state_s();
  if (state_.current_state.empty() || entered >= state_.state_entered_s) {
    state_.current_state = session.current_state();
    state_.state_entered_s = entered;
  }
  // An ended session's stream carries no numerics: show the snapshot's.
  if (session.has_vitals() && !state_.has_vitals) {
    *state_.vitals.mutable_vitals() = session.vitals();
    state_.vitals.set_sim_time_s(session.sim_time_s());
    state_.has_vitals = true;
  }
  if (session.has_assessment() && !state_.has_assessment) {
    state_.assessment = session.assessment();
    state_.has_assessment = true;
  }
  AdvanceTimeLocked(session.sim_time_s());
}

void SessionModel::ApplyEventLocked(const v1::Event& event) {
  if (!state_.events.empty() && event.id() <= state_.events.back().id()) return;  // seen already
  state_.events.push_back(event);
  if (event.kind() == v1::EVENT_KIND_STATE_ENTERED && event.has_state_change()) {
    state_.current_state = event.state_change().to_state();
    state_.state_entered_s = event.sim_time_s();
  }
  if (event.kind() == v1::EVENT_KIND_SPEED_CHANGED && event.has_speed()) {
    state_.session.set_speed(event.speed());
  }
  AdvanceTimeLocked(event.sim_time_s());
}

void SessionModel::AdvanceTimeLocked(double sim_time_s) {
  state_.sim_time_s = std::max(state_.sim_time_s, sim_time_s);
}

void SessionModel::ApplySession(const v1::Session& session) {
  std::lock_guard lock(mutex_);
  ApplySnapshotLocked(session);
  ++revision_;
}

void SessionModel::SetStream(StreamState state, std::string detail) {
  std::lock_guard lock(mutex_);
  state_.stream = state;
  state_.stream_detail = std::move(detail);
  ++revision_;
}

void SessionModel::SetScenario(std::shared_ptr<const v1::Scenario> scenario) {
  std::lock_guard lock(mutex_);
  state_.scenario = std::move(scenario);
  ++revision_;
}

std::string SessionModel::scenario_id() const {
  std::lock_guard lock(mutex_);
  return state_.session.scenario_id();
}

bool SessionModel::has_scenario() const {
  std::lock_guard lock(mutex_);
  return state_.scenario != nullptr;
}

void SessionModel::Clear() {
  std::lock_guard lock(mutex_);
  std::array<double, kTraceCount> windows;
  for (int i = 0; i < kTraceCount; ++i) windows[i] = state_.traces[i].window_s();
  const StreamState stream = state_.stream;
  auto scenario = std::move(state_.scenario);
  state_ = SessionView();
  state_.stream = stream;
  state_.scenario = std::move(scenario);
  for (int i = 0; i < kTraceCount; ++i) state_.traces[i].SetWindow(windows[i]);
  ++generation_;
  ++revision_;
}

void SessionModel::SetTraceWindows(const std::array<double, kTraceCount>& window_s) {
  std::lock_guard lock(mutex_);
  for (int i = 0; i < kTraceCount; ++i) state_.traces[i].SetWindow(window_s[i]);
}

uint64_t SessionModel::last_event_id() const {
  std::lock_guard lock(mutex_);
  return state_.events.empty() ? 0 : state_.events.back().id();
}

void SessionModel::CopyInto(SessionView& view) const {
  std::lock_guard lock(mutex_);
  view.traces = state_.traces;
  view.sim_time_s = state_.sim_time_s;
  const uint64_t stamp = ViewStamp(generation_, revision_);
  if (view.copied_revision == stamp) return;
  const bool same_generation = (view.copied_revision >> 40) == generation_;
  std::vector<v1::Event> events = std::move(view.events);
  if (!same_generation || events.size() > state_.events.size()) events.clear();
  events.insert(events.end(), state_.events.begin() + static_cast<long>(events.size()),
                state_.events.end());
  view.scenario = state_.scenario;
  view.has_session = state_.has_session;
  view.session = state_.session;
  view.current_state = state_.current_state;
  view.state_entered_s = state_.state_entered_s;
  view.has_vitals = state_.has_vitals;
  view.vitals = state_.vitals;
  view.has_assessment = state_.has_assessment;
  view.assessment = state_.assessment;
  view.stream = state_.stream;
  view.stream_detail = state_.stream_detail;
  view.events = std::move(events);
  view.copied_revision = stamp;
}

}  // namespace pedisim::dashboard
