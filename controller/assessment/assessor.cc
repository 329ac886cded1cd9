#include "controller/assessment/assessor.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <optional>
#include <string>

#include "controller/assessment/assessment_view.h"
#include "controller/assessment/judges/commission_judge.h"
#include "controller/assessment/judges/condition_judge.h"
#include "controller/assessment/judges/critical_action_judge.h"
#include "controller/assessment/judges/instructor_item_judge.h"
#include "controller/assessment/judges/order_judge.h"
#include "controller/engine/action_match.h"
#include "core/checks/message_limits.h"
#include "core/text/enum_names.h"
#include "core/vitals/vital_table.h"

namespace pedisim::assessment {
namespace {

constexpr char kSource[] = "assessment";

// Grades as people read them ("met late"): the summaries are shown as they are.
std::string GradeName(v1::Grade grade) { return text::EnumWords(grade); }

std::string DescribeMoment(const v1::Moment& moment) {
  switch (moment.moment_case()) {
    case v1::Moment::kStateEntered:
      return fmt::format("entering '{}'", moment.state_entered());
    case v1::Moment::kVitalCrossing: {
      const v1::VitalTrigger& crossing = moment.vital_crossing();
      return crossing.has_below()
                 ? fmt::format("{} below {:g}", crossing.vital(), crossing.below())
                 : fmt::format("{} above {:g}", crossing.vital(), crossing.above());
    }
    case v1::Moment::kActionTaken: {
      const v1::ActionTrigger& action = moment.action_taken();
      std::string words = text::EnumWords(action.kind());
      if (!action.drug().empty()) words += " " + action.drug();
      return "the first " + words;
    }
    default:
      return "scenario start";
  }
}

bool SameMoment(const v1::Moment& a, const v1::Moment& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

// Reads one vital by name from a Vitals message; nullopt when unset.
std::optional<double> VitalValue(const v1::Vitals& vitals, const std::string& name) {
  const std::optional<int> index = vitals::VitalFieldIndex(name);
  if (!index) return std::nullopt;
  const vitals::VitalField& field = vitals::VitalFields()[*index];
  if (!(vitals.*field.has)()) return std::nullopt;
  return (vitals.*field.get)();
}

}  // namespace

Assessor::Assessor(const v1::Scenario& scenario, patient::PatientSize patient)
    : scenario_(scenario),
      patient_(patient),
      ledger_(scenario, patient.weight_kg),
      mode_(scenario.learning_mode()) {
  if (mode_ == v1::LEARNING_MODE_UNSPECIFIED) mode_ = v1::LEARNING_MODE_SCORED;
  if (scenario.has_guidelines())
    cpr_targets_ = CprTargetsFor(scenario.guidelines(), patient.age_years);
  // Scenario start: the clock's zero, whether or not the session started.
  moments_.push_back({v1::Moment(), 0.0, 0, "scenario start", std::nullopt});
  const double weight_kg = patient.weight_kg;
  for (const v1::CriticalAction& critical : scenario.critical_actions()) {
    if (critical.has_condition()) {
      judges_.push_back(std::make_unique<ConditionJudge>(
          critical, AddMoment(CriticalActionJudge::MeasuredFrom(critical)), ledger_));
      continue;
    }
    judges_.push_back(std::make_unique<CriticalActionJudge>(
        critical, AddMoment(CriticalActionJudge::MeasuredFrom(critical)),
        scenario.critical_actions(), weight_kg));
  }
  for (const v1::OrderConstraint& order : scenario.order_constraints()) {
    judges_.push_back(std::make_unique<OrderJudge>(order, weight_kg));
  }
  for (const v1::CommissionRule& rule : scenario.commission_rules()) {
    judges_.push_back(std::make_unique<CommissionJudge>(rule, AddMoment(rule.measured_from()),
                                                        scenario.guidelines(), weight_kg));
  }
  for (const v1::InstructorItem& item : scenario.instructor_items()) {
    judges_.push_back(std::make_unique<InstructorItemJudge>(item));
  }
  OpenMoment(moments_[0], 0, 0, "scenario start");
}

MomentState* Assessor::AddMoment(const v1::Moment& moment) {
  for (MomentState& known : moments_) {
    if (SameMoment(known.moment, moment)) return &known;
  }
  // Scenario start, written out, is the same moment as an unset one.
  if (moment.moment_case() == v1::Moment::kScenarioStart) return &moments_.front();
  return &moments_.emplace_back(
      MomentState{moment, std::nullopt, 0, DescribeMoment(moment), std::nullopt});
}

void Assessor::OpenMoment(MomentState& moment, double now_s, uint64_t cause,
                          const std::string& why) {
  moment.opened_s = now_s;
  moment.cause_event_id = cause;
  moment.description = why;
  for (const std::unique_ptr<Judge>& judge : judges_) {
    if (judge->window() == &moment) judge->OnWindowOpened(now_s);
  }
  changed_ = true;
}

std::vector<v1::Event> Assessor::Observe(const v1::Event& event) {
  std::vector<v1::Event> out;
  now_s_ = std::max(now_s_, event.sim_time_s());
  switch (event.kind()) {
    case v1::EVENT_KIND_STATE_ENTERED:
      OnStateEntered(event);
      break;
    case v1::EVENT_KIND_LEARNER_ACTION:
      if (!finished_) OnAction(event, out);
      break;
    case v1::EVENT_KIND_SESSION_COMPLETED:
    case v1::EVENT_KIND_SESSION_STOPPED:
      Finish(event.sim_time_s(), out);
      break;
    case v1::EVENT_KIND_OMISSION:
      // The omission event is the evidence of its own item.
      if (Judge* judge = FindJudge(event.grade().item())) judge->AddEvidence(event);
      break;
    case v1::EVENT_KIND_DOSE_FLAGGED:
      for (v1::DoseCheck& check : dose_checks_) {
        if (check.event_id() == event.cause_event_id()) check.set_flag_event_id(event.id());
      }
      break;
    default:
      break;
  }
  return out;
}

void Assessor::OnStateEntered(const v1::Event& event) {
  const std::string& state = event.state_change().to_state();
  ledger_.RecordStateEntered(state, event.sim_time_s());
  for (MomentState& moment : moments_) {
    if (!moment.opened_s && moment.moment.moment_case() == v1::Moment::kStateEntered &&
        moment.moment.state_entered() == state) {
      OpenMoment(moment, event.sim_time_s(), event.id(),
                 fmt::format("entering '{}' at {:.1f} s", state, event.sim_time_s()));
    }
  }
  for (const std::unique_ptr<Judge>& judge : judges_) judge->OnStateEntered(state);
}

void Assessor::OnAction(const v1::Event& event, std::vector<v1::Event>& out) {
  const v1::LearnerAction& action = event.action();
  ledger_.RecordAction(event.id(), event.sim_time_s(), action);
  // CPR intervals come from when a network manikin sensed each sample, if it
  // said: samples arriving together at one engine step were not given together.
  const double t = event.has_sensed_sim_time_s()
                       ? std::min(event.sensed_sim_time_s(), event.sim_time_s())
                       : event.sim_time_s();
  switch (action.kind()) {
    case v1::ACTION_KIND_CHEST_COMPRESSION:
      cpr_.compressions.push_back({t, action.compression()});
      break;
    case v1::ACTION_KIND_VENTILATION:
      cpr_.ventilations.push_back(t);
      break;
    case v1::ACTION_KIND_DEFIBRILLATION:
      cpr_.shocks.push_back({t, action.energy_j()});
      changed_ = true;
      break;
    default:
      break;
  }
  const v1::DoseCheck* dose = nullptr;
  if (action.kind() == v1::ACTION_KIND_DRUG && scenario_.has_guidelines()) {
    v1::DoseCheck& check =
        dose_checks_.emplace_back(dosing::CheckDose(scenario_.guidelines(), action, patient_));
    check.set_event_id(event.id());
    check.set_sim_time_s(t);
    dose = &check;
    changed_ = true;
    if (dosing::IsDoseError(check.verdict())) {
      v1::Event flag = MakeEvent(
          v1::EVENT_KIND_DOSE_FLAGGED, v1::AGENT_SYSTEM, kSource, event.id(),
          fmt::format("dose check: {} {} — {}", action.drug(), action.route(), check.reason()));
      *flag.mutable_dose_check() = check;
      out.push_back(std::move(flag));
    }
  }
  // A window measured from an action opens with it, before the judges see
  // the action, so that the action may also meet an item in that window.
  for (MomentState& moment : moments_) {
    if (moment.opened_s || moment.moment.moment_case() != v1::Moment::kActionTaken) continue;
    if (engine::MatchesAction(moment.moment.action_taken(), action, patient_.weight_kg)) {
      OpenMoment(moment, event.sim_time_s(), event.id(),
                 fmt::format("{} at {:.1f} s", DescribeMoment(moment.moment), event.sim_time_s()));
    }
  }
  const ActionSeen seen{event, dose, now_s_};
  bool judged_harmful = false;
  for (const std::unique_ptr<Judge>& judge : judges_) {
    if (judge->overridden()) continue;
    const Ruling ruling = judge->OnAction(seen);
    // A commission rule rules on an action only to find it wrong.
    judged_harmful = judged_harmful || (ruling.outcome != Ruling::Outcome::kNone &&
                                        judge->grade().type() == v1::ITEM_TYPE_COMMISSION &&
                                        judge->grade().grade() == v1::GRADE_WRONG);
    Record(*judge, ruling, out);
  }
  // The shock that rule reported is not counted again in the CPR metrics.
  if (action.kind() == v1::ACTION_KIND_DEFIBRILLATION) cpr_.shocks.back().harmful = judged_harmful;
}

std::vector<v1::Event> Assessor::Step(const StepView& view) {
  std::vector<v1::Event> out;
  const double now = view.sim_time_s;
  now_s_ = std::max(now_s_, now);
  if (finished_) return out;
  const bool open_pulseless = !cpr_.pulseless.empty() && !cpr_.pulseless.back().end_s;
  if (!view.pulse_present && !open_pulseless) {
    cpr_.pulseless.push_back({now, std::nullopt});
    changed_ = true;
  } else if (view.pulse_present && open_pulseless) {
    cpr_.pulseless.back().end_s = now;
    changed_ = true;
  }

  std::optional<v1::Vitals> vitals;
  for (MomentState& moment : moments_) {
    if (moment.opened_s || moment.moment.moment_case() != v1::Moment::kVitalCrossing) continue;
    if (!vitals && view.trigger_vitals) vitals = view.trigger_vitals();
    if (!vitals) break;
    const v1::VitalTrigger& crossing = moment.moment.vital_crossing();
    const std::optional<double> value = VitalValue(*vitals, crossing.vital());
    const bool crossed = value && ((crossing.has_below() && *value < crossing.below()) ||
                                   (crossing.has_above() && *value > crossing.above()));
    if (!crossed) {
      moment.crossing_since_s.reset();
      continue;
    }
    if (!moment.crossing_since_s) moment.crossing_since_s = now;
    if (now - *moment.crossing_since_s + kTimeEpsilonS >= crossing.held_for_s()) {
      OpenMoment(moment, now, 0,
                 fmt::format("{} at {:.1f} s ({:g})", DescribeMoment(moment.moment), now, *value));
    }
  }

  for (const std::unique_ptr<Judge>& judge : judges_) {
    if (!judge->overridden()) Record(*judge, judge->AtStep(now, now_s_), out);
  }
  return out;
}

void Assessor::Finish(double now_s, std::vector<v1::Event>& out) {
  if (finished_) return;
  finished_ = true;
  if (!cpr_.pulseless.empty() && !cpr_.pulseless.back().end_s) cpr_.pulseless.back().end_s = now_s;
  for (const std::unique_ptr<Judge>& judge : judges_) {
    if (judge->overridden() || judge->grade().grade() != v1::GRADE_PENDING) continue;
    Record(*judge, judge->AtEnd(now_s, now_s_), out);
  }
  changed_ = true;
}

void Assessor::Record(const Judge& judge, const Ruling& ruling, std::vector<v1::Event>& out) {
  if (ruling.outcome == Ruling::Outcome::kNone) return;
  changed_ = true;
  if (ruling.outcome == Ruling::Outcome::kEvidenceAdded) return;
  const bool omitted = ruling.outcome == Ruling::Outcome::kOmitted;
  const v1::ItemGrade& grade = judge.grade();
  v1::Event event = MakeEvent(omitted ? v1::EVENT_KIND_OMISSION : v1::EVENT_KIND_ITEM_GRADED,
                              v1::AGENT_SYSTEM, kSource, ruling.cause_event_id,
                              fmt::format("{}: '{}' {} — {}", omitted ? "omission" : "graded",
                                          grade.item(), GradeName(grade.grade()), grade.reason()));
  *event.mutable_grade() = grade;
  out.push_back(std::move(event));
}

v1::Event Assessor::MakeEvent(v1::EventKind kind, v1::Agent agent, const std::string& source,
                              uint64_t cause, std::string summary) const {
  v1::Event event;
  event.set_sim_time_s(now_s_);
  event.set_kind(kind);
  event.set_agent(agent);
  event.set_source(source);
  event.set_cause_event_id(cause);
  event.set_summary(std::move(summary));
  return event;
}

Judge* Assessor::FindJudge(const std::string& name) {
  for (const std::unique_ptr<Judge>& judge : judges_) {
    if (judge->grade().item() == name) return judge.get();
  }
  return nullptr;
}

namespace {

// An item name as people type it: case, '-', '_' and spaces aside.
std::string ItemKey(std::string_view name) {
  std::string key;
  for (const char c : name) {
    if (c == '-' || c == '_' || c == ' ') continue;
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return key;
}

}  // namespace

Judge* Assessor::FindItem(const std::string& name, Change* refusal) {
  if (Judge* exact = FindJudge(name)) return exact;
  // Typed by an instructor: "closed-loop" for "Closed-loop communication".
  const std::string key = ItemKey(name);
  std::vector<Judge*> matches;
  for (const std::unique_ptr<Judge>& judge : judges_) {
    const std::string item = ItemKey(judge->grade().item());
    if (item == key) return judge.get();
    if (!key.empty() && item.starts_with(key)) matches.push_back(judge.get());
  }
  if (matches.size() == 1) return matches.front();
  std::vector<std::string> names;
  for (const Judge* judge : matches.empty() ? AllJudges() : matches) {
    names.push_back("'" + judge->grade().item() + "'");
  }
  refusal->refusal = Change::Refusal::kNotFound;
  refusal->message = matches.empty() ? fmt::format("item: no assessment item '{}'; the items: {}",
                                                   checks::Echo(name), fmt::join(names, ", "))
                                     : fmt::format("item: '{}' could be {}; type more of the name",
                                                   checks::Echo(name), fmt::join(names, " or "));
  return nullptr;
}

std::vector<Judge*> Assessor::AllJudges() const {
  std::vector<Judge*> all;
  for (const std::unique_ptr<Judge>& judge : judges_) all.push_back(judge.get());
  return all;
}

Change Assessor::NoSuchItem(const std::string& name) const {
  Change change;
  change.refusal = Change::Refusal::kNotFound;
  change.message = fmt::format("item: no assessment item '{}'", name);
  return change;
}

Change Assessor::OverrideGrade(const std::string& typed, v1::Grade grade,
                               const std::string& comment, const std::string& instructor) {
  Change refused;
  Judge* judge = FindItem(typed, &refused);
  if (!judge) return refused;
  const std::string name = judge->grade().item();
  judge->Override(grade, comment, instructor, now_s_);
  changed_ = true;
  Change change;
  change.event =
      MakeEvent(v1::EVENT_KIND_GRADE_OVERRIDDEN, v1::AGENT_INSTRUCTOR, instructor, 0,
                fmt::format("{} set '{}' to {}: {}", instructor, name, GradeName(grade), comment));
  *change.event.mutable_grade() = judge->grade();
  return change;
}

Change Assessor::ScoreItem(const std::string& typed, int score, const std::string& comment,
                           const std::string& instructor) {
  Change refused;
  Judge* judge = FindItem(typed, &refused);
  if (!judge) return refused;
  const std::string name = judge->grade().item();
  Change change;
  auto* scored = dynamic_cast<InstructorItemJudge*>(judge);
  if (!scored) {
    change.refusal = Change::Refusal::kInvalid;
    change.message = fmt::format("item: '{}' is not instructor-scored; use OverrideGrade", name);
    return change;
  }
  if (std::optional<std::string> refused = scored->Score(score, comment, instructor, now_s_)) {
    change.refusal = Change::Refusal::kInvalid;
    change.message = std::move(*refused);
    return change;
  }
  changed_ = true;
  change.event =
      MakeEvent(v1::EVENT_KIND_GRADE_OVERRIDDEN, v1::AGENT_INSTRUCTOR, instructor, 0,
                fmt::format("{} scored '{}': {}", instructor, name, scored->grade().reason()));
  *change.event.mutable_grade() = scored->grade();
  return change;
}

Change Assessor::SetMode(v1::LearningMode mode, const std::string& instructor) {
  Change change;
  mode_ = mode;
  changed_ = true;
  change.event = MakeEvent(v1::EVENT_KIND_ASSESSMENT_VISIBILITY, v1::AGENT_INSTRUCTOR, instructor,
                           0, fmt::format("learning mode set to {}", text::EnumWords(mode)));
  change.event.mutable_visibility()->set_mode(mode_);
  change.event.mutable_visibility()->set_released(released_);
  return change;
}

Change Assessor::Release(const std::string& instructor) {
  Change change;
  released_ = true;
  changed_ = true;
  change.event = MakeEvent(v1::EVENT_KIND_ASSESSMENT_VISIBILITY, v1::AGENT_INSTRUCTOR, instructor,
                           0, "scores released to learners");
  change.event.mutable_visibility()->set_mode(mode_);
  change.event.mutable_visibility()->set_released(released_);
  return change;
}

Change Assessor::Reapply(const v1::Event& recorded) {
  Change change;
  if (recorded.kind() == v1::EVENT_KIND_GRADE_OVERRIDDEN && recorded.has_grade()) {
    Judge* judge = FindJudge(recorded.grade().item());
    if (!judge) return NoSuchItem(recorded.grade().item());
    judge->Restore(recorded.grade());
  } else if (recorded.kind() == v1::EVENT_KIND_ASSESSMENT_VISIBILITY && recorded.has_visibility()) {
    mode_ = recorded.visibility().mode();
    released_ = recorded.visibility().released();
  } else {
    change.refusal = Change::Refusal::kInvalid;
    change.message =
        fmt::format("event {} is not an instructor's assessment change", recorded.id());
    return change;
  }
  changed_ = true;
  change.event = recorded;
  return change;
}

v1::Assessment Assessor::Current() const {
  v1::Assessment assessment;
  assessment.set_sim_time_s(now_s_);
  assessment.set_guideline_set(scenario_.guideline_set());
  assessment.set_mode(mode_);
  assessment.set_released(released_);
  for (const std::unique_ptr<Judge>& judge : judges_) {
    v1::ItemGrade& grade = *assessment.add_items() = judge->grade();
    if (grade.grade() == v1::GRADE_PENDING && grade.has_deadline_s() && !finished_) {
      grade.set_seconds_left(std::max(0.0, grade.deadline_s() - now_s_));
    }
  }
  for (const v1::DoseCheck& check : dose_checks_) *assessment.add_dose_checks() = check;
  if (!cpr_.compressions.empty() || !cpr_.shocks.empty() || !cpr_.pulseless.empty()) {
    *assessment.mutable_cpr() = MeasureCpr(cpr_, now_s_, patient_.weight_kg, cpr_targets_);
  }
  for (v1::CompetencyTotal& total : CompetencyTotals(assessment.items())) {
    *assessment.add_competencies() = std::move(total);
  }
  return assessment;
}

bool Assessor::TakeChanged() {
  const bool changed = changed_;
  changed_ = false;
  return changed;
}

bool Assessor::Live() const {
  if (finished_) return false;
  if (!cpr_.compressions.empty() && now_s_ - cpr_.compressions.back().time_s <= kPauseThresholdS) {
    return true;
  }
  return std::any_of(judges_.begin(), judges_.end(), [](const std::unique_ptr<Judge>& judge) {
    return judge->grade().grade() == v1::GRADE_PENDING && judge->grade().has_deadline_s();
  });
}

}  // namespace pedisim::assessment
