#include "controller/assessment/judges/judge.h"

#include <fmt/format.h>

#include <utility>

namespace pedisim::assessment {

v1::Evidence EvidenceOf(const v1::Event& event) {
  v1::Evidence evidence;
  evidence.set_event_id(event.id());
  evidence.set_sim_time_s(event.sim_time_s());
  evidence.set_summary(event.summary());
  return evidence;
}

Judge::Judge(v1::ItemType type, const std::string& name, const std::string& rationale,
             const google::protobuf::RepeatedField<int>& competencies, const MomentState* window)
    : window_(window) {
  grade_.set_item(name);
  grade_.set_type(type);
  grade_.set_grade(v1::GRADE_PENDING);
  grade_.set_rationale(rationale);
  for (int competency : competencies) {
    grade_.add_competencies(static_cast<v1::Competency>(competency));
  }
  if (window_) grade_.set_measured_from(window_->description);
}

void Judge::OnWindowOpened(double now_s) {
  grade_.set_window_opened_s(now_s);
  // The moment's description now says when it came.
  grade_.set_measured_from(window_->description);
}

void Judge::OnStateEntered(const std::string&) {}

Ruling Judge::OnAction(const ActionSeen&) { return {}; }

Ruling Judge::AtStep(double, double) { return {}; }

Ruling Judge::AtEnd(double, double) { return {}; }

void Judge::AddEvidence(const v1::Event& event) { *grade_.add_evidence() = EvidenceOf(event); }

void Judge::Override(v1::Grade grade, const std::string& comment, const std::string& instructor,
                     double now_s) {
  v1::GradeOverride* record = grade_.mutable_override();
  if (!overridden_) record->set_original_grade(grade_.grade());
  record->set_instructor(instructor);
  record->set_comment(comment);
  overridden_ = true;
  grade_.set_grade(grade);
  grade_.set_decided_s(now_s);
}

void Judge::Restore(const v1::ItemGrade& grade) {
  grade_ = grade;
  overridden_ = grade.has_override();
}

Ruling Judge::Decide(v1::Grade grade, std::string reason, const v1::Event* evidence, double now_s) {
  grade_.set_grade(grade);
  grade_.set_reason(std::move(reason));
  grade_.set_decided_s(now_s);
  if (evidence) AddEvidence(*evidence);
  return {Ruling::Outcome::kGraded, evidence ? evidence->id() : 0};
}

Ruling Judge::Omit(std::string reason, double now_s) {
  Decide(v1::GRADE_OMITTED, std::move(reason), nullptr, now_s);
  return {Ruling::Outcome::kOmitted, window_ ? window_->cause_event_id : 0};
}

Ruling Judge::KeepAsEvidence(const v1::Event& event) {
  AddEvidence(event);
  return {Ruling::Outcome::kEvidenceAdded, 0};
}

bool Judge::DeadlinePassed(double step_s) const {
  return grade_.grade() == v1::GRADE_PENDING && window_ && window_->opened_s &&
         grade_.has_deadline_s() && step_s + kTimeEpsilonS >= grade_.deadline_s();
}

Ruling Judge::EndedBeforeTheDeadline(double ended_s, double now_s) {
  return Decide(v1::GRADE_NOT_APPLICABLE,
                window()->opened_s ? fmt::format("the session ended {:.0f} s before the deadline",
                                                 grade_.deadline_s() - ended_s)
                                   : fmt::format("{} never happened", window()->description),
                nullptr, now_s);
}

}  // namespace pedisim::assessment
