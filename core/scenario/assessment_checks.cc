// Checks of the assessment rules: critical actions, order constraints,
// commission rules and instructor-scored items (assessment_rules.proto).
#include <map>
#include <string>
#include <vector>

#include "core/scenario/check_parts.h"
#include "core/scenario/spelling.h"

namespace pedisim::scenario::checks {
namespace {

void CheckState(const std::string& state, const std::string& path, std::string_view what,
                const std::vector<std::string>& state_names, DiagnosticSink& sink) {
  if (!Contains(state_names, state)) {
    sink.ErrorAtValue(path, NotAStateMessage(what, state, state_names));
  }
}

void CheckMoment(const v1::Moment& moment, const std::string& path,
                 const std::vector<std::string>& state_names, DiagnosticSink& sink) {
  switch (moment.moment_case()) {
    case v1::Moment::kStateEntered:
      CheckState(moment.state_entered(), path + ".state_entered", "state_entered", state_names,
                 sink);
      break;
    case v1::Moment::kVitalCrossing:
      CheckVitalTrigger(moment.vital_crossing(), path + ".vital_crossing", sink);
      break;
    case v1::Moment::kActionTaken:
      CheckActionTrigger(moment.action_taken(), path + ".action_taken",
                         "this window may never open", sink);
      break;
    case v1::Moment::kScenarioStart:
    case v1::Moment::MOMENT_NOT_SET:
      break;
  }
}

// Names key grades, overrides and action files' expected_grades, so each
// item needs one of its own.
class ItemNames {
 public:
  explicit ItemNames(DiagnosticSink& sink) : sink_(sink) {}

  void Add(const std::string& name, const std::string& path) {
    if (name.empty()) {
      sink_.ErrorAtKey(path, "assessment item has no name");
      return;
    }
    if (auto [first, inserted] = first_path_.emplace(name, path + ".name"); !inserted) {
      sink_.ErrorAtValue(path + ".name", "duplicate assessment item " + Quoted(name) +
                                             "; first defined at " +
                                             sink_.LineOf(first->second, path + ".name"));
    }
  }

 private:
  DiagnosticSink& sink_;
  std::map<std::string, std::string> first_path_;
};

template <typename Competencies>
void CheckCompetencies(const Competencies& competencies, const std::string& path,
                       DiagnosticSink& sink) {
  if (competencies.empty()) {
    sink.WarningAtKey(path,
                      "item names no competency; tag it with at least one of the six "
                      "ACGME competencies so the report can total it");
  }
  for (int i = 0; i < competencies.size(); ++i) {
    if (competencies.Get(i) == v1::COMPETENCY_UNSPECIFIED) {
      sink.ErrorAtValue(path + ".competencies[" + std::to_string(i) + "]",
                        "competency must be one of the six ACGME competencies");
    }
  }
}

void CheckCriticalAction(const v1::CriticalAction& critical, const std::string& path,
                         const std::vector<std::string>& state_names, DiagnosticSink& sink) {
  constexpr std::string_view kNeverMet = "this critical action may never be met";
  // A condition (condition_checks.cc) meets the item instead of an action.
  if (critical.has_condition() && critical.has_action()) {
    sink.ErrorAtKey(path + ".condition", "set either action or condition, not both");
  }
  if (!critical.has_condition()) {
    CheckActionTrigger(critical.action(), path + ".action", kNeverMet, sink);
  }
  for (int i = 0; i < critical.alternatives_size(); ++i) {
    CheckActionTrigger(critical.alternatives(i), path + "." + Indexed("alternatives", i), kNeverMet,
                       sink);
  }
  if (!(critical.deadline_s() > 0)) {
    sink.ErrorAtValue(path + ".deadline_s",
                      "deadline_s must be greater than 0, got " + Number(critical.deadline_s()));
  }
  if (!critical.from_state().empty()) {
    CheckState(critical.from_state(), path + ".from_state", "from_state", state_names, sink);
    if (critical.has_measured_from()) {
      sink.ErrorAtKey(path + ".measured_from", "set either from_state or measured_from, not both");
    }
  }
  CheckMoment(critical.measured_from(), path + ".measured_from", state_names, sink);
  CheckCompetencies(critical.competencies(), path, sink);
}

void CheckOrderConstraint(const v1::OrderConstraint& order, const std::string& path,
                          DiagnosticSink& sink) {
  constexpr std::string_view kNeverJudged = "this order constraint may never be judged";
  if (order.first().empty()) sink.ErrorAtKey(path, "order constraint needs `first` actions");
  if (order.then().empty()) sink.ErrorAtKey(path, "order constraint needs `then` actions");
  for (int i = 0; i < order.first_size(); ++i) {
    CheckActionTrigger(order.first(i), path + "." + Indexed("first", i), kNeverJudged, sink);
  }
  for (int i = 0; i < order.then_size(); ++i) {
    CheckActionTrigger(order.then(i), path + "." + Indexed("then", i), kNeverJudged, sink);
  }
  CheckCompetencies(order.competencies(), path, sink);
}

void CheckCommission(const v1::CommissionRule& rule, const std::string& path,
                     const std::vector<std::string>& state_names, DiagnosticSink& sink) {
  switch (rule.trigger_case()) {
    case v1::CommissionRule::TRIGGER_NOT_SET:
      sink.ErrorAtKey(path, "commission rule needs one of action, fluid_over or dose_error");
      break;
    case v1::CommissionRule::kAction:
      CheckActionTrigger(rule.action(), path + ".action", "this rule may never apply", sink);
      break;
    case v1::CommissionRule::kFluidOver:
      if (!(rule.fluid_over().ml_per_kg() > 0)) {
        sink.ErrorAtValue(
            path + ".fluid_over.ml_per_kg",
            "ml_per_kg must be greater than 0, got " + Number(rule.fluid_over().ml_per_kg()));
      }
      break;
    case v1::CommissionRule::kDoseError:
      for (int i = 0; i < rule.dose_error().verdicts_size(); ++i) {
        const v1::DoseVerdict verdict = rule.dose_error().verdicts(i);
        if (verdict == v1::DOSE_VERDICT_UNSPECIFIED || verdict == v1::DOSE_VERDICT_IN_RANGE) {
          sink.ErrorAtValue(path + ".dose_error.verdicts[" + std::to_string(i) + "]",
                            "a dose error is a verdict other than in_range");
        }
      }
      break;
  }
  for (int i = 0; i < rule.states_size(); ++i) {
    CheckState(rule.states(i), path + "." + Indexed("states", i), "state", state_names, sink);
  }
  CheckMoment(rule.measured_from(), path + ".measured_from", state_names, sink);
  CheckNotNegative(rule.within_s(), path + ".within_s", "within_s", sink);
  CheckCompetencies(rule.competencies(), path, sink);
}

void CheckInstructorItem(const v1::InstructorItem& item, const std::string& path,
                         DiagnosticSink& sink) {
  if (item.scale_max() <= item.scale_min()) {
    sink.ErrorAtValue(path + ".scale_max", "scale_max " + Number(item.scale_max()) +
                                               " must be greater than scale_min " +
                                               Number(item.scale_min()));
    return;
  }
  const int points = item.scale_max() - item.scale_min() + 1;
  if (!item.labels().empty() && item.labels_size() != points) {
    sink.ErrorAtKey(path + ".labels", "labels has " + Number(item.labels_size()) +
                                          " entries; the scale has " + Number(points) +
                                          " points, one label each");
  }
  if (item.has_met_at() && (item.met_at() < item.scale_min() || item.met_at() > item.scale_max())) {
    sink.ErrorAtValue(path + ".met_at", "met_at " + Number(item.met_at()) + " is off the scale " +
                                            Number(item.scale_min()) + " to " +
                                            Number(item.scale_max()));
  }
  CheckCompetencies(item.competencies(), path, sink);
}

}  // namespace

void CheckAssessmentRules(const v1::Scenario& scenario, const std::vector<std::string>& state_names,
                          DiagnosticSink& sink) {
  ItemNames names(sink);
  for (int i = 0; i < scenario.critical_actions_size(); ++i) {
    const std::string path = Indexed("critical_actions", i);
    names.Add(scenario.critical_actions(i).name(), path);
    CheckCriticalAction(scenario.critical_actions(i), path, state_names, sink);
  }
  for (int i = 0; i < scenario.order_constraints_size(); ++i) {
    const std::string path = Indexed("order_constraints", i);
    names.Add(scenario.order_constraints(i).name(), path);
    CheckOrderConstraint(scenario.order_constraints(i), path, sink);
  }
  for (int i = 0; i < scenario.commission_rules_size(); ++i) {
    const std::string path = Indexed("commission_rules", i);
    names.Add(scenario.commission_rules(i).name(), path);
    CheckCommission(scenario.commission_rules(i), path, state_names, sink);
  }
  for (int i = 0; i < scenario.instructor_items_size(); ++i) {
    const std::string path = Indexed("instructor_items", i);
    names.Add(scenario.instructor_items(i).name(), path);
    CheckInstructorItem(scenario.instructor_items(i), path, sink);
  }
}

}  // namespace pedisim::scenario::checks
