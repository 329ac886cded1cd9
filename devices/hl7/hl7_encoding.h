#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace pedisim::devices::hl7 {

// HL7 v2 encoding of one text value with the standard delimiters
// (|^~\&): each delimiter becomes its escape sequence (\F\ \S\ \R\ \E\ \T\),
// so a patient called "O'Brien^x|y" cannot split a field. Control
// characters (a CR would end the segment) become spaces.
std::string Escape(std::string_view text);

// An HL7 DTM in UTC with an explicit offset: "20250102030405+0000".
std::string Timestamp(std::chrono::system_clock::time_point time);

// An NM value with at most one decimal ("168", "37.5", "-0.5"): what a
// monitor shows, and free of exponents that NM does not allow.
std::string Number(double value);

}  // namespace pedisim::devices::hl7
