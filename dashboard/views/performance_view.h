// How the team is doing, from the session's Assessment: the checklist with
// live grades and countdowns to deadlines, CPR quality gauges while
// compressions go on, dose checks, and the competency summary.
#ifndef PEDISIM_DASHBOARD_VIEWS_PERFORMANCE_VIEW_H_
#define PEDISIM_DASHBOARD_VIEWS_PERFORMANCE_VIEW_H_

#include "views/view_context.h"

namespace pedisim::dashboard {

void DrawPerformance(const ViewContext& context);

const char* GradeName(v1::Grade grade);
ImU32 GradeColor(v1::Grade grade);

}  // namespace pedisim::dashboard

#endif  // PEDISIM_DASHBOARD_VIEWS_PERFORMANCE_VIEW_H_
