#include "core/dosing/dose_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <string>

#include "core/dosing/drug_table.h"
#include "core/text/numbers.h"

namespace pedisim::dosing {
namespace {

std::string Mg(double mg) { return fmt::format("{} mg", text::PlainNumber(mg)); }

std::string RangeText(const v1::Range& range, const char* unit) {
  if (range.has_min() && range.has_max() && range.min() == range.max()) {
    return fmt::format("{:g} {}", range.min(), unit);
  }
  if (range.has_min() && range.has_max()) {
    return fmt::format("{:g}-{:g} {}", range.min(), range.max(), unit);
  }
  if (range.has_min()) return fmt::format("at least {:g} {}", range.min(), unit);
  return fmt::format("at most {:g} {}", range.max(), unit);
}

}  // namespace

bool IsDoseError(v1::DoseVerdict verdict) {
  switch (verdict) {
    case v1::DOSE_VERDICT_UNDER:
    case v1::DOSE_VERDICT_OVER:
    case v1::DOSE_VERDICT_TENFOLD_OVER:
    case v1::DOSE_VERDICT_TENFOLD_UNDER:
    case v1::DOSE_VERDICT_ABOVE_MAX_SINGLE:
    case v1::DOSE_VERDICT_ROUTE_NOT_LISTED:
      return true;
    default:
      return false;
  }
}

v1::DoseCheck CheckDose(const v1::GuidelineSet& guidelines, const v1::LearnerAction& drug,
                        const patient::PatientSize& patient) {
  v1::DoseCheck check;
  check.set_drug(drug.drug());
  check.set_route(drug.route());
  const double kg = patient.weight_kg > 0 ? patient.weight_kg : 1;
  if (drug.has_dose_mg()) {
    check.set_dose_mg(drug.dose_mg());
    check.set_dose_mg_per_kg(drug.dose_mg() / kg);
  }
  const v1::DrugEntry* entry = FindDrug(guidelines, drug.drug());
  if (!entry) {
    check.set_verdict(v1::DOSE_VERDICT_UNKNOWN_DRUG);
    check.set_reason(fmt::format("'{}' is not in the {} drug table; dose not checked", drug.drug(),
                                 guidelines.name()));
    return check;
  }
  if (!drug.has_dose_mg()) {
    check.set_verdict(v1::DOSE_VERDICT_NO_DOSE);
    check.set_reason("no dose recorded");
    return check;
  }
  const v1::DoseRule* rule = FindDoseRule(*entry, drug.route(), patient.age_years);
  if (!rule) {
    check.set_verdict(v1::DOSE_VERDICT_ROUTE_NOT_LISTED);
    check.set_reason(fmt::format("{} has no {} dose for route '{}' at this age", entry->drug(),
                                 guidelines.name(), drug.route()));
    return check;
  }
  *check.mutable_expected_mg_per_kg() = rule->dose_mg_per_kg();
  if (rule->has_max_single_dose_mg()) check.set_max_single_dose_mg(rule->max_single_dose_mg());
  check.set_source(rule->source());

  // The per-kg range in mg for this child, bounded by the single-dose caps:
  // a 70 kg adolescent's correct amiodarone dose is the 300 mg cap, not 350 mg.
  constexpr double kUnbounded = std::numeric_limits<double>::infinity();
  const v1::Range& per_kg = rule->dose_mg_per_kg();
  double low = per_kg.has_min() ? per_kg.min() * kg : 0;
  double high = per_kg.has_max() ? per_kg.max() * kg : kUnbounded;
  if (rule->has_max_single_dose_mg()) {
    low = std::min(low, rule->max_single_dose_mg());
    high = std::min(high, rule->max_single_dose_mg());
  }
  if (rule->has_min_single_dose_mg()) {
    low = std::max(low, rule->min_single_dose_mg());
    high = std::max(high, rule->min_single_dose_mg());
  }
  if (low > 0) check.mutable_expected_mg()->set_min(low);
  if (high < kUnbounded) check.mutable_expected_mg()->set_max(high);

  const double dose = drug.dose_mg();
  const double tolerance = guidelines.dose_tolerance();
  const double per_kg_dose = dose / kg;
  const std::string expected = fmt::format("{} = {} at {:g} kg", RangeText(per_kg, "mg/kg"),
                                           RangeText(check.expected_mg(), "mg"), kg);
  const bool above = dose > high * (1 + tolerance);
  const bool below = dose < low * (1 - tolerance);
  if (above && low > 0 && dose >= 10 * low * (1 - tolerance)) {
    check.set_verdict(v1::DOSE_VERDICT_TENFOLD_OVER);
    check.set_reason(fmt::format(
        "TEN-FOLD OVERDOSE: {} ({} mg/kg) is {} times the lowest "
        "correct dose; expected {}",
        Mg(dose), text::PlainNumber(per_kg_dose), text::PlainNumber(dose / low), expected));
  } else if (below && high < kUnbounded && dose <= high / 10 * (1 + tolerance)) {
    check.set_verdict(v1::DOSE_VERDICT_TENFOLD_UNDER);
    check.set_reason(
        fmt::format("TEN-FOLD UNDERDOSE: {} ({} mg/kg) is a tenth or less of "
                    "the highest correct dose; expected {}",
                    Mg(dose), text::PlainNumber(per_kg_dose), expected));
  } else if (above) {
    const bool per_kg_fine = !per_kg.has_max() || per_kg_dose <= per_kg.max() * (1 + tolerance);
    check.set_verdict(per_kg_fine ? v1::DOSE_VERDICT_ABOVE_MAX_SINGLE : v1::DOSE_VERDICT_OVER);
    check.set_reason(per_kg_fine ? fmt::format("{} is above the largest single dose {}", Mg(dose),
                                               Mg(rule->max_single_dose_mg()))
                                 : fmt::format("overdose: {} ({} mg/kg); expected {}", Mg(dose),
                                               text::PlainNumber(per_kg_dose), expected));
  } else if (below) {
    check.set_verdict(v1::DOSE_VERDICT_UNDER);
    check.set_reason(fmt::format("underdose: {} ({} mg/kg); expected {}", Mg(dose),
                                 text::PlainNumber(per_kg_dose), expected));
  } else {
    check.set_verdict(v1::DOSE_VERDICT_IN_RANGE);
    check.set_reason(
        fmt::format("{} ({} mg/kg) within {}", Mg(dose), text::PlainNumber(per_kg_dose), expected));
  }
  return check;
}

}  // namespace pedisim::dosing
