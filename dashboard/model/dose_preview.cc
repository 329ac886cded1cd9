#include "model/dose_preview.h"

#include <fmt/format.h>
#include <strings.h>

#include <algorithm>
#include <limits>

namespace pedisim::dashboard {
namespace {

bool SameWord(const std::string& a, const std::string& b) {
  return a.size() == b.size() && strcasecmp(a.c_str(), b.c_str()) == 0;
}

const v1::DrugEntry* FindDrug(const v1::GuidelineSet& guidelines, const std::string& drug) {
  for (const v1::DrugEntry& entry : guidelines.drugs()) {
    if (SameWord(entry.drug(), drug)) return &entry;
    for (const std::string& alias : entry.aliases()) {
      if (SameWord(alias, drug)) return &entry;
    }
  }
  return nullptr;
}

const v1::DoseRule* FindRule(const v1::DrugEntry& entry, const std::string& route,
                             double age_years) {
  for (const v1::DoseRule& rule : entry.doses()) {
    const bool route_fits =
        rule.routes().empty() ||
        std::any_of(rule.routes().begin(), rule.routes().end(),
                    [&](const std::string& listed) { return SameWord(listed, route); });
    const v1::Range& ages = rule.age_years();
    const bool age_fits =
        (!ages.has_min() || age_years >= ages.min()) && (!ages.has_max() || age_years < ages.max());
    if (route_fits && age_fits) return &rule;
  }
  return nullptr;
}

std::string RangeMg(const DosePreview& preview) {
  if (preview.expected_low_mg && preview.expected_high_mg) {
    if (*preview.expected_low_mg == *preview.expected_high_mg) {
      return fmt::format("{:.3g} mg", *preview.expected_low_mg);
    }
    return fmt::format("{:.3g}-{:.3g} mg", *preview.expected_low_mg, *preview.expected_high_mg);
  }
  if (preview.expected_low_mg) return fmt::format("at least {:.3g} mg", *preview.expected_low_mg);
  if (preview.expected_high_mg) return fmt::format("at most {:.3g} mg", *preview.expected_high_mg);
  return "any dose";
}

}  // namespace

double DoseInMg(double amount, DoseUnit unit, double weight_kg) {
  return unit == DoseUnit::kMg ? amount : amount * weight_kg;
}

double AgeInYears(const v1::Patient& patient) {
  switch (patient.age_case()) {
    case v1::Patient::kAgeDays:
      return patient.age_days() / 365.25;
    case v1::Patient::kAgeMonths:
      return patient.age_months() / 12.0;
    case v1::Patient::kAgeYears:
      return patient.age_years();
    default:
      return 0;
  }
}

bool IsDoseError(DoseVerdict verdict) {
  return verdict == DoseVerdict::kUnder || verdict == DoseVerdict::kOver ||
         verdict == DoseVerdict::kTenfoldUnder || verdict == DoseVerdict::kTenfoldOver ||
         verdict == DoseVerdict::kNoRule;
}

DosePreview PreviewDose(const v1::GuidelineSet& guidelines, const std::string& drug,
                        const std::string& route, double amount, DoseUnit unit, double weight_kg,
                        double age_years) {
  DosePreview preview;
  if (amount <= 0 || weight_kg <= 0) {
    preview.summary = weight_kg <= 0 ? "no patient weight: enter the dose in mg" : "enter a dose";
    return preview;
  }
  preview.dose_mg = DoseInMg(amount, unit, weight_kg);
  preview.dose_mg_per_kg = preview.dose_mg / weight_kg;
  const std::string given = fmt::format("{:.3g} mg = {:.3g} mg/kg at {:g} kg", preview.dose_mg,
                                        preview.dose_mg_per_kg, weight_kg);
  const v1::DrugEntry* entry = FindDrug(guidelines, drug);
  if (!entry) {
    preview.verdict = DoseVerdict::kUnknownDrug;
    preview.summary = given + "; not in the drug table, not checked";
    return preview;
  }
  const v1::DoseRule* rule = FindRule(*entry, route, age_years);
  if (!rule) {
    preview.verdict = DoseVerdict::kNoRule;
    preview.summary = fmt::format("{}; no {} dose for route {}", given, entry->drug(), route);
    return preview;
  }
  // The per-kg range for this child, bounded by the single-dose caps, as
  // the controller's dose check computes it.
  constexpr double kUnbounded = std::numeric_limits<double>::infinity();
  const v1::Range& per_kg = rule->dose_mg_per_kg();
  double low = per_kg.has_min() ? per_kg.min() * weight_kg : 0;
  double high = per_kg.has_max() ? per_kg.max() * weight_kg : kUnbounded;
  if (rule->has_max_single_dose_mg()) {
    low = std::min(low, rule->max_single_dose_mg());
    high = std::min(high, rule->max_single_dose_mg());
  }
  if (rule->has_min_single_dose_mg()) {
    low = std::max(low, rule->min_single_dose_mg());
    high = std::max(high, rule->min_single_dose_mg());
  }
  if (low > 0) preview.expected_low_mg = low;
  if (high < kUnbounded) preview.expected_high_mg = high;

  const double tolerance = guidelines.dose_tolerance();
  const double dose = preview.dose_mg;
  const bool above = dose > high * (1 + tolerance);
  const bool below = dose < low * (1 - tolerance);
  if (above && low > 0 && dose >= 10 * low * (1 - tolerance)) {
    preview.verdict = DoseVerdict::kTenfoldOver;
  } else if (below && high < kUnbounded && dose <= high / 10 * (1 + tolerance)) {
    preview.verdict = DoseVerdict::kTenfoldUnder;
  } else if (above) {
    preview.verdict = DoseVerdict::kOver;
  } else if (below) {
    preview.verdict = DoseVerdict::kUnder;
  } else {
    preview.verdict = DoseVerdict::kInRange;
  }
  static constexpr const char* kWords[] = {
      "", "", "", "in range", "UNDER", "OVER", "TEN-FOLD UNDER", "TEN-FOLD OVER"};
  preview.summary = fmt::format("{}: {}; expected {}", kWords[static_cast<int>(preview.verdict)],
                                given, RangeMg(preview));
  return preview;
}

}  // namespace pedisim::dashboard
