#include "controller/scenario/scenario_loader.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "controller/scenario/scenario_checks.h"
#include "controller/scenario/yaml_proto.h"

namespace pedisim::scenario {
namespace {

using pedisim::v1::ActionScript;
using pedisim::v1::Diagnostic;
using pedisim::v1::Patient;
using pedisim::v1::Scenario;

constexpr double kDaysPerYear = 365.25;
constexpr double kDaysPerMonth = kDaysPerYear / 12;
// The 6-12 year formula is used up to 14 years by some tools; beyond that
// it overshoots, so older patients are estimated as 14-year-olds.
constexpr double kOldestAgeForFormulaYears = 14;

// Diagnostics in file order read like a compiler's; stable, so that several
// at one position keep the order in which they were found.
void SortByPosition(std::vector<Diagnostic>& diagnostics) {
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::pair(a.line(), a.column()) < std::pair(b.line(), b.column());
                   });
}

// Reads the whole file, or explains in `error` why it cannot.
std::optional<std::string> ReadFile(const std::filesystem::path& path, std::string& error) {
  std::error_code status_error;
  if (std::filesystem::is_directory(path, status_error)) {
    error = "cannot read file: it is a directory";
    return std::nullopt;
  }
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    error = std::string("cannot read file: ") + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream content;
  content << stream.rdbuf();
  if (stream.bad()) {
    error = "cannot read file: read error";
    return std::nullopt;
  }
  return std::move(content).str();
}

template <typename Result>
Result LoadFile(const std::filesystem::path& path,
                Result (*parse)(std::string_view file_name, std::string_view content)) {
  std::string error;
  std::optional<std::string> content = ReadFile(path, error);
  if (!content) {
    Result result;
    result.diagnostics.push_back(
        MakeDiagnostic(Diagnostic::SEVERITY_ERROR, path.string(), {}, "", std::move(error)));
    return result;
  }
  return parse(path.string(), *content);
}

}  // namespace

LoadResult ParseScenario(std::string_view file_name, std::string_view content) {
  LoadResult result;
  Scenario scenario;
  if (ParseYamlToMessage(file_name, content, scenario, result)) {
    DiagnosticSink sink(file_name, result.source_map, result.diagnostics);
    CheckScenario(scenario, sink);
  }
  SortByPosition(result.diagnostics);
  if (!result.ok()) return result;
  Patient& patient = *scenario.mutable_patient();
  if (!patient.has_weight_kg()) {
    patient.set_weight_kg(EstimateWeightKg(patient));
    patient.set_weight_estimated(true);
  }
  result.scenario = std::move(scenario);
  return result;
}

LoadResult LoadScenarioFile(const std::filesystem::path& path) {
  return LoadFile<LoadResult>(path, &ParseScenario);
}

ActionScriptResult ParseActionScript(std::string_view file_name, std::string_view content) {
  ActionScriptResult result;
  ActionScript script;
  if (ParseYamlToMessage(file_name, content, script, result)) {
    DiagnosticSink sink(file_name, result.source_map, result.diagnostics);
    CheckActionScript(script, sink);
  }
  SortByPosition(result.diagnostics);
  if (result.ok()) result.script = std::move(script);
  return result;
}

ActionScriptResult LoadActionScriptFile(const std::filesystem::path& path) {
  return LoadFile<ActionScriptResult>(path, &ParseActionScript);
}

double AgeInYears(const Patient& patient) {
  switch (patient.age_case()) {
    case Patient::kAgeDays:
      return patient.age_days() / kDaysPerYear;
    case Patient::kAgeMonths:
      return patient.age_months() / 12.0;
    case Patient::kAgeYears:
      return patient.age_years();
    case Patient::AGE_NOT_SET:
      break;
  }
  return 0;
}

// Updated APLS age-based weight formulas, /work/shared/reference/clinical.md
// section 2a [S12]; measured weight always supersedes them.
double EstimateWeightKg(const Patient& patient) {
  const double age_years = AgeInYears(patient);
  if (age_years < 1) {
    const double age_months = patient.age_case() == Patient::kAgeMonths
                                  ? patient.age_months()
                                  : age_years * kDaysPerYear / kDaysPerMonth;
    return 0.5 * age_months + 4;
  }
  const double whole_years = std::min(std::floor(age_years), kOldestAgeForFormulaYears);
  if (whole_years <= 5) return 2 * whole_years + 8;
  return 3 * whole_years + 7;
}

}  // namespace pedisim::scenario
