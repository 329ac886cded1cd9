// The limits' parts without a server: the token bucket of device message
// rates, the device channel's account of what waits, and the counters.

#include "controller/limits/limit_counters.h"

#include <gtest/gtest.h>

#include "controller/device_gateway/device_channel.h"
#include "controller/limits/token_bucket.h"

namespace pedisim::limits {
namespace {

using std::chrono::milliseconds;

TEST(TokenBucketTest, AllowsTheBurstAtOnceThenTheRate) {
  TokenBucket bucket(/*rate_per_s=*/10, /*burst=*/5);
  const TokenBucket::Clock::time_point start{};
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(bucket.Take(start)) << i;
  EXPECT_FALSE(bucket.Take(start));
  EXPECT_FALSE(bucket.Take(start + milliseconds(50)));  // half a token
  EXPECT_TRUE(bucket.Take(start + milliseconds(100)));
  EXPECT_FALSE(bucket.Take(start + milliseconds(100)));
  // A long pause refills no more than the burst.
  const auto later = start + std::chrono::seconds(60);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(bucket.Take(later)) << i;
  EXPECT_FALSE(bucket.Take(later));
}

TEST(TokenBucketTest, KeepsUpWithASixtyHertzManikinAtTheDefaults) {
  const LimitSettings defaults;
  TokenBucket bucket(defaults.device_message_rate, defaults.device_message_burst);
  TokenBucket::Clock::time_point now{};
  // Ten minutes of 60 samples and one heartbeat a second, then the same
  // after a 10 s network stall delivered all at once.
  for (int second = 0; second < 600; ++second, now += std::chrono::seconds(1)) {
    for (int message = 0; message < 61; ++message) ASSERT_TRUE(bucket.Take(now));
  }
  now += std::chrono::seconds(10);
  for (int message = 0; message < 610; ++message) ASSERT_TRUE(bucket.Take(now)) << message;
}

TEST(LimitCountersTest, CountsEachLimitApartAndReportsTheSettings) {
  LimitSettings settings;
  settings.max_sessions = 3;
  LimitCounters counters(settings);
  counters.Hit(Limit::kSessions);
  counters.Hit(Limit::kSessions);
  counters.Hit(Limit::kDeviceStall);
  const std::vector<LimitFigure> figures = counters.Figures();
  ASSERT_EQ(figures.size(), kLimitCount);
  for (const LimitFigure& figure : figures) {
    if (figure.flag == "max-sessions") {
      EXPECT_EQ(figure.value, 3);
      EXPECT_EQ(figure.hits, 2u);
    } else if (figure.flag == "device-stall-ms") {
      EXPECT_EQ(figure.hits, 1u);
    } else {
      EXPECT_EQ(figure.hits, 0u) << figure.flag;
    }
  }
}

TEST(DeviceChannelTest, AccountsForWhatWaitsAndSinceWhenNothingWasTaken) {
  device_gateway::DeviceChannel channel("tcp", {v1::WAVEFORM_KIND_ECG_II}, {.waveform_chunks = 2});
  EXPECT_FALSE(channel.figures().waiting_since);
  channel.SendHeartbeat();
  v1::SessionUpdate chunk;
  chunk.mutable_waveform()->set_kind(v1::WAVEFORM_KIND_ECG_II);
  chunk.mutable_waveform()->add_samples(1.0f);
  for (int i = 0; i < 5; ++i) channel.PushUpdate(chunk);  // three dropped
  device_gateway::DeviceChannel::Figures figures = channel.figures();
  EXPECT_EQ(figures.queued_messages, 3u);
  EXPECT_GT(figures.queued_bytes, 0u);
  ASSERT_TRUE(figures.waiting_since);
  size_t taken_bytes = 0;
  v1::ControllerMessage message;
  while (channel.PopOutgoing(&message)) taken_bytes += message.ByteSizeLong();
  EXPECT_EQ(taken_bytes, figures.queued_bytes);
  figures = channel.figures();
  EXPECT_EQ(figures.queued_messages, 0u);
  EXPECT_EQ(figures.queued_bytes, 0u);
  EXPECT_FALSE(figures.waiting_since);
}

}  // namespace
}  // namespace pedisim::limits
