// The live view's list of modelled drugs acting now.

#include "model/drug_levels.h"

#include <gtest/gtest.h>

namespace pedisim::dashboard {
namespace {

TEST(DrugLevelsTest, ListsEachDrugStrongestFirstWithWhatItAddsToEachVital) {
  v1::VitalsSample sample;
  v1::DrugLevel& saline = *sample.add_drug_levels();
  saline.set_drug("normal_saline");
  saline.set_level(0.4);
  saline.mutable_changes()->set_heart_rate_bpm(-0.2);  // too small to list
  saline.mutable_changes()->set_nibp_systolic_mmhg(4.2);
  v1::DrugLevel& epinephrine = *sample.add_drug_levels();
  epinephrine.set_drug("epinephrine");
  epinephrine.set_level(1.3);
  epinephrine.set_cause_event_id(17);
  epinephrine.mutable_changes()->set_heart_rate_bpm(84.4);
  epinephrine.mutable_changes()->set_nibp_systolic_mmhg(61);

  const std::vector<DrugLevelLine> lines = DrugLevelLines(sample);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].drug, "epinephrine");
  EXPECT_EQ(lines[0].cause_event_id, 17u);
  EXPECT_EQ(lines[0].changes, "HR +84  SBP +61");
  EXPECT_EQ(lines[1].drug, "normal_saline");
  EXPECT_EQ(lines[1].changes, "SBP +4");
}

TEST(DrugLevelsTest, NoDrugsNoLines) { EXPECT_TRUE(DrugLevelLines(v1::VitalsSample()).empty()); }

}  // namespace
}  // namespace pedisim::dashboard
