#include "controller/assessment/assessment_view.h"

#include <algorithm>
#include <map>

namespace pedisim::assessment {

std::vector<v1::CompetencyTotal> CompetencyTotals(
    const google::protobuf::RepeatedPtrField<v1::ItemGrade>& items) {
  std::map<v1::Competency, v1::CompetencyTotal> totals;
  for (const v1::ItemGrade& item : items) {
    std::vector<int> named(item.competencies().begin(), item.competencies().end());
    std::sort(named.begin(), named.end());
    named.erase(std::unique(named.begin(), named.end()), named.end());
    for (int competency : named) {
      v1::CompetencyTotal& total = totals[static_cast<v1::Competency>(competency)];
      total.set_competency(static_cast<v1::Competency>(competency));
      total.set_items(total.items() + 1);
      switch (item.grade()) {
        case v1::GRADE_MET:
          total.set_met(total.met() + 1);
          break;
        case v1::GRADE_MET_LATE:
          total.set_met_late(total.met_late() + 1);
          break;
        case v1::GRADE_WRONG:
          total.set_wrong(total.wrong() + 1);
          break;
        case v1::GRADE_OMITTED:
          total.set_omitted(total.omitted() + 1);
          break;
        case v1::GRADE_NOT_APPLICABLE:
          total.set_not_applicable(total.not_applicable() + 1);
          break;
        default:
          total.set_pending(total.pending() + 1);
          break;
      }
    }
  }
  std::vector<v1::CompetencyTotal> listed;
  for (auto& [competency, total] : totals) {
    const uint32_t decided = total.met() + total.met_late() + total.wrong() + total.omitted();
    if (decided > 0) {
      total.set_score_pct(100.0 * (total.met() + 0.5 * total.met_late()) / decided);
    }
    listed.push_back(std::move(total));
  }
  return listed;
}

void ToLearnerView(v1::Assessment& assessment) {
  if (assessment.released()) {
    if (assessment.mode() == v1::LEARNING_MODE_FORMATIVE) {
      for (v1::CompetencyTotal& total : *assessment.mutable_competencies()) total.clear_score_pct();
    }
    return;
  }
  assessment.set_withheld(true);
  assessment.clear_dose_checks();
  assessment.clear_cpr();
  assessment.clear_competencies();
  for (v1::ItemGrade& item : *assessment.mutable_items()) {
    item.clear_grade();
    item.clear_reason();
    item.clear_evidence();
    item.clear_decided_s();
    item.clear_seconds_left();
    item.clear_score();
    item.clear_override();
    // "Entering 'peri-arrest'" would tell learners where the scenario may
    // go, as pending transitions would.
    item.clear_measured_from();
  }
}

v1::Assessment LearnerView(const v1::Assessment& full) {
  v1::Assessment view = full;
  ToLearnerView(view);
  return view;
}

}  // namespace pedisim::assessment
