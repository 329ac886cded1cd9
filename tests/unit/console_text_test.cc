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

}  // namespace
}  // namespace pedisim::console
