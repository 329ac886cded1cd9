#include "model/dose_preview.h"

#include <gtest/gtest.h>

namespace pedisim::dashboard {
namespace {

v1::GuidelineSet Guidelines() {
  v1::GuidelineSet guidelines;
  guidelines.set_name("test");
  guidelines.set_dose_tolerance(0.05);
  v1::DrugEntry* epinephrine = guidelines.add_drugs();
  epinephrine->set_drug("epinephrine");
  epinephrine->add_aliases("adrenaline");
  v1::DoseRule* rule = epinephrine->add_doses();
  rule->add_routes("IV");
  rule->add_routes("IO");
  rule->mutable_dose_mg_per_kg()->set_min(0.01);
  rule->mutable_dose_mg_per_kg()->set_max(0.01);
  rule->set_max_single_dose_mg(1);
  return guidelines;
}

TEST(DosePreviewTest, ConvertsBetweenMgAndMgPerKg) {
  EXPECT_DOUBLE_EQ(DoseInMg(0.01, DoseUnit::kMgPerKg, 7.4), 0.074);
  EXPECT_DOUBLE_EQ(DoseInMg(0.5, DoseUnit::kMg, 7.4), 0.5);
  const DosePreview preview =
      PreviewDose(Guidelines(), "epinephrine", "IV", 0.074, DoseUnit::kMg, {7.4, 0.5});
  EXPECT_DOUBLE_EQ(preview.dose_mg_per_kg, 0.01);
}

TEST(DosePreviewTest, PerKgDoseInRangeForTheWeight) {
  const DosePreview preview =
      PreviewDose(Guidelines(), "Epinephrine", "io", 0.01, DoseUnit::kMgPerKg, {7.4, 0.5});
  EXPECT_EQ(preview.check.verdict(), v1::DOSE_VERDICT_IN_RANGE);
  EXPECT_DOUBLE_EQ(preview.dose_mg, 0.074);
  ASSERT_TRUE(preview.check.expected_mg().has_min() && preview.check.expected_mg().has_max());
  EXPECT_DOUBLE_EQ(preview.check.expected_mg().max(), 0.074);
  EXPECT_NE(preview.summary.find("0.074 mg"), std::string::npos) << preview.summary;
}

TEST(DosePreviewTest, MgTypedAsMgPerKgIsATenfoldOverdose) {
  // 0.1 mg/kg instead of 0.01: the slipped decimal point.
  const DosePreview preview =
      PreviewDose(Guidelines(), "adrenaline", "IV", 0.1, DoseUnit::kMgPerKg, {7.4, 0.5});
  EXPECT_EQ(preview.check.verdict(), v1::DOSE_VERDICT_TENFOLD_OVER);
}

TEST(DosePreviewTest, SingleDoseCapBoundsTheRangeForAHeavyChild) {
  const DosePreview capped =
      PreviewDose(Guidelines(), "epinephrine", "IV", 1, DoseUnit::kMg, {120, 16});
  EXPECT_EQ(capped.check.verdict(), v1::DOSE_VERDICT_IN_RANGE) << capped.summary;
  const DosePreview over =
      PreviewDose(Guidelines(), "epinephrine", "IV", 1.2, DoseUnit::kMg, {120, 16});
  // Within the per-kg range, above the cap: the controller's own verdict.
  EXPECT_EQ(over.check.verdict(), v1::DOSE_VERDICT_ABOVE_MAX_SINGLE) << over.summary;
}

TEST(DosePreviewTest, UnderdoseUnknownDrugRouteAndMissingInputs) {
  EXPECT_EQ(PreviewDose(Guidelines(), "epinephrine", "IV", 0.05, DoseUnit::kMg, {7.4, 0.5})
                .check.verdict(),
            v1::DOSE_VERDICT_UNDER);
  EXPECT_EQ(
      PreviewDose(Guidelines(), "unobtainium", "IV", 1, DoseUnit::kMg, {7.4, 0.5}).check.verdict(),
      v1::DOSE_VERDICT_UNKNOWN_DRUG);
  EXPECT_EQ(PreviewDose(Guidelines(), "epinephrine", "IM", 0.07, DoseUnit::kMg, {7.4, 0.5})
                .check.verdict(),
            v1::DOSE_VERDICT_ROUTE_NOT_LISTED);
  EXPECT_FALSE(
      PreviewDose(Guidelines(), "epinephrine", "IV", 0, DoseUnit::kMg, {7.4, 0.5}).has_dose);
  EXPECT_FALSE(
      PreviewDose(Guidelines(), "epinephrine", "IV", 0.01, DoseUnit::kMgPerKg, {0, 0.5}).has_dose);
}

}  // namespace
}  // namespace pedisim::dashboard
