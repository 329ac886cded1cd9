// The bar across the top of the live view: what runs and where it stands,
// start / pause / resume / stop, speed, bookmark, and the last notice.
#pragma once

#include <vector>

#include "client/controller_link.h"
#include "views/view_context.h"

namespace pedisim::dashboard {

// The speeds the controller accepts, slowest first.
inline constexpr double kSpeeds[] = {0.25, 0.5, 1, 2, 4, 8};

// The next speed up (+1) or down (-1) from `speed`, within kSpeeds.
double StepSpeed(double speed, int direction);

void DrawControlBar(const ViewContext& context, const std::vector<Notice>& notices);

const char* StatusName(v1::SessionStatus status);

}  // namespace pedisim::dashboard
