#include "model/alarm_tracker.h"

#include <gtest/gtest.h>

namespace pedisim::dashboard {
namespace {

TEST(AlarmTrackerTest, NewAlarmFlashesUntilAcknowledged) {
  AlarmTracker alarms;
  alarms.Update({"heart_rate_bpm"});
  EXPECT_EQ(alarms.Look("heart_rate_bpm", 0), AlarmLook::kFlashing);
  EXPECT_EQ(alarms.Look("spo2_pct", 0), AlarmLook::kNone);
  EXPECT_TRUE(alarms.AnyUnacknowledged());
  alarms.Acknowledge();
  EXPECT_EQ(alarms.Look("heart_rate_bpm", 1), AlarmLook::kSteady);
  EXPECT_FALSE(alarms.AnyUnacknowledged());
  alarms.Update({"heart_rate_bpm"});
  EXPECT_EQ(alarms.Look("heart_rate_bpm", 2), AlarmLook::kSteady) << "stays acknowledged";
}

TEST(AlarmTrackerTest, AlarmEndsWhenBackWithinLimitsAndANewCrossingFlashesAgain) {
  AlarmTracker alarms;
  alarms.Update({"spo2_pct"});
  alarms.Acknowledge();
  alarms.Update({});
  EXPECT_EQ(alarms.Look("spo2_pct", 0), AlarmLook::kNone);
  EXPECT_FALSE(alarms.AnyAlarming());
  alarms.Update({"spo2_pct"});
  EXPECT_EQ(alarms.Look("spo2_pct", 0), AlarmLook::kFlashing);
}

TEST(AlarmTrackerTest, AcknowledgeCoversOnlyAlarmsPresentThen) {
  AlarmTracker alarms;
  alarms.Update({"heart_rate_bpm"});
  alarms.Acknowledge();
  alarms.Update({"heart_rate_bpm", "etco2_mmhg"});
  EXPECT_EQ(alarms.Look("heart_rate_bpm", 0), AlarmLook::kSteady);
  EXPECT_EQ(alarms.Look("etco2_mmhg", 0), AlarmLook::kFlashing);
}

TEST(AlarmTrackerTest, SilenceStopsFlashingForTwoMinutes) {
  AlarmTracker alarms;
  alarms.Update({"heart_rate_bpm"});
  alarms.Silence(10);
  EXPECT_TRUE(alarms.Silenced(10));
  EXPECT_EQ(alarms.Look("heart_rate_bpm", 60), AlarmLook::kSteady);
  EXPECT_DOUBLE_EQ(alarms.SilenceLeft(70), 60);
  EXPECT_EQ(alarms.Look("heart_rate_bpm", 10 + AlarmTracker::kSilenceS), AlarmLook::kFlashing)
      << "an unacknowledged alarm flashes again once the silence is over";
  EXPECT_TRUE(alarms.AnyUnacknowledged());
}

}  // namespace
}  // namespace pedisim::dashboard
