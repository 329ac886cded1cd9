#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controller/assessment/cpr_quality.h"
#include "controller/assessment/judges/judge.h"
#include "controller/assessment/moment_state.h"
#include "controller/engine/action_ledger.h"
#include "core/dosing/dose_check.h"
#include "core/patient/patient_size.h"
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
// records and shows back to Observe. Each item has its judge (judges/);
// the assessor keeps what items share: the moments windows open at, dose
// checks, CPR, overrides, visibility and the assessment as a whole.
// Not thread-safe: the session's lock covers it.
class Assessor {
 public:
  // `scenario` (with its guidelines resolved) must outlive the assessor.
  Assessor(const v1::Scenario& scenario, patient::PatientSize patient);
  // Judges point into the assessor's moments.
  Assessor(const Assessor&) = delete;
  Assessor& operator=(const Assessor&) = delete;

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
  MomentState* AddMoment(const v1::Moment& moment);
  void OpenMoment(MomentState& moment, double now_s, uint64_t cause, const std::string& why);
  void OnStateEntered(const v1::Event& event);
  void OnAction(const v1::Event& event, std::vector<v1::Event>& out);
  void Finish(double now_s, std::vector<v1::Event>& out);
  // Records what a judge ruled: a decision as an event in `out`.
  void Record(const Judge& judge, const Ruling& ruling, std::vector<v1::Event>& out);
  v1::Event MakeEvent(v1::EventKind kind, v1::Agent agent, const std::string& source,
                      uint64_t cause, std::string summary) const;
  Judge* FindJudge(const std::string& name);
  // The item an instructor means by `name`: exact, else the same but for
  // case, '-', '_' and spaces, else the one item it begins. Null with
  // `*refusal` filled (NOT_FOUND listing the items, or the candidates of
  // an ambiguous prefix) otherwise.
  Judge* FindItem(const std::string& name, Change* refusal);
  std::vector<Judge*> AllJudges() const;
  Change NoSuchItem(const std::string& name) const;

  const v1::Scenario& scenario_;
  const patient::PatientSize patient_;
  const v1::CprTargets* cpr_targets_ = nullptr;
  // A deque, so that the moments judges point to stay put as more are added.
  std::deque<MomentState> moments_;
  // What conditions of critical actions read (CriticalAction.condition).
  engine::ActionLedger ledger_;
  // One per item, in the scenario's order: critical actions, order
  // constraints, commission rules, instructor items.
  std::vector<std::unique_ptr<Judge>> judges_;
  std::vector<v1::DoseCheck> dose_checks_;
  CprRecord cpr_;
  double now_s_ = 0;
  v1::LearningMode mode_;
  bool released_ = false;
  bool finished_ = false;
  bool changed_ = true;
};

}  // namespace pedisim::assessment
