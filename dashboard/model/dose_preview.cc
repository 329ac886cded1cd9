#include "model/dose_preview.h"

#include <fmt/format.h>

#include "core/dosing/dose_check.h"
#include "core/text/numbers.h"

namespace pedisim::dashboard {
namespace {

std::string RangeMg(const v1::Range& expected) {
  if (expected.has_min() && expected.has_max()) {
    if (expected.min() == expected.max()) {
      return fmt::format("{} mg", text::PlainNumber(expected.min()));
    }
    return fmt::format("{}-{} mg", text::PlainNumber(expected.min()),
                       text::PlainNumber(expected.max()));
  }
  if (expected.has_min()) return fmt::format("at least {} mg", text::PlainNumber(expected.min()));
  if (expected.has_max()) return fmt::format("at most {} mg", text::PlainNumber(expected.max()));
  return "any dose";
}

const char* VerdictWord(v1::DoseVerdict verdict) {
  switch (verdict) {
    case v1::DOSE_VERDICT_IN_RANGE:
      return "in range";
    case v1::DOSE_VERDICT_UNDER:
      return "UNDER";
    case v1::DOSE_VERDICT_OVER:
      return "OVER";
    case v1::DOSE_VERDICT_ABOVE_MAX_SINGLE:
      return "ABOVE THE LARGEST SINGLE DOSE";
    case v1::DOSE_VERDICT_TENFOLD_UNDER:
      return "TEN-FOLD UNDER";
    case v1::DOSE_VERDICT_TENFOLD_OVER:
      return "TEN-FOLD OVER";
    default:
      return "";
  }
}

}  // namespace

double DoseInMg(double amount, DoseUnit unit, double weight_kg) {
  return unit == DoseUnit::kMg ? amount : amount * weight_kg;
}

DosePreview PreviewDose(const v1::GuidelineSet& guidelines, const std::string& drug,
                        const std::string& route, double amount, DoseUnit unit,
                        const patient::PatientSize& patient) {
  DosePreview preview;
  if (amount <= 0 || patient.weight_kg <= 0) {
    preview.summary =
        patient.weight_kg <= 0 ? "no patient weight: enter the dose in mg" : "enter a dose";
    return preview;
  }
  preview.has_dose = true;
  preview.dose_mg = DoseInMg(amount, unit, patient.weight_kg);
  preview.dose_mg_per_kg = preview.dose_mg / patient.weight_kg;
  v1::LearnerAction action;
  action.set_kind(v1::ACTION_KIND_DRUG);
  action.set_drug(drug);
  action.set_route(route);
  action.set_dose_mg(preview.dose_mg);
  preview.check = dosing::CheckDose(guidelines, action, patient);

  const std::string given =
      fmt::format("{} mg = {} mg/kg at {:g} kg", text::PlainNumber(preview.dose_mg),
                  text::PlainNumber(preview.dose_mg_per_kg), patient.weight_kg);
  switch (preview.check.verdict()) {
    case v1::DOSE_VERDICT_UNKNOWN_DRUG:
      preview.summary = given + "; not in the drug table, not checked";
      break;
    case v1::DOSE_VERDICT_ROUTE_NOT_LISTED:
      preview.summary = fmt::format("{}; no {} dose for route {}", given, drug, route);
      break;
    default:
      preview.summary = fmt::format("{}: {}; expected {}", VerdictWord(preview.check.verdict()),
                                    given, RangeMg(preview.check.expected_mg()));
  }
  return preview;
}

}  // namespace pedisim::dashboard
