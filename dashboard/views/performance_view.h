// How the team is doing, from the session's Assessment: the checklist with
// live grades and countdowns to deadlines, CPR quality gauges while
// compressions go on, dose checks, and the competency summary.
#pragma once

#include "views/view_context.h"

namespace pedisim::dashboard {

void DrawPerformance(const ViewContext& context);

const char* GradeName(v1::Grade grade);
ImU32 GradeColor(v1::Grade grade);

}  // namespace pedisim::dashboard
