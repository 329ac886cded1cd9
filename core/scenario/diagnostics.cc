#include "core/scenario/diagnostics.h"

#include <algorithm>
#include <utility>

namespace pedisim::scenario {

using pedisim::v1::Diagnostic;

Diagnostic MakeDiagnostic(Diagnostic::Severity severity, std::string_view file,
                          SourceLocation location, std::string_view field_path,
                          std::string message) {
  Diagnostic diagnostic;
  diagnostic.set_severity(severity);
  diagnostic.set_file(std::string(file));
  diagnostic.set_line(location.line);
  diagnostic.set_column(location.column);
  diagnostic.set_message(std::move(message));
  diagnostic.set_field_path(std::string(field_path));
  return diagnostic;
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& diagnostic) {
    return diagnostic.severity() == Diagnostic::SEVERITY_ERROR;
  });
}

std::string FormatDiagnostic(const Diagnostic& diagnostic) {
  std::string text = diagnostic.file();
  if (diagnostic.line() != 0) {
    text += ':' + std::to_string(diagnostic.line());
    if (diagnostic.column() != 0) text += ':' + std::to_string(diagnostic.column());
  }
  text += diagnostic.severity() == Diagnostic::SEVERITY_WARNING ? ": warning: " : ": error: ";
  text += diagnostic.message();
  return text;
}

std::string FormatDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const Diagnostic& diagnostic : diagnostics) {
    text += FormatDiagnostic(diagnostic);
    text += '\n';
  }
  return text;
}

void DiagnosticSink::ErrorAtValue(std::string_view field_path, std::string message) {
  Add(Diagnostic::SEVERITY_ERROR, Part::kValue, field_path, std::move(message));
}

void DiagnosticSink::WarningAtValue(std::string_view field_path, std::string message) {
  Add(Diagnostic::SEVERITY_WARNING, Part::kValue, field_path, std::move(message));
}

void DiagnosticSink::ErrorAtKey(std::string_view field_path, std::string message) {
  Add(Diagnostic::SEVERITY_ERROR, Part::kKey, field_path, std::move(message));
}

void DiagnosticSink::WarningAtKey(std::string_view field_path, std::string message) {
  Add(Diagnostic::SEVERITY_WARNING, Part::kKey, field_path, std::move(message));
}

std::string DiagnosticSink::LineOf(std::string_view field_path, std::string_view seen_from) const {
  const SourceFiles::Origin origin = files_->Resolve(field_path);
  const std::string line = std::to_string(origin.source_map.ValueLocation(origin.field_path).line);
  if (origin.file == files_->Resolve(seen_from).file) return "line " + line;
  return origin.file + ":" + line;
}

void DiagnosticSink::Add(Diagnostic::Severity severity, Part part, std::string_view field_path,
                         std::string message) {
  const SourceFiles::Origin origin = files_->Resolve(field_path);
  const SourceLocation location = part == Part::kKey
                                      ? origin.source_map.KeyLocation(origin.field_path)
                                      : origin.source_map.ValueLocation(origin.field_path);
  if (severity == Diagnostic::SEVERITY_ERROR) has_errors_ = true;
  out_.push_back(
      MakeDiagnostic(severity, origin.file, location, origin.field_path, std::move(message)));
}

}  // namespace pedisim::scenario
