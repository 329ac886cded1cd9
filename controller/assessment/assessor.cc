#include "controller/assessment/assessor.h"

#include <fmt/format.h>
#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <cmath>

#include "controller/assessment/action_conditions.h"
#include "controller/assessment/assessment_view.h"
#include "controller/engine/action_match.h"
#include "core/dosing/drug_table.h"
#include "core/scenario/guideline_library.h"
#include "core/scenario/proto_scalar.h"
#include "core/text/enum_names.h"
#include "core/vitals/vital_table.h"

namespace pedisim::assessment {
namespace {

// Events land on 0.1 s steps; a deadline at exactly that step still counts.
constexpr double kTimeEpsilonS = 1e-6;
constexpr char kSource[] = "assessment";

std::string GradeName(v1::Grade grade) { return text::ShortEnumName(grade); }

v1::Evidence EvidenceOf(const v1::Event& event) {
  v1::Evidence evidence;
  evidence.set_event_id(event.id());
  evidence.set_sim_time_s(event.sim_time_s());
  evidence.set_summary(event.summary());
  return evidence;
}

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
    : scenario_(scenario), patient_(patient), mode_(scenario.learning_mode()) {
  if (mode_ == v1::LEARNING_MODE_UNSPECIFIED) mode_ = v1::LEARNING_MODE_SCORED;
  if (scenario.has_guidelines())
    cpr_targets_ = CprTargetsFor(scenario.guidelines(), patient.age_years);
  // Scenario start: the clock's zero, whether or not the session started.
  moments_.push_back({v1::Moment(), 0.0, 0, "scenario start", std::nullopt});
  auto add = [&](v1::ItemType type, const std::string& name, const std::string& rationale,
                 const auto& competencies) -> Item& {
    Item& item = items_.emplace_back();
    item.grade.set_item(name);
    item.grade.set_type(type);
    item.grade.set_grade(v1::GRADE_PENDING);
    item.grade.set_rationale(rationale);
    for (int competency : competencies) {
      item.grade.add_competencies(static_cast<v1::Competency>(competency));
    }
    return item;
  };
  for (const v1::CriticalAction& critical : scenario.critical_actions()) {
    Item& item = add(v1::ITEM_TYPE_CRITICAL_ACTION, critical.name(), critical.rationale(),
                     critical.competencies());
    item.critical = &critical;
    v1::Moment moment = critical.measured_from();
    if (!critical.from_state().empty()) moment.set_state_entered(critical.from_state());
    item.moment = AddMoment(moment);
  }
  for (const v1::OrderConstraint& order : scenario.order_constraints()) {
    Item& item = add(v1::ITEM_TYPE_ORDER, order.name(), order.rationale(), order.competencies());
    item.order = &order;
  }
  for (const v1::CommissionRule& rule : scenario.commission_rules()) {
    Item& item = add(v1::ITEM_TYPE_COMMISSION, rule.name(), rule.rationale(), rule.competencies());
    item.commission = &rule;
    item.moment = AddMoment(rule.measured_from());
    item.state_seen = rule.states().empty();
  }
  for (const v1::InstructorItem& instructor : scenario.instructor_items()) {
    Item& item = add(v1::ITEM_TYPE_INSTRUCTOR, instructor.name(), instructor.description(),
                     instructor.competencies());
    item.instructor = &instructor;
    item.grade.set_scale_min(instructor.scale_min());
    item.grade.set_scale_max(instructor.scale_max());
  }
  OpenMoment(moments_[0], 0, 0, "scenario start");
}

int Assessor::AddMoment(const v1::Moment& moment) {
  for (size_t i = 0; i < moments_.size(); ++i) {
    if (SameMoment(moments_[i].moment, moment)) return static_cast<int>(i);
  }
  // Scenario start, written out, is the same moment as an unset one.
  if (moment.moment_case() == v1::Moment::kScenarioStart) return 0;
  moments_.push_back({moment, std::nullopt, 0, DescribeMoment(moment), std::nullopt});
  return static_cast<int>(moments_.size() - 1);
}

void Assessor::OpenMoment(MomentState& moment, double now_s, uint64_t cause,
                          const std::string& why) {
  moment.opened_s = now_s;
  moment.cause_event_id = cause;
  moment.description = why;
  const int index = static_cast<int>(&moment - moments_.data());
  for (Item& item : items_) {
    if (item.moment != index) continue;
    item.grade.set_window_opened_s(now_s);
    if (item.critical) item.grade.set_deadline_s(now_s + item.critical->deadline_s());
    if (item.commission && item.commission->within_s() > 0) {
      item.grade.set_deadline_s(now_s + item.commission->within_s());
    }
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
      if (Item* item = FindItem(event.grade().item())) {
        *item->grade.add_evidence() = EvidenceOf(event);
      }
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
  current_state_ = event.state_change().to_state();
  for (MomentState& moment : moments_) {
    if (!moment.opened_s && moment.moment.moment_case() == v1::Moment::kStateEntered &&
        moment.moment.state_entered() == current_state_) {
      OpenMoment(moment, event.sim_time_s(), event.id(),
                 fmt::format("entering '{}' at {:.1f} s", current_state_, event.sim_time_s()));
    }
  }
  for (Item& item : items_) {
    if (!item.commission || item.state_seen) continue;
    const auto& states = item.commission->states();
    item.state_seen = std::find(states.begin(), states.end(), current_state_) != states.end();
  }
}

void Assessor::OnAction(const v1::Event& event, std::vector<v1::Event>& out) {
  const v1::LearnerAction& action = event.action();
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
  for (Item& item : items_) {
    if (item.overridden) continue;
    if (item.critical) JudgeCritical(item, event, out);
    if (item.order) JudgeOrder(item, event, out);
    if (item.commission) JudgeCommission(item, event, dose, out);
  }
}

void Assessor::JudgeCritical(Item& item, const v1::Event& event, std::vector<v1::Event>& out) {
  const v1::CriticalAction& critical = *item.critical;
  const MomentState& moment = moments_[item.moment];
  const v1::Grade grade = item.grade.grade();
  if (!moment.opened_s || grade == v1::GRADE_MET || grade == v1::GRADE_MET_LATE) return;
  const v1::LearnerAction& action = event.action();
  const bool in_time = event.sim_time_s() <= item.grade.deadline_s() + kTimeEpsilonS;
  if (engine::MatchesAction(critical.action(), action, patient_.weight_kg) ||
      MatchesAny(critical.alternatives(), action, patient_.weight_kg)) {
    if (++item.matches < static_cast<int>(std::max(1u, critical.action().count()))) return;
    const double after_s = event.sim_time_s() - *moment.opened_s;
    Decide(item, in_time ? v1::GRADE_MET : v1::GRADE_MET_LATE,
           fmt::format("{} {:.0f} s after {} (deadline {:g} s)", event.summary(), after_s,
                       moment.description, critical.deadline_s()),
           &event, out);
    return;
  }
  // An action that meets another critical item (the 2 J/kg first shock) is
  // no wrong attempt at this one (the 4 J/kg second shock).
  const bool meets_another = std::any_of(items_.begin(), items_.end(), [&](const Item& other) {
    return other.critical && &other != &item &&
           (engine::MatchesAction(other.critical->action(), action, patient_.weight_kg) ||
            MatchesAny(other.critical->alternatives(), action, patient_.weight_kg));
  });
  if (meets_another) return;
  std::optional<std::string> miss = NearMiss(critical.action(), action, patient_.weight_kg);
  for (const v1::ActionTrigger& alternative : critical.alternatives()) {
    if (!miss) miss = NearMiss(alternative, action, patient_.weight_kg);
  }
  if (!miss) return;
  if (in_time) {
    Decide(item, v1::GRADE_WRONG, fmt::format("{}: {}", event.summary(), *miss), &event, out);
  } else {
    // Past the deadline a wrong attempt does not undo the omission, but the
    // debrief should see it.
    *item.grade.add_evidence() = EvidenceOf(event);
    changed_ = true;
  }
}

void Assessor::JudgeOrder(Item& item, const v1::Event& event, std::vector<v1::Event>& out) {
  if (item.grade.grade() != v1::GRADE_PENDING) return;
  const v1::LearnerAction& action = event.action();
  if (!item.first_done && MatchesAny(item.order->first(), action, patient_.weight_kg)) {
    item.first_done = EvidenceOf(event);
    return;
  }
  if (!MatchesAny(item.order->then(), action, patient_.weight_kg)) return;
  if (item.first_done) {
    *item.grade.add_evidence() = *item.first_done;
    Decide(item, v1::GRADE_MET,
           fmt::format("'{}' at {:.1f} s came before '{}' at {:.1f} s", item.first_done->summary(),
                       item.first_done->sim_time_s(), event.summary(), event.sim_time_s()),
           &event, out);
  } else {
    Decide(item, v1::GRADE_WRONG,
           fmt::format("'{}' at {:.1f} s came before the step that must precede it",
                       event.summary(), event.sim_time_s()),
           &event, out);
  }
}

bool Assessor::InCommissionWindow(const Item& item, double now_s) const {
  const MomentState& moment = moments_[item.moment];
  if (!moment.opened_s) return false;
  const double within_s = item.commission->within_s();
  return within_s <= 0 || now_s <= *moment.opened_s + within_s + kTimeEpsilonS;
}

void Assessor::JudgeCommission(Item& item, const v1::Event& event, const v1::DoseCheck* dose,
                               std::vector<v1::Event>& out) {
  const v1::CommissionRule& rule = *item.commission;
  if (!InCommissionWindow(item, event.sim_time_s())) return;
  if (!rule.states().empty() && std::find(rule.states().begin(), rule.states().end(),
                                          current_state_) == rule.states().end()) {
    return;
  }
  const v1::LearnerAction& action = event.action();
  std::optional<std::string> reason;
  switch (rule.trigger_case()) {
    case v1::CommissionRule::kAction:
      if (engine::MatchesAction(rule.action(), action, patient_.weight_kg)) {
        reason = fmt::format("{} at {:.1f} s", event.summary(), event.sim_time_s());
      }
      break;
    case v1::CommissionRule::kFluidOver:
      if (action.kind() == v1::ACTION_KIND_FLUID_BOLUS && action.has_volume_ml()) {
        item.fluid_ml += action.volume_ml();
        item.fluids.push_back(EvidenceOf(event));
        const double per_kg = item.fluid_ml / std::max(patient_.weight_kg, 1e-9);
        if (per_kg > rule.fluid_over().ml_per_kg() + kTimeEpsilonS) {
          reason = fmt::format("{:.0f} mL/kg of fluid in total (limit {:g} mL/kg) by {:.1f} s",
                               per_kg, rule.fluid_over().ml_per_kg(), event.sim_time_s());
          for (size_t i = 0; i + 1 < item.fluids.size(); ++i) {
            *item.grade.add_evidence() = item.fluids[i];
          }
        }
      }
      break;
    case v1::CommissionRule::kDoseError: {
      if (!dose) break;
      const v1::DoseError& error = rule.dose_error();
      const bool verdict_listed = error.verdicts().empty()
                                      ? dosing::IsDoseError(dose->verdict())
                                      : std::find(error.verdicts().begin(), error.verdicts().end(),
                                                  dose->verdict()) != error.verdicts().end();
      const v1::DrugEntry* named =
          error.drug().empty() ? nullptr : dosing::FindDrug(scenario_.guidelines(), error.drug());
      const bool drug_matches =
          error.drug().empty() ||
          (named && named == dosing::FindDrug(scenario_.guidelines(), action.drug()));
      if (verdict_listed && drug_matches) reason = dose->reason();
      break;
    }
    default:
      break;
  }
  if (!reason) return;
  if (item.grade.grade() == v1::GRADE_WRONG) {
    *item.grade.add_evidence() = EvidenceOf(event);
    changed_ = true;
    return;
  }
  Decide(item, v1::GRADE_WRONG, *reason, &event, out);
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

  for (Item& item : items_) {
    if (item.overridden || item.grade.grade() != v1::GRADE_PENDING || item.moment < 0) continue;
    const MomentState& moment = moments_[item.moment];
    if (!moment.opened_s || !item.grade.has_deadline_s()) continue;
    if (now + kTimeEpsilonS < item.grade.deadline_s()) continue;
    if (item.critical) {
      Decide(item, v1::GRADE_OMITTED,
             fmt::format("not done within {:g} s of {}", item.critical->deadline_s(),
                         moment.description),
             nullptr, out, v1::EVENT_KIND_OMISSION);
      out.back().set_cause_event_id(moment.cause_event_id);
    } else if (item.commission && item.state_seen) {
      Decide(item, v1::GRADE_MET,
             fmt::format("not done within {:g} s of {}", item.commission->within_s(),
                         moment.description),
             nullptr, out);
    }
  }
  return out;
}

void Assessor::Finish(double now_s, std::vector<v1::Event>& out) {
  if (finished_) return;
  finished_ = true;
  if (!cpr_.pulseless.empty() && !cpr_.pulseless.back().end_s) cpr_.pulseless.back().end_s = now_s;
  for (Item& item : items_) {
    if (item.overridden || item.grade.grade() != v1::GRADE_PENDING) continue;
    const MomentState* moment = item.moment >= 0 ? &moments_[item.moment] : nullptr;
    if (item.critical) {
      Decide(item, v1::GRADE_NOT_APPLICABLE,
             moment->opened_s ? fmt::format("the session ended {:.0f} s before the deadline",
                                            item.grade.deadline_s() - now_s)
                              : fmt::format("{} never happened", moment->description),
             nullptr, out);
    } else if (item.order) {
      Decide(item, v1::GRADE_NOT_APPLICABLE, "the step whose order is judged was never done",
             nullptr, out);
    } else if (item.commission) {
      if (moment->opened_s && item.state_seen) {
        Decide(item, v1::GRADE_MET, "not done", nullptr, out);
      } else {
        Decide(item, v1::GRADE_NOT_APPLICABLE,
               moment->opened_s ? "the session never reached the states it applies in"
                                : moment->description + " never happened",
               nullptr, out);
      }
    }
    // Instructor items stay pending until scored, during the debrief too.
  }
  changed_ = true;
}

void Assessor::Decide(Item& item, v1::Grade grade, std::string reason, const v1::Event* evidence,
                      std::vector<v1::Event>& out, v1::EventKind kind) {
  item.grade.set_grade(grade);
  item.grade.set_reason(std::move(reason));
  item.grade.set_decided_s(now_s_);
  if (evidence) *item.grade.add_evidence() = EvidenceOf(*evidence);
  changed_ = true;
  v1::Event event = MakeEvent(
      kind, v1::AGENT_SYSTEM, kSource, evidence ? evidence->id() : 0,
      fmt::format("{}: '{}' {} — {}", kind == v1::EVENT_KIND_OMISSION ? "omission" : "graded",
                  item.grade.item(), GradeName(grade), item.grade.reason()));
  *event.mutable_grade() = item.grade;
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

Assessor::Item* Assessor::FindItem(const std::string& name) {
  for (Item& item : items_) {
    if (item.grade.item() == name) return &item;
  }
  return nullptr;
}

Change Assessor::OverrideGrade(const std::string& name, v1::Grade grade, const std::string& comment,
                               const std::string& instructor) {
  Change change;
  Item* item = FindItem(name);
  if (!item) {
    change.refusal = Change::Refusal::kNotFound;
    change.message = fmt::format("item: no assessment item '{}'", name);
    return change;
  }
  v1::GradeOverride* record = item->grade.mutable_override();
  if (!item->overridden) record->set_original_grade(item->grade.grade());
  record->set_instructor(instructor);
  record->set_comment(comment);
  item->overridden = true;
  item->grade.set_grade(grade);
  item->grade.set_decided_s(now_s_);
  changed_ = true;
  change.event =
      MakeEvent(v1::EVENT_KIND_GRADE_OVERRIDDEN, v1::AGENT_INSTRUCTOR, instructor, 0,
                fmt::format("{} set '{}' to {}: {}", instructor, name, GradeName(grade), comment));
  *change.event.mutable_grade() = item->grade;
  return change;
}

Change Assessor::ScoreItem(const std::string& name, int score, const std::string& comment,
                           const std::string& instructor) {
  Change change;
  Item* item = FindItem(name);
  if (!item) {
    change.refusal = Change::Refusal::kNotFound;
    change.message = fmt::format("item: no assessment item '{}'", name);
    return change;
  }
  if (!item->instructor) {
    change.refusal = Change::Refusal::kInvalid;
    change.message = fmt::format("item: '{}' is not instructor-scored; use OverrideGrade", name);
    return change;
  }
  const v1::InstructorItem& scale = *item->instructor;
  if (score < scale.scale_min() || score > scale.scale_max()) {
    change.refusal = Change::Refusal::kInvalid;
    change.message = fmt::format("score: {} is off the scale {} to {}", score, scale.scale_min(),
                                 scale.scale_max());
    return change;
  }
  const int met_at = scale.has_met_at()
                         ? scale.met_at()
                         : scale.scale_min() + (scale.scale_max() - scale.scale_min() + 1) / 2;
  const std::string label = score - scale.scale_min() < scale.labels_size()
                                ? " (" + scale.labels(score - scale.scale_min()) + ")"
                                : "";
  item->grade.set_score(score);
  item->grade.set_grade(score >= met_at ? v1::GRADE_MET : v1::GRADE_WRONG);
  item->grade.set_reason(fmt::format("scored {}{} on {} to {} by {} (met at {}){}", score, label,
                                     scale.scale_min(), scale.scale_max(), instructor, met_at,
                                     comment.empty() ? "" : ": " + comment));
  item->grade.set_decided_s(now_s_);
  changed_ = true;
  change.event =
      MakeEvent(v1::EVENT_KIND_GRADE_OVERRIDDEN, v1::AGENT_INSTRUCTOR, instructor, 0,
                fmt::format("{} scored '{}': {}", instructor, name, item->grade.reason()));
  *change.event.mutable_grade() = item->grade;
  return change;
}

Change Assessor::SetMode(v1::LearningMode mode, const std::string& instructor) {
  Change change;
  mode_ = mode;
  changed_ = true;
  change.event = MakeEvent(v1::EVENT_KIND_ASSESSMENT_VISIBILITY, v1::AGENT_INSTRUCTOR, instructor,
                           0, fmt::format("learning mode set to {}", text::ShortEnumName(mode)));
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
    Item* item = FindItem(recorded.grade().item());
    if (!item) {
      change.refusal = Change::Refusal::kNotFound;
      change.message = fmt::format("item: no assessment item '{}'", recorded.grade().item());
      return change;
    }
    item->grade = recorded.grade();
    item->overridden = recorded.grade().has_override();
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
  for (const Item& item : items_) {
    v1::ItemGrade& grade = *assessment.add_items() = item.grade;
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
  return std::any_of(items_.begin(), items_.end(), [](const Item& item) {
    return item.grade.grade() == v1::GRADE_PENDING && item.grade.has_deadline_s();
  });
}

}  // namespace pedisim::assessment
