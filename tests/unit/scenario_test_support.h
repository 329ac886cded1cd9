#pragma once

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/scenario/diagnostics.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::scenario::testing {

inline std::filesystem::path FixturePath(const std::string& relative) {
  return std::filesystem::path(PEDISIM_TEST_FIXTURES_DIR) / "scenarios" / relative;
}

inline std::string ReadFixture(const std::string& relative) {
  std::ifstream stream(FixturePath(relative), std::ios::binary);
  std::ostringstream content;
  content << stream.rdbuf();
  return content.str();
}

// Diagnostics as the compiler-style lines users see, for whole-line asserts.
inline std::vector<std::string> Lines(const std::vector<pedisim::v1::Diagnostic>& diagnostics) {
  std::vector<std::string> lines;
  for (const pedisim::v1::Diagnostic& diagnostic : diagnostics) {
    lines.push_back(FormatDiagnostic(diagnostic));
  }
  return lines;
}

}  // namespace pedisim::scenario::testing

namespace pedisim::scenario {

inline void PrintTo(const SourceLocation& location, std::ostream* out) {
  *out << location.line << ":" << location.column;
}

}  // namespace pedisim::scenario

namespace pedisim::v1 {

// gtest prints failing matcher arguments; the compiler-style line reads
// better than a message dump (and avoids GCC 12's false -Wrestrict in
// gtest's generic protobuf printer).
inline void PrintTo(const Diagnostic& diagnostic, std::ostream* out) {
  *out << pedisim::scenario::FormatDiagnostic(diagnostic);
}

}  // namespace pedisim::v1
