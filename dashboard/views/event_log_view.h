// The session's events, newest at the bottom, filterable by text and by
// who caused them; each line names the event that caused it.
#pragma once

#include <array>
#include <span>

#include "views/view_context.h"

namespace pedisim::dashboard {

struct EventLogFilter {
  char text[64] = "";
  // Shown agents, indexed by v1::Agent (unspecified included).
  std::array<bool, 6> agents = {true, true, true, true, true, true};
  bool follow = true;  // keep the newest event in view
};

// True when `event` passes `filter` (pure, for tests and the view).
bool EventPasses(const v1::Event& event, const EventLogFilter& filter);

// `events` in id order (a debrief passes those up to its playhead).
void DrawEventLog(std::span<const v1::Event> events, EventLogFilter& filter);

}  // namespace pedisim::dashboard
