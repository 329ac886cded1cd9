#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/scenario/source_files.h"
#include "core/scenario/source_map.h"
#include "pedisim/v1/scenario.pb.h"

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

// Appends diagnostics, placing each through the source map of the file its
// field was written in, so that checks name fields by path instead of
// tracking positions. Not copyable: it may point into itself.
class DiagnosticSink {
 public:
  // For a message read from one file.
  DiagnosticSink(std::string_view file, const SourceMap& source_map,
                 std::vector<pedisim::v1::Diagnostic>& out)
      : own_files_(std::in_place, std::string(file), source_map), files_(&*own_files_), out_(out) {}
  // For a message assembled from several files; `files` must outlive the sink.
  DiagnosticSink(const SourceFiles& files, std::vector<pedisim::v1::Diagnostic>& out)
      : files_(&files), out_(out) {}
  DiagnosticSink(const DiagnosticSink&) = delete;
  DiagnosticSink& operator=(const DiagnosticSink&) = delete;

  // At the field's value: for problems with what was written.
  void ErrorAtValue(std::string_view field_path, std::string message);
  void WarningAtValue(std::string_view field_path, std::string message);
  // At the field's name: for problems with the field as a whole, and for
  // missing fields (the path resolves to the message that lacks it).
  void ErrorAtKey(std::string_view field_path, std::string message);
  void WarningAtKey(std::string_view field_path, std::string message);

  // Where `field_path` was written, as a diagnostic about `seen_from` should
  // mention it: "line 7" in the same file, "fragments/arrest.yaml:7" in
  // another one.
  std::string LineOf(std::string_view field_path, std::string_view seen_from) const;

  // True once an error has been added through this sink.
  bool has_errors() const { return has_errors_; }

 private:
  enum class Part { kKey, kValue };
  void Add(pedisim::v1::Diagnostic::Severity severity, Part part, std::string_view field_path,
           std::string message);

  std::optional<SourceFiles> own_files_;
  const SourceFiles* files_;
  std::vector<pedisim::v1::Diagnostic>& out_;
  bool has_errors_ = false;
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
