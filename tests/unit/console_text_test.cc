// The text terminal clients print for events (client/console).
#include <gtest/gtest.h>

#include <string>

#include "client/console/formatting.h"
#include "pedisim/v1/event.pb.h"

namespace pedisim::console {
namespace {

v1::Event StateChange(v1::EventKind kind, std::string summary) {
  v1::Event event;
  event.set_kind(kind);
  event.set_agent(v1::AGENT_SCENARIO);
  event.set_sim_time_s(30);
  event.set_summary(std::move(summary));
  event.mutable_state_change()->set_from_state("distress");
  event.mutable_state_change()->set_to_state("better");
  event.mutable_state_change()->set_transition_label("oxygen");
  return event;
}

TEST(ConsoleTextTest, AScheduledTransitionIsNotPrintedAsIfItFired) {
  const std::string scheduled =
      FormatEvent(StateChange(v1::EVENT_KIND_TRANSITION_SCHEDULED, "'better' in 5 s: oxygen"));
  EXPECT_EQ(scheduled.find("==> state"), std::string::npos) << scheduled;
  EXPECT_NE(scheduled.find("scheduled: 'better' in 5 s: oxygen"), std::string::npos) << scheduled;

  const std::string entered =
      FormatEvent(StateChange(v1::EVENT_KIND_STATE_ENTERED, "entered state 'better': oxygen"));
  EXPECT_NE(entered.find("==> state: better  (oxygen)"), std::string::npos) << entered;
}

TEST(ConsoleTextTest, ARelativeStatesVitalsAreListedAsChanges) {
  v1::State absolute;
  absolute.mutable_vitals()->set_heart_rate_bpm(130);
  absolute.set_trend_duration_s(120);
  const std::string listed = FormatStateVitals(absolute);
  EXPECT_EQ(listed.rfind("vitals  HR 130", 0), 0u) << listed;
  EXPECT_NE(listed.find("over 120 s"), std::string::npos) << listed;
  EXPECT_EQ(listed.find("changes"), std::string::npos) << listed;

  v1::State relative;
  relative.set_vitals_relative(true);
  relative.mutable_vitals()->set_heart_rate_bpm(-20);
  const std::string changes = FormatStateVitals(relative);
  EXPECT_EQ(changes.rfind("changes  HR -20", 0), 0u) << changes;
  EXPECT_NE(changes.find("added to the previous targets"), std::string::npos) << changes;

  EXPECT_EQ(FormatStateVitals(v1::State()), "");
}

}  // namespace
}  // namespace pedisim::console
