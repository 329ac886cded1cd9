#include "controller/scenario/diagnostics.h"

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
  Add(Diagnostic::SEVERITY_ERROR, source_map_.ValueLocation(field_path), field_path,
      std::move(message));
}

void DiagnosticSink::WarningAtValue(std::string_view field_path, std::string message) {
  Add(Diagnostic::SEVERITY_WARNING, source_map_.ValueLocation(field_path), field_path,
      std::move(message));
}

void DiagnosticSink::ErrorAtKey(std::string_view field_path, std::string message) {
  Add(Diagnostic::SEVERITY_ERROR, source_map_.KeyLocation(field_path), field_path,
      std::move(message));
}

void DiagnosticSink::WarningAtKey(std::string_view field_path, std::string message) {
  Add(Diagnostic::SEVERITY_WARNING, source_map_.KeyLocation(field_path), field_path,
      std::move(message));
}

void DiagnosticSink::Add(Diagnostic::Severity severity, SourceLocation location,
                         std::string_view field_path, std::string message) {
  out_.push_back(MakeDiagnostic(severity, file_, location, field_path, std::move(message)));
}

}  // namespace pedisim::scenario
