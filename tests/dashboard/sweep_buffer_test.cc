#include "model/sweep_buffer.h"

#include <gtest/gtest.h>

#include <vector>

namespace pedisim::dashboard {
namespace {

std::vector<float> Ramp(int count, float from = 0) {
  std::vector<float> values(count);
  for (int i = 0; i < count; ++i) values[i] = from + static_cast<float>(i);
  return values;
}

TEST(SweepBufferTest, SlotsCoverTheWindowAtTheSampleRate) {
  SweepBuffer sweep(/*window_s=*/2.0, /*gap_s=*/0.0);
  EXPECT_EQ(sweep.slot_count(), 0u);
  sweep.Append(0.0, 100, Ramp(10));
  EXPECT_EQ(sweep.slot_count(), 200u);
  EXPECT_EQ(sweep.At(3), 3.0f);
  EXPECT_FALSE(sweep.At(50).has_value()) << "not written yet";
  EXPECT_DOUBLE_EQ(sweep.head_fraction(), 10.0 / 200.0);
}

TEST(SweepBufferTest, HeadWrapsAndOverwritesTheOldestSweep) {
  SweepBuffer sweep(1.0, 0.0);
  sweep.Append(0.0, 10, Ramp(10));      // fills the window: values 0..9
  sweep.Append(1.0, 10, Ramp(3, 100));  // the next sweep starts at slot 0
  EXPECT_EQ(sweep.At(0), 100.0f);
  EXPECT_EQ(sweep.At(2), 102.0f);
  EXPECT_EQ(sweep.At(3), 3.0f) << "the previous sweep stays right of the head";
  EXPECT_DOUBLE_EQ(sweep.head_fraction(), 0.3);
}

TEST(SweepBufferTest, GapAheadOfTheHeadIsBlank) {
  SweepBuffer sweep(1.0, /*gap_s=*/0.2);
  sweep.Append(0.0, 10, Ramp(10));
  sweep.Append(1.0, 10, Ramp(5, 100));  // head at slot 5
  EXPECT_FALSE(sweep.At(5).has_value());
  EXPECT_FALSE(sweep.At(6).has_value());
  EXPECT_EQ(sweep.At(7), 7.0f);
  EXPECT_EQ(sweep.At(4), 104.0f);
}

TEST(SweepBufferTest, JumpForwardLeavesTheSkippedPartBlank) {
  SweepBuffer sweep(1.0, 0.0);
  sweep.Append(0.0, 10, Ramp(10));
  sweep.Append(1.5, 10, Ramp(2, 100));  // slots 0..4 of this sweep were skipped
  EXPECT_FALSE(sweep.At(0).has_value());
  EXPECT_FALSE(sweep.At(4).has_value());
  EXPECT_EQ(sweep.At(5), 100.0f);
  EXPECT_EQ(sweep.At(7), 7.0f);
}

TEST(SweepBufferTest, JumpBackRestartsTheSweep) {
  SweepBuffer sweep(1.0, 0.0);
  sweep.Append(5.0, 10, Ramp(10));
  sweep.Append(2.0, 10, Ramp(2, 100));  // a replay seeking back
  EXPECT_EQ(sweep.At(0), 100.0f);
  EXPECT_FALSE(sweep.At(5).has_value());
  EXPECT_DOUBLE_EQ(sweep.seconds_shown(), 0.2);
}

TEST(SweepBufferTest, RangeAndSecondsShownFollowWhatIsWritten) {
  SweepBuffer sweep(2.0, 0.0);
  float low = 0;
  float high = 0;
  EXPECT_FALSE(sweep.Range(low, high));
  sweep.Append(0.0, 10, std::vector<float>{-1.0f, 3.0f, 0.5f});
  ASSERT_TRUE(sweep.Range(low, high));
  EXPECT_EQ(low, -1.0f);
  EXPECT_EQ(high, 3.0f);
  EXPECT_DOUBLE_EQ(sweep.seconds_shown(), 0.3);
  sweep.Append(0.3, 10, Ramp(100));
  EXPECT_DOUBLE_EQ(sweep.seconds_shown(), 2.0) << "capped at the window";
}

TEST(SweepBufferTest, NewWindowOrRateClearsTheTrace) {
  SweepBuffer sweep(1.0, 0.0);
  sweep.Append(0.0, 10, Ramp(5));
  sweep.SetWindow(2.0);
  EXPECT_FALSE(sweep.At(0).has_value());
  EXPECT_EQ(sweep.slot_count(), 20u);
  sweep.Append(1.0, 20, Ramp(5));
  EXPECT_EQ(sweep.slot_count(), 40u);
}

}  // namespace
}  // namespace pedisim::dashboard
