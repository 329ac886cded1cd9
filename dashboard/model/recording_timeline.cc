#include "model/recording_timeline.h"

#include <algorithm>

namespace pedisim::dashboard {
namespace {

// Events worth a tick on the timeline: what the team and the instructor
// did, what the scenario did, and how it was graded.
bool IsMarker(const v1::Event& event) {
  switch (event.kind()) {
    case v1::EVENT_KIND_LEARNER_ACTION:
      return event.action().kind() != v1::ACTION_KIND_CHEST_COMPRESSION &&
             event.action().kind() != v1::ACTION_KIND_VENTILATION;
    case v1::EVENT_KIND_STATE_ENTERED:
    case v1::EVENT_KIND_VITALS_OVERRIDDEN:
    case v1::EVENT_KIND_VITALS_RELEASED:
    case v1::EVENT_KIND_BOOKMARK:
    case v1::EVENT_KIND_DIAGNOSTIC_RESULT_RELEASED:
    case v1::EVENT_KIND_OMISSION:
    case v1::EVENT_KIND_DOSE_FLAGGED:
      return true;
    // A drug's toxic effect beginning (pharmacology): the harm the debrief
    // is about; the dose itself is the learner action's marker.
    case v1::EVENT_KIND_DRUG_EFFECT:
      return !event.drug_effect().toxicity().empty() && !event.drug_effect().ended();
    default:
      return false;
  }
}

}  // namespace

void RecordingTimeline::EnterState(const std::string& state, double sim_time_s) {
  if (!bands_.empty() && bands_.back().state == state) return;
  if (!bands_.empty()) bands_.back().to_s = sim_time_s;
  bands_.push_back({state, sim_time_s, sim_time_s});
}

void RecordingTimeline::Add(const v1::SessionUpdate& update) {
  switch (update.update_case()) {
    case v1::SessionUpdate::kSnapshot:
      if (bands_.empty() && !update.snapshot().current_state().empty()) {
        EnterState(update.snapshot().current_state(),
                   update.snapshot().sim_time_s() - update.snapshot().time_in_state_s());
      }
      duration_s_ = std::max(duration_s_, update.snapshot().sim_time_s());
      break;
    case v1::SessionUpdate::kVitals:
      trend_.push_back({update.vitals().sim_time_s(), update.vitals().vitals()});
      duration_s_ = std::max(duration_s_, update.vitals().sim_time_s());
      break;
    case v1::SessionUpdate::kEvent: {
      const v1::Event& event = update.event();
      if (!events_.empty() && event.id() <= events_.back().id()) break;
      events_.push_back(event);
      if (event.kind() == v1::EVENT_KIND_STATE_ENTERED) {
        EnterState(event.state_change().to_state(), event.sim_time_s());
      }
      if (IsMarker(event)) {
        markers_.push_back({event.sim_time_s(), event.id(), event.kind() == v1::EVENT_KIND_BOOKMARK,
                            event.kind() == v1::EVENT_KIND_BOOKMARK && event.has_bookmark()
                                ? event.bookmark().label()
                                : event.summary()});
      }
      duration_s_ = std::max(duration_s_, event.sim_time_s());
      break;
    }
    case v1::SessionUpdate::kAssessment:
      assessment_ = update.assessment();
      has_assessment_ = true;
      break;
    default:
      break;
  }
}

void RecordingTimeline::Finish(double duration_s) {
  duration_s_ = std::max(duration_s_, duration_s);
  if (!bands_.empty()) bands_.back().to_s = duration_s_;
}

double RecordingTimeline::NextMarker(double sim_time_s, bool bookmarks_only) const {
  for (const Marker& marker : markers_) {
    if (marker.sim_time_s > sim_time_s + 0.05 && (marker.bookmark || !bookmarks_only)) {
      return marker.sim_time_s;
    }
  }
  return sim_time_s;
}

double RecordingTimeline::PreviousMarker(double sim_time_s, bool bookmarks_only) const {
  for (auto marker = markers_.rbegin(); marker != markers_.rend(); ++marker) {
    if (marker->sim_time_s < sim_time_s - 0.05 && (marker->bookmark || !bookmarks_only)) {
      return marker->sim_time_s;
    }
  }
  return sim_time_s;
}

size_t RecordingTimeline::EventsUntil(double sim_time_s) const {
  return static_cast<size_t>(
      std::upper_bound(events_.begin(), events_.end(), sim_time_s,
                       [](double t, const v1::Event& event) { return t < event.sim_time_s(); }) -
      events_.begin());
}

}  // namespace pedisim::dashboard
