// Per-parameter override: hold a vital at a value (reached over a trend
// time) and release it back to the script, one click each.
#pragma once

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
