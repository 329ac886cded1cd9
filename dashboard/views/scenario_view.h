// The scenario as a state graph with the current state highlighted, the
// time spent in it, and the transitions that can fire next with what each
// waits for. One click on a state (or a pending transition's button, or
// Ctrl+1..9) forces the session there.
#pragma once

#include "views/view_context.h"

namespace pedisim::dashboard {

void DrawScenario(const ViewContext& context);

}  // namespace pedisim::dashboard
