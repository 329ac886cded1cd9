#include "controller/session/stored_session.h"

#include "controller/engine/engine.h"

namespace pedisim::session {

v1::Session StoredSession(const recording::RecordSummary& summary,
                          const std::filesystem::path& record) {
  v1::Session session;
  if (summary.ended) {
    session = summary.final_session;
  } else {
    const v1::RecordHeader& header = summary.header;
    session.set_id(header.session_id());
    session.set_scenario_id(header.scenario().id());
    session.set_scenario_title(header.scenario().title());
    // Interrupted, not ended: it waits, paused, for an instructor to
    // resume it (SessionService.Resume restores it).
    session.set_status(summary.started ? v1::SESSION_STATUS_PAUSED : v1::SESSION_STATUS_CREATED);
    session.set_current_state(summary.last_state);
    session.set_sim_time_s(static_cast<double>(summary.last_step) * engine::Engine::kStepS);
    session.set_speed(header.speed());
    session.set_seed(header.seed());
    *session.mutable_patient() = header.patient();
    *session.mutable_participants() = header.participants();
    *session.mutable_created_at() = header.created_at();
    session.set_end_reason(kInterruptedWithoutEnd);
  }
  // Grades changed during the debrief come after the end.
  if (summary.last_assessment) *session.mutable_assessment() = *summary.last_assessment;
  session.set_data_path(record.parent_path().string());
  session.clear_pairing_code();
  return session;
}

v1::Session ListedSession(const v1::Recording& recording) {
  v1::Session session;
  session.set_id(recording.session_id());
  session.set_scenario_id(recording.scenario_id());
  session.set_scenario_title(recording.scenario_title());
  // For an interrupted session the catalog has PAUSED or CREATED.
  session.set_status(recording.final_status());
  if (recording.status() == v1::RECORDING_STATUS_INTERRUPTED) {
    session.set_end_reason(kInterruptedWithoutEnd);
  }
  session.set_current_state(recording.outcome());
  session.set_sim_time_s(recording.duration_s());
  *session.mutable_participants() = recording.participants();
  *session.mutable_created_at() = recording.created_at();
  return session;
}

}  // namespace pedisim::session
