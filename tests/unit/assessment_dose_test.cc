// Dose checking against a guideline set's drug table: the range boundaries,
// the tolerance, the single-dose caps and the ten-fold errors.
#include <gtest/gtest.h>

#include "core/dosing/dose_check.h"
#include "core/scenario/guideline_library.h"
#include "core/text/numbers.h"

namespace pedisim::dosing {
namespace {

// A small table with known numbers: epinephrine IV 0.01 mg/kg capped at
// 1 mg, IM 0.01 mg/kg capped at 0.3 mg; adenosine 0.1-0.2 mg/kg; salbutamol
// with a smallest dose; 5 % tolerance.
v1::GuidelineSet TestTable() {
  const scenario::GuidelineSetResult parsed = scenario::ParseGuidelineSet("test-set.yaml", R"(
name: test-set
dose_tolerance: 0.05
drugs:
  - drug: epinephrine
    aliases: [adrenaline]
    doses:
      - {routes: [IV, IO], dose_mg_per_kg: {min: 0.01, max: 0.01}, max_single_dose_mg: 1, source: S16}
      - {routes: [IM], dose_mg_per_kg: {min: 0.01, max: 0.01}, max_single_dose_mg: 0.3}
  - drug: adenosine
    doses:
      - {routes: [IV], dose_mg_per_kg: {min: 0.1, max: 0.2}, max_single_dose_mg: 12}
  - drug: salbutamol
    doses:
      - {dose_mg_per_kg: {min: 0.15, max: 0.3}, min_single_dose_mg: 2.5, max_single_dose_mg: 10}
)");
  EXPECT_TRUE(parsed.ok()) << parsed.FormatDiagnostics();
  return parsed.set.value_or(v1::GuidelineSet());
}

v1::LearnerAction Drug(const std::string& name, double dose_mg, const std::string& route) {
  v1::LearnerAction action;
  action.set_kind(v1::ACTION_KIND_DRUG);
  action.set_drug(name);
  action.set_dose_mg(dose_mg);
  action.set_route(route);
  return action;
}

v1::DoseVerdict Verdict(const std::string& drug, double dose_mg, const std::string& route,
                        double weight_kg, double age_years = 5) {
  return CheckDose(TestTable(), Drug(drug, dose_mg, route), {weight_kg, age_years}).verdict();
}

TEST(DoseCheckTest, RangeBoundariesWithTolerance) {
  // Adenosine at 10 kg: 1-2 mg, 0.95-2.1 mg with 5 %.
  EXPECT_EQ(Verdict("adenosine", 1.0, "IV", 10), v1::DOSE_VERDICT_IN_RANGE);
  EXPECT_EQ(Verdict("adenosine", 2.0, "IV", 10), v1::DOSE_VERDICT_IN_RANGE);
  EXPECT_EQ(Verdict("adenosine", 0.95, "IV", 10), v1::DOSE_VERDICT_IN_RANGE);
  EXPECT_EQ(Verdict("adenosine", 2.1, "IV", 10), v1::DOSE_VERDICT_IN_RANGE);
  EXPECT_EQ(Verdict("adenosine", 0.94, "IV", 10), v1::DOSE_VERDICT_UNDER);
  EXPECT_EQ(Verdict("adenosine", 2.11, "IV", 10), v1::DOSE_VERDICT_OVER);
}

TEST(DoseCheckTest, TenfoldErrorsAreFlaggedAsSuch) {
  // Epinephrine IV at 34 kg: 0.34 mg; 3.4 mg is the ET dose given IV.
  EXPECT_EQ(Verdict("epinephrine", 0.34, "IV", 34), v1::DOSE_VERDICT_IN_RANGE);
  EXPECT_EQ(Verdict("epinephrine", 3.4, "IV", 34), v1::DOSE_VERDICT_TENFOLD_OVER);
  EXPECT_EQ(Verdict("epinephrine", 0.034, "IV", 34), v1::DOSE_VERDICT_TENFOLD_UNDER);
  // Five times is an overdose, not a ten-fold error.
  EXPECT_EQ(Verdict("epinephrine", 1.7, "IV", 34), v1::DOSE_VERDICT_OVER);
  // Just under ten times the lowest correct dose, beyond the tolerance.
  EXPECT_EQ(Verdict("adenosine", 9.0, "IV", 10), v1::DOSE_VERDICT_OVER);
  EXPECT_EQ(Verdict("adenosine", 10.0, "IV", 10), v1::DOSE_VERDICT_TENFOLD_OVER);
  // IM at 12 kg: 0.12 mg; 1.2 mg is the 1 mg/mL volume mistaken for the dose.
  EXPECT_EQ(Verdict("epinephrine", 1.2, "IM", 12), v1::DOSE_VERDICT_TENFOLD_OVER);
  // A tenth of the highest correct adenosine dose (2 mg at 10 kg).
  EXPECT_EQ(Verdict("adenosine", 0.2, "IV", 10), v1::DOSE_VERDICT_TENFOLD_UNDER);
  EXPECT_EQ(Verdict("adenosine", 0.4, "IV", 10), v1::DOSE_VERDICT_UNDER);
}

TEST(DoseCheckTest, TheMaximumSingleDoseCapsTheRange) {
  // 60 kg: 0.01 mg/kg would be 0.6 mg IM, but the cap is 0.3 mg, which is
  // then the correct dose.
  EXPECT_EQ(Verdict("epinephrine", 0.3, "IM", 60, 14), v1::DOSE_VERDICT_IN_RANGE);
  EXPECT_EQ(Verdict("epinephrine", 0.6, "IM", 60, 14), v1::DOSE_VERDICT_ABOVE_MAX_SINGLE);
  EXPECT_EQ(Verdict("epinephrine", 0.32, "IM", 60, 14), v1::DOSE_VERDICT_ABOVE_MAX_SINGLE);
  // 120 kg IV: the 1 mg cap; 1.2 mg is over it though 0.01 mg/kg.
  EXPECT_EQ(Verdict("epinephrine", 1.0, "IV", 120, 16), v1::DOSE_VERDICT_IN_RANGE);
  EXPECT_EQ(Verdict("epinephrine", 1.2, "IV", 120, 16), v1::DOSE_VERDICT_ABOVE_MAX_SINGLE);
}

TEST(DoseCheckTest, TheSmallestSingleDoseRaisesTheRange) {
  // Salbutamol at 12 kg: 0.15 mg/kg is 1.8 mg, but the smallest dose is 2.5 mg.
  EXPECT_EQ(Verdict("salbutamol", 2.5, "INH", 12), v1::DOSE_VERDICT_IN_RANGE);
  EXPECT_EQ(Verdict("salbutamol", 1.8, "INH", 12), v1::DOSE_VERDICT_UNDER);
}

TEST(DoseCheckTest, UnknownDrugsRoutesAndMissingDosesAreSaidSo) {
  EXPECT_EQ(Verdict("diphenhydramine", 12, "IV", 12), v1::DOSE_VERDICT_UNKNOWN_DRUG);
  EXPECT_EQ(Verdict("adenosine", 1, "IM", 10), v1::DOSE_VERDICT_ROUTE_NOT_LISTED);
  v1::LearnerAction no_dose = Drug("adenosine", 0, "IV");
  no_dose.clear_dose_mg();
  EXPECT_EQ(CheckDose(TestTable(), no_dose, {10, 1}).verdict(), v1::DOSE_VERDICT_NO_DOSE);
  // Aliases and case do not matter.
  EXPECT_EQ(Verdict("Adrenaline", 0.34, "io", 34), v1::DOSE_VERDICT_IN_RANGE);
}

TEST(DoseCheckTest, TheCheckExplainsItself) {
  const v1::DoseCheck check = CheckDose(TestTable(), Drug("epinephrine", 3.4, "IV"), {34, 9});
  EXPECT_NEAR(check.dose_mg_per_kg(), 0.1, 1e-12);
  EXPECT_NEAR(check.expected_mg().min(), 0.34, 1e-12);
  EXPECT_NEAR(check.expected_mg().max(), 0.34, 1e-12);
  EXPECT_EQ(check.source(), "S16");
  EXPECT_NE(check.reason().find("TEN-FOLD OVERDOSE"), std::string::npos) << check.reason();
  EXPECT_TRUE(IsDoseError(check.verdict()));
  EXPECT_FALSE(IsDoseError(v1::DOSE_VERDICT_IN_RANGE));
}

TEST(DoseCheckTest, DosesPrintAsPlainNumbers) {
  // 9 g of adenosine at 30 kg: "9000 mg", never "9e+03 mg".
  const v1::DoseCheck check = CheckDose(TestTable(), Drug("adenosine", 9000, "IV"), {30, 9});
  EXPECT_EQ(check.verdict(), v1::DOSE_VERDICT_TENFOLD_OVER);
  EXPECT_NE(check.reason().find("9000 mg (300 mg/kg) is 3000 times"), std::string::npos)
      << check.reason();
  EXPECT_EQ(check.reason().find("e+"), std::string::npos) << check.reason();
}

TEST(PlainNumberTest, ThreeSignificantDigitsWithoutExponentOrTrailingZeros) {
  EXPECT_EQ(text::PlainNumber(9000), "9000");
  EXPECT_EQ(text::PlainNumber(1234.6), "1235");  // the whole part stays
  EXPECT_EQ(text::PlainNumber(64.516), "64.5");
  EXPECT_EQ(text::PlainNumber(0.0123456), "0.0123");
  EXPECT_EQ(text::PlainNumber(2), "2");
  EXPECT_EQ(text::PlainNumber(0), "0");
  EXPECT_EQ(text::PlainNumber(-0.5), "-0.5");
  EXPECT_EQ(text::PlainNumber(0.34, 6), "0.34");
}

TEST(GuidelineSetTest, BadTablesAreErrorsAtTheirLine) {
  const scenario::GuidelineSetResult parsed = scenario::ParseGuidelineSet("mine.yaml", R"(
name: other
drugs:
  - drug: epinephrine
    doses:
      - {dose_mg_per_kg: {min: 0.02, max: 0.01}}
  - drug: Epinephrine
    doses:
      - {routes: [IV]}
)");
  ASSERT_FALSE(parsed.ok());
  const std::string text = parsed.FormatDiagnostics();
  EXPECT_NE(text.find("mine.yaml:2:7: error: guideline set name 'other'"), std::string::npos)
      << text;
  EXPECT_NE(text.find("mine.yaml:6:"), std::string::npos) << text;
  EXPECT_NE(text.find("mine.yaml:7:11: error: drug 'Epinephrine' is listed twice"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("mine.yaml:9:"), std::string::npos) << text;
}

}  // namespace
}  // namespace pedisim::dosing
