// CPR quality from synthetic compression, ventilation and shock streams
// whose answers are known by construction.
#include <gtest/gtest.h>

#include <algorithm>

#include "controller/assessment/cpr_quality.h"

namespace pedisim::assessment {
namespace {

void AddRun(CprRecord& record, double start_s, int count, double rate_per_min, double depth_mm,
            bool recoil) {
  for (int i = 0; i < count; ++i) {
    v1::CompressionSample sample;
    sample.set_rate_per_min(rate_per_min);
    sample.set_depth_mm(depth_mm);
    sample.set_full_recoil(recoil);
    record.compressions.push_back({start_s + i * 60.0 / rate_per_min, sample});
  }
}

v1::CprTargets ChildTargets() {
  v1::CprTargets targets;
  targets.set_age_band("child");
  targets.mutable_compression_rate_per_min()->set_min(100);
  targets.mutable_compression_rate_per_min()->set_max(120);
  targets.mutable_compression_depth_mm()->set_min(50);
  targets.set_min_full_recoil_fraction(0.9);
  targets.set_min_compression_fraction(0.8);
  targets.set_max_pause_s(10);
  targets.mutable_ventilation_rate_per_min()->set_min(8);
  targets.mutable_ventilation_rate_per_min()->set_max(30);
  targets.mutable_first_shock_j_per_kg()->set_min(1.9);
  targets.mutable_first_shock_j_per_kg()->set_max(2.1);
  targets.mutable_later_shock_j_per_kg()->set_min(3.8);
  targets.mutable_later_shock_j_per_kg()->set_max(10.5);
  return targets;
}

bool OffTarget(const v1::CprQuality& quality, const std::string& metric) {
  return std::find(quality.off_target().begin(), quality.off_target().end(), metric) !=
         quality.off_target().end();
}

// Pulseless 0-100 s; 120/min at 50 mm with recoil from 10 to 60 s, a 12 s
// pause (two shocks), then 120/min at 38 mm leaning from 72 to 100 s;
// a breath every 4 s during compressions and one in the pause.
TEST(CprQualityTest, ArrestWithOnePauseAndShallowLeaningCompressions) {
  CprRecord record;
  record.pulseless.push_back({0, 100});
  AddRun(record, 10, 100, 120, 50, true);
  AddRun(record, 72, 56, 120, 38, false);
  for (double t = 12; t <= 56; t += 4) record.ventilations.push_back(t);
  record.ventilations.push_back(65);
  for (double t = 74; t <= 98; t += 4) record.ventilations.push_back(t);
  record.shocks.push_back({61, 40});
  record.shocks.push_back({70, 80});
  const v1::CprTargets targets = ChildTargets();

  const v1::CprQuality quality = MeasureCpr(record, 120, 20, &targets);

  EXPECT_EQ(quality.compressions(), 156u);
  EXPECT_DOUBLE_EQ(quality.compression_rate_per_min(), 120);
  EXPECT_NEAR(quality.compression_depth_mm(), (100 * 50.0 + 56 * 38.0) / 156, 1e-9);
  EXPECT_NEAR(quality.full_recoil_fraction(), 100.0 / 156, 1e-9);
  // Compressions covered 10-60 s and 72-100 s of 100 pulseless seconds.
  EXPECT_NEAR(quality.compression_fraction(), 0.78, 1e-9);
  EXPECT_NEAR(quality.pulseless_s(), 100, 1e-9);
  EXPECT_NEAR(quality.longest_pause_s(), 12, 1e-9);
  EXPECT_EQ(quality.pauses_over_limit(), 1u);
  EXPECT_EQ(quality.ventilations(), 20u);
  // 19 breaths during 78 s of compressions; the one in the pause does not count.
  EXPECT_NEAR(quality.ventilation_rate_per_min(), 19 * 60.0 / 78, 1e-9);
  EXPECT_NEAR(quality.time_to_first_compression_s(), 10, 1e-9);
  EXPECT_NEAR(quality.time_to_first_shock_s(), 61, 1e-9);
  ASSERT_EQ(quality.shock_energy_j_per_kg_size(), 2);
  EXPECT_NEAR(quality.shock_energy_j_per_kg(0), 2, 1e-9);
  EXPECT_NEAR(quality.shock_energy_j_per_kg(1), 4, 1e-9);
  EXPECT_EQ(quality.measured_from(), "first loss of pulse at 0.0 s");

  EXPECT_FALSE(OffTarget(quality, "compression_rate_per_min"));
  EXPECT_TRUE(OffTarget(quality, "compression_depth_mm"));
  EXPECT_TRUE(OffTarget(quality, "full_recoil_fraction"));
  EXPECT_TRUE(OffTarget(quality, "compression_fraction"));
  EXPECT_TRUE(OffTarget(quality, "pauses_over_limit"));
  EXPECT_FALSE(OffTarget(quality, "ventilation_rate_per_min"));
  EXPECT_FALSE(OffTarget(quality, "shock_energy_j_per_kg"));
}

// A newborn's bradycardia: the pulse never goes, compressions stop once the
// heart rate recovers, and that stop is not a pause.
TEST(CprQualityTest, CompressionsWithAPulseAreJudgedOverTheirOwnSpan) {
  CprRecord record;
  AddRun(record, 86, 90, 90, 40, true);  // 60 s at 90/min
  const v1::CprQuality quality = MeasureCpr(record, 300, 4, nullptr);
  EXPECT_EQ(quality.compressions(), 90u);
  EXPECT_NEAR(quality.compression_fraction(), 1.0, 1e-9);
  EXPECT_EQ(quality.longest_pause_s(), 0);
  EXPECT_EQ(quality.pauses_over_limit(), 0u);
  EXPECT_NEAR(quality.time_to_first_compression_s(), 86, 1e-9);
  EXPECT_FALSE(quality.has_time_to_first_shock_s());
  EXPECT_EQ(quality.measured_from(), "scenario start");
  EXPECT_EQ(quality.off_target_size(), 0);
}

// Still pulseless when measured: stopping compressions is a pause that
// lasts until now, and the wait for the first compression is its own metric.
TEST(CprQualityTest, StoppingCompressionsInAnOngoingArrestIsAPause) {
  CprRecord record;
  record.pulseless.push_back({5, std::nullopt});
  AddRun(record, 20, 17, 100, 50, true);  // 20.0 to 29.6 s, covering to 30.2 s
  const v1::CprTargets targets = ChildTargets();
  const v1::CprQuality quality = MeasureCpr(record, 50, 20, &targets);
  EXPECT_NEAR(quality.pulseless_s(), 45, 1e-9);
  EXPECT_NEAR(quality.compression_fraction(), 10.2 / 45, 1e-9);
  EXPECT_NEAR(quality.longest_pause_s(), 19.8, 1e-9);
  EXPECT_EQ(quality.pauses_over_limit(), 1u);
  EXPECT_NEAR(quality.time_to_first_compression_s(), 15, 1e-9);
  EXPECT_EQ(quality.ventilations(), 0u);
  EXPECT_TRUE(OffTarget(quality, "ventilation_rate_per_min"));
}

TEST(CprQualityTest, TargetsFollowTheAgeBand) {
  v1::GuidelineSet set;
  v1::CprTargets& infant = *set.add_cpr_targets();
  infant.set_age_band("infant");
  infant.mutable_age_years()->set_max(1);
  v1::CprTargets& child = *set.add_cpr_targets();
  child.set_age_band("child");
  child.mutable_age_years()->set_min(1);
  ASSERT_NE(CprTargetsFor(set, 0.5), nullptr);
  EXPECT_EQ(CprTargetsFor(set, 0.5)->age_band(), "infant");
  EXPECT_EQ(CprTargetsFor(set, 1)->age_band(), "child");
  EXPECT_EQ(CprTargetsFor(v1::GuidelineSet(), 1), nullptr);
}

}  // namespace
}  // namespace pedisim::assessment
