// The devices of the session: status, link, latency, and the capabilities
// the scenario needs that no device provides; and the room's monitors as
// the instructor sets them (screen live, blank or frozen, parameters
// hidden, volume).
#pragma once

#include "views/view_context.h"

namespace pedisim::dashboard {

void DrawDevices(const ViewContext& context);

}  // namespace pedisim::dashboard
