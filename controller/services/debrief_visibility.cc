#include "controller/services/debrief_visibility.h"

#include <algorithm>

#include "controller/assessment/assessment_view.h"

namespace pedisim::services {

namespace {
void ViewAssessment(v1::Assessment* assessment, bool released) {
  if (released) assessment->set_released(true);
  assessment::ToLearnerView(*assessment);
}
}  // namespace

bool IsAssessmentEvent(const v1::Event& event) {
  switch (event.kind()) {
    case v1::EVENT_KIND_ITEM_GRADED:
    case v1::EVENT_KIND_OMISSION:
    case v1::EVENT_KIND_DOSE_FLAGGED:
    case v1::EVENT_KIND_GRADE_OVERRIDDEN:
    case v1::EVENT_KIND_ASSESSMENT_VISIBILITY:
      return true;
    default:
      return event.has_grade() || event.has_dose_check();
  }
}

bool HiddenFromLearner(const v1::Event& event, bool released) {
  // What the scenario waits for, hidden as Session.pending_transitions is.
  if (event.kind() == v1::EVENT_KIND_TRANSITION_SCHEDULED) return true;
  // The odds and the draw behind a shock are the scenario's: learners read
  // the outcome off the monitor's rhythm, as at a real bedside.
  if (event.kind() == v1::EVENT_KIND_SHOCK_OUTCOME) return true;
  // Likewise a drug's modelled effect ("ten times the usual dose") and its
  // toxicity: the monitor shows the consequence, the debrief names it.
  if (event.kind() == v1::EVENT_KIND_DRUG_EFFECT) return true;
  return !released && IsAssessmentEvent(event);
}

void ShowLearner(v1::Session* session) {
  if (session->has_assessment()) {
    ViewAssessment(session->mutable_assessment(), session->assessment().released());
  }
  session->clear_pairing_code();
  session->clear_pending_transitions();
  session->clear_data_path();
}

bool ShowLearner(v1::SessionUpdate* update, bool released) {
  if (update->has_event()) return !HiddenFromLearner(update->event(), released);
  if (update->has_vitals()) update->mutable_vitals()->clear_drug_levels();
  if (update->has_assessment()) ViewAssessment(update->mutable_assessment(), released);
  if (update->has_snapshot()) {
    if (update->snapshot().has_assessment()) {
      ViewAssessment(update->mutable_snapshot()->mutable_assessment(), released);
    }
    update->mutable_snapshot()->clear_pairing_code();
    update->mutable_snapshot()->clear_pending_transitions();
    update->mutable_snapshot()->clear_data_path();
  }
  return true;
}

void ShowLearner(recording::SessionDigest* digest) {
  const bool released = digest->assessment && digest->assessment->released();
  std::erase_if(digest->events,
                [released](const v1::Event& event) { return HiddenFromLearner(event, released); });
  for (v1::VitalsSample& sample : digest->vitals) sample.clear_drug_levels();
  if (digest->assessment) ViewAssessment(&*digest->assessment, released);
  if (digest->final_session.has_assessment()) {
    ViewAssessment(digest->final_session.mutable_assessment(), released);
  }
}

}  // namespace pedisim::services
