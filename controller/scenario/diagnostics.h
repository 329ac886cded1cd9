#ifndef PEDISIM_CONTROLLER_SCENARIO_DIAGNOSTICS_H_
#define PEDISIM_CONTROLLER_SCENARIO_DIAGNOSTICS_H_

#include <string>
#include <string_view>
#include <vector>

#include "pedisim/v1/scenario.pb.h"
#include "controller/scenario/source_map.h"

namespace pedisim::scenario {

pedisim::v1::Diagnostic MakeDiagnostic(pedisim::v1::Diagnostic::Severity severity,
                                       std::string_view file, SourceLocation location,
                                       std::string_view field_path, std::string message);

bool HasErrors(const std::vector<pedisim::v1::Diagnostic>& diagnostics);

// "file:line:col: error: message"; the line and column are left out when
// unknown, so the result stays a valid compiler-style location.
std::string FormatDiagnostic(const pedisim::v1::Diagnostic& diagnostic);

// One FormatDiagnostic line each, every line ending in '\n'.
std::string FormatDiagnostics(const std::vector<pedisim::v1::Diagnostic>& diagnostics);

// Appends diagnostics for one file, placing each through the file's source
// map so that checks name fields by path instead of tracking positions.
class DiagnosticSink {
 public:
  DiagnosticSink(std::string_view file, const SourceMap& source_map,
                 std::vector<pedisim::v1::Diagnostic>& out)
      : file_(file), source_map_(source_map), out_(out) {}

  // At the field's value: for problems with what was written.
  void ErrorAtValue(std::string_view field_path, std::string message);
  void WarningAtValue(std::string_view field_path, std::string message);
  // At the field's name: for problems with the field as a whole, and for
  // missing fields (the path resolves to the message that lacks it).
  void ErrorAtKey(std::string_view field_path, std::string message);
  void WarningAtKey(std::string_view field_path, std::string message);

  const SourceMap& source_map() const { return source_map_; }

 private:
  void Add(pedisim::v1::Diagnostic::Severity severity, SourceLocation location,
           std::string_view field_path, std::string message);

  std::string file_;
  const SourceMap& source_map_;
  std::vector<pedisim::v1::Diagnostic>& out_;
};

// What every parse returns besides the parsed message: its diagnostics and
// where each field was written (for diagnostics raised later, e.g. at run
// time, about a field of the same file).
struct ParseReport {
  std::vector<pedisim::v1::Diagnostic> diagnostics;
  SourceMap source_map;

  // True when there are no errors; warnings are allowed.
  bool ok() const { return !HasErrors(diagnostics); }
  std::string FormatDiagnostics() const { return scenario::FormatDiagnostics(diagnostics); }
};

}  // namespace pedisim::scenario

#endif  // PEDISIM_CONTROLLER_SCENARIO_DIAGNOSTICS_H_
