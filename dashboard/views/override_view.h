// Per-parameter override: hold a vital at a value (reached over a trend
// time) and release it back to the script, one click each.
#ifndef PEDISIM_DASHBOARD_VIEWS_OVERRIDE_VIEW_H_
#define PEDISIM_DASHBOARD_VIEWS_OVERRIDE_VIEW_H_

#include <map>
#include <string>

#include "views/view_context.h"

namespace pedisim::dashboard {

struct OverrideForm {
  double trend_s = 10;
  // Typed targets by Vitals field name; absent = the current value.
  std::map<std::string, double> targets;
};

void DrawOverrides(const ViewContext& context, OverrideForm& form);

}  // namespace pedisim::dashboard

#endif  // PEDISIM_DASHBOARD_VIEWS_OVERRIDE_VIEW_H_
