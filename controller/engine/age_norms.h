#pragma once

#include "pedisim/v1/vitals.pb.h"

namespace pedisim::engine {

// Mid-range normal vitals for a child of this age, used for any parameter a
// scenario's initial state leaves unset.
v1::Vitals NormalVitalsForAge(double age_years);

}  // namespace pedisim::engine
