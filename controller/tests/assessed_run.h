#pragma once

// One assessed run of a scenario through a real Simulation, driven step by
// step on simulated time: what the assessment tests act on and read grades
// from.

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "controller/session/simulation.h"

namespace pedisim::testing {

class AssessedRun {
 public:
  explicit AssessedRun(v1::Scenario scenario)
      : scenario_(std::move(scenario)), simulation_(scenario_, 1, {}, /*waveforms=*/false) {
    simulation_.fan_out().AddWatcher(&collect_);
    simulation_.Begin();
  }

  void RunTo(double t) {
    while (simulation_.engine().sim_time_s() + 1e-9 < t) simulation_.Tick();
  }
  v1::Event Act(double t, const v1::LearnerAction& action) {
    RunTo(t);
    v1::Event event =
        simulation_.MakeEvent(v1::EVENT_KIND_LEARNER_ACTION, v1::AGENT_LEARNER, "test", "action");
    *event.mutable_action() = action;
    return simulation_.ApplyInput(std::move(event));
  }
  // An instructor's GoToState at t.
  void GoTo(double t, const std::string& state) {
    RunTo(t);
    v1::Event event = simulation_.MakeEvent(v1::EVENT_KIND_STATE_ENTERED, v1::AGENT_INSTRUCTOR,
                                            "test", "go to " + state);
    event.mutable_state_change()->set_from_state(simulation_.engine().current_state());
    event.mutable_state_change()->set_to_state(state);
    simulation_.ApplyInput(std::move(event));
  }
  void End(double t) {
    RunTo(t);
    simulation_.Record(
        simulation_.MakeEvent(v1::EVENT_KIND_SESSION_STOPPED, v1::AGENT_SYSTEM, "", "test ends"));
  }
  v1::ItemGrade Grade(const std::string& item) const {
    const v1::Assessment assessment = Assessment();
    for (const v1::ItemGrade& grade : assessment.items()) {
      if (grade.item() == item) return grade;
    }
    ADD_FAILURE() << "no item " << item;
    return v1::ItemGrade();
  }
  v1::Assessment Assessment() const { return simulation_.assessor().Current(); }
  std::vector<v1::Event> Events(v1::EventKind kind) const {
    std::vector<v1::Event> found;
    for (const v1::Event& event : simulation_.events()) {
      if (event.kind() == kind) found.push_back(event);
    }
    return found;
  }
  session::Simulation& simulation() { return simulation_; }
  const std::vector<v1::SessionUpdate>& updates() const { return updates_; }

 private:
  v1::Scenario scenario_;
  std::vector<v1::SessionUpdate> updates_;
  session::UpdateCallback collect_{
      [this](const v1::SessionUpdate& update) { updates_.push_back(update); }};
  session::Simulation simulation_;
};

}  // namespace pedisim::testing
