#pragma once

#include <string>
#include <string_view>

namespace pedisim::text {

// Equal but for ASCII case: how drug names, routes and aliases are compared
// ("Epinephrine" is "epinephrine").
bool SameWord(std::string_view a, std::string_view b);

// `text` in ASCII lower case.
std::string Lower(std::string_view text);

}  // namespace pedisim::text
