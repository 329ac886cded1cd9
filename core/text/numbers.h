#pragma once

#include <string>

namespace pedisim::text {

// A number as people read it on a screen or a report: at least
// `significant_digits` significant digits, never fewer than the whole part
// has, in plain notation without an exponent and without trailing zeros
// ("9000", "64.5", "0.0123", "2"). fmt's {:.3g} writes 9000 as "9e+03".
std::string PlainNumber(double value, int significant_digits = 3);

}  // namespace pedisim::text
