#pragma once

#include <google/protobuf/repeated_field.h>

#include <cstdint>
#include <string>

#include "controller/assessment/moment_state.h"
#include "pedisim/v1/assessment.pb.h"
#include "pedisim/v1/event.pb.h"

namespace pedisim::assessment {

// Events land on 0.1 s steps; a deadline at exactly that step still counts.
inline constexpr double kTimeEpsilonS = 1e-6;

// How an event is cited as evidence in a grade.
v1::Evidence EvidenceOf(const v1::Event& event);

// What a judge made of what it was shown. The grade is already on the
// judge's item; the assessor records a decision as an event.
struct Ruling {
  enum class Outcome { kNone, kEvidenceAdded, kGraded, kOmitted };
  Outcome outcome = Outcome::kNone;
  // The event a decision rests on: the deciding action, or for an omission
  // the event that opened the window; 0 for none.
  uint64_t cause_event_id = 0;
};

// A learner action as judges see it.
struct ActionSeen {
  const v1::Event& event;
  // The action's dose check (drugs, when the scenario has guidelines).
  const v1::DoseCheck* dose = nullptr;
  // The assessor's clock, which decisions are stamped with.
  double now_s = 0;
};

// Judges one assessment item of one kind and keeps its grade. The assessor
// shows every judge the same events in the same order, so that grades are
// deterministic; it stops showing actions, steps and the end to a judge
// whose grade an instructor overrode.
class Judge {
 public:
  virtual ~Judge() = default;
  Judge(const Judge&) = delete;
  Judge& operator=(const Judge&) = delete;

  const v1::ItemGrade& grade() const { return grade_; }
  // The moment this item's window is measured from; null for none.
  const MomentState* window() const { return window_; }
  bool overridden() const { return overridden_; }

  // The window's moment came at now_s.
  virtual void OnWindowOpened(double now_s);
  virtual void OnStateEntered(const std::string& state);
  virtual Ruling OnAction(const ActionSeen& seen);
  // A simulation step at step_s, when a deadline may pass; now_s is the
  // assessor's clock, which decisions are stamped with.
  virtual Ruling AtStep(double step_s, double now_s);
  // The session ended at ended_s with this item still pending.
  virtual Ruling AtEnd(double ended_s, double now_s);

  // Evidence the assessor recorded about this item (its omission event).
  void AddEvidence(const v1::Event& event);
  // An instructor's grade stands: the judge no longer changes it.
  void Override(v1::Grade grade, const std::string& comment, const std::string& instructor,
                double now_s);
  // The grade a recorded override or score set (a forked session re-running
  // its origin's record).
  void Restore(const v1::ItemGrade& grade);

 protected:
  Judge(v1::ItemType type, const std::string& name, const std::string& rationale,
        const google::protobuf::RepeatedField<int>& competencies, const MomentState* window);

  // Sets the grade, citing `evidence` (the deciding event) when there is one.
  Ruling Decide(v1::Grade grade, std::string reason, const v1::Event* evidence, double now_s);
  // Grades the item omitted: its deadline passed undone.
  Ruling Omit(std::string reason, double now_s);
  // Cites an event in the grade without changing it.
  Ruling KeepAsEvidence(const v1::Event& event);
  // Whether the item is pending and its window's deadline has come by step_s.
  bool DeadlinePassed(double step_s) const;
  // The session ended at ended_s before this pending item's deadline, or
  // before its moment came: nobody can say it was done or omitted.
  Ruling EndedBeforeTheDeadline(double ended_s, double now_s);

  v1::ItemGrade grade_;

 private:
  const MomentState* window_;
  bool overridden_ = false;
};

}  // namespace pedisim::assessment
