#ifndef PEDISIM_CONTROLLER_ASSESSMENT_ASSESSOR_H_
#define PEDISIM_CONTROLLER_ASSESSMENT_ASSESSOR_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "controller/assessment/cpr_quality.h"
#include "controller/assessment/dose_check.h"
#include "pedisim/v1/assessment.pb.h"
#include "pedisim/v1/event.pb.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::assessment {

// What the assessor reads of the simulation after each step.
struct StepView {
  double sim_time_s = 0;
  bool pulse_present = true;
  // The vitals as on_vital triggers read them (no noise); asked only while
  // a vital-crossing moment is awaited.
  std::function<v1::Vitals()> trigger_vitals;
};

// An instructor's change, or why it was refused.
struct Change {
  enum class Refusal { kNone, kNotFound, kInvalid };
  Refusal refusal = Refusal::kNone;
  // "item: no item 'x'" when refused.
  std::string message;
  // The event to record when accepted (sim time, agent, payload set).
  v1::Event event;
};

// Grades one session (or dry run) from its events and simulated time, and
// nothing else, so that the same scenario, seed and inputs grade the same.
// Every event recorded is shown to Observe and every step to Step; both
// return the events the assessor wants recorded in consequence (grades,
// omissions at their deadline, dose flags), which the caller numbers,
// records and shows back to Observe. Not thread-safe: the session's lock
// covers it.
class Assessor {
 public:
  // `scenario` (with its guidelines resolved) must outlive the assessor.
  Assessor(const v1::Scenario& scenario, PatientSize patient);

  std::vector<v1::Event> Observe(const v1::Event& event);
  std::vector<v1::Event> Step(const StepView& view);

  Change OverrideGrade(const std::string& item, v1::Grade grade, const std::string& comment,
                       const std::string& instructor);
  Change ScoreItem(const std::string& item, int score, const std::string& comment,
                   const std::string& instructor);
  Change SetMode(v1::LearningMode mode, const std::string& instructor);
  Change Release(const std::string& instructor);
  // The change an OverrideGrade, ScoreItem, SetMode or Release recorded in
  // `recorded`, made again: how a forked session re-runs its origin's record.
  Change Reapply(const v1::Event& recorded);

  // The whole assessment now, as the instructor sees it.
  v1::Assessment Current() const;
  // Whether the instructor has released the scores to the learners.
  bool released() const { return released_; }
  // Whether a grade, dose check or visibility changed since the last call.
  bool TakeChanged();
  // Whether something counts down (a deadline, a window) or CPR goes on, so
  // that watchers should get the assessment each simulated second.
  bool Live() const;

 private:
  // One graded item: its definition (one of the four pointers) and grade.
  struct Item {
    v1::ItemGrade grade;
    const v1::CriticalAction* critical = nullptr;
    const v1::OrderConstraint* order = nullptr;
    const v1::CommissionRule* commission = nullptr;
    const v1::InstructorItem* instructor = nullptr;
    // Index into moments_ of the moment its window opens at; -1 for none.
    int moment = -1;
    // An instructor's grade stands: the assessor no longer changes it.
    bool overridden = false;
    int matches = 0;
    // Order constraints: the first action that counted as `first`.
    std::optional<v1::Evidence> first_done;
    // Commission rules: fluid given in the window, and whether the team
    // was ever in one of the rule's states.
    double fluid_ml = 0;
    std::vector<v1::Evidence> fluids;
    bool state_seen = false;
  };
  // A moment windows are measured from, and when it came.
  struct MomentState {
    v1::Moment moment;
    std::optional<double> opened_s;
    uint64_t cause_event_id = 0;
    std::string description;
    std::optional<double> crossing_since_s;
  };

  int AddMoment(const v1::Moment& moment);
  void OpenMoment(MomentState& moment, double now_s, uint64_t cause, const std::string& why);
  void OnStateEntered(const v1::Event& event);
  void OnAction(const v1::Event& event, std::vector<v1::Event>& out);
  void JudgeCritical(Item& item, const v1::Event& event, std::vector<v1::Event>& out);
  void JudgeOrder(Item& item, const v1::Event& event, std::vector<v1::Event>& out);
  void JudgeCommission(Item& item, const v1::Event& event, const v1::DoseCheck* dose,
                       std::vector<v1::Event>& out);
  bool InCommissionWindow(const Item& item, double now_s) const;
  void Finish(double now_s, std::vector<v1::Event>& out);
  void Decide(Item& item, v1::Grade grade, std::string reason, const v1::Event* evidence,
              std::vector<v1::Event>& out, v1::EventKind kind = v1::EVENT_KIND_ITEM_GRADED);
  v1::Event MakeEvent(v1::EventKind kind, v1::Agent agent, const std::string& source,
                      uint64_t cause, std::string summary) const;
  Item* FindItem(const std::string& name);

  const v1::Scenario& scenario_;
  const PatientSize patient_;
  const v1::CprTargets* cpr_targets_ = nullptr;
  std::vector<Item> items_;
  std::vector<MomentState> moments_;
  std::vector<v1::DoseCheck> dose_checks_;
  CprRecord cpr_;
  std::string current_state_;
  double now_s_ = 0;
  v1::LearningMode mode_;
  bool released_ = false;
  bool finished_ = false;
  bool changed_ = true;
};

}  // namespace pedisim::assessment

#endif  // PEDISIM_CONTROLLER_ASSESSMENT_ASSESSOR_H_
