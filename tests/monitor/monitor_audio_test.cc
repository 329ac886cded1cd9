// pedisim-monitor's sound, end to end: a real controller, the monitor as a
// separate process playing through SDL's `disk` audio driver (paced in real
// time), and the test analysing the raw samples it wrote (48 kHz mono
// signed 16-bit): the pulse tone's pitch falls as SpO2 falls, the
// high-priority burst plays when HR crosses its limit, and silence follows
// the acknowledgement. Figures are printed; nothing is timed against a
// deadline.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "controller_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

constexpr int kRate = 48000;

struct Tone {
  double start_s;
  double duration_s;
  // From the zero crossings of its middle half.
  double frequency_hz;
};

std::vector<int16_t> ReadRaw(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<int16_t> samples;
  int16_t sample = 0;
  while (in.read(reinterpret_cast<char*>(&sample), sizeof sample)) samples.push_back(sample);
  return samples;
}

// Runs of sound (louder than 2 % of full scale, gaps under 10 ms merged).
std::vector<Tone> FindTones(const std::vector<int16_t>& samples) {
  std::vector<std::pair<size_t, size_t>> runs;
  const size_t merge = kRate / 100;
  size_t last_loud = 0;
  bool any = false;
  for (size_t i = 0; i < samples.size(); ++i) {
    if (std::abs(samples[i]) < 650) continue;
    if (!any || i - last_loud > merge) {
      runs.push_back({i, i + 1});
    } else {
      runs.back().second = i + 1;
    }
    last_loud = i;
    any = true;
  }
  std::vector<Tone> tones;
  for (const auto& [begin, end] : runs) {
    const size_t quarter = (end - begin) / 4;
    // Interpolated zero crossings over the steady middle.
    std::vector<double> crossings;
    for (size_t i = begin + quarter; i + 1 < end - quarter; ++i) {
      const double a = samples[i];
      const double b = samples[i + 1];
      if ((a < 0 && b >= 0) || (a >= 0 && b < 0)) {
        crossings.push_back(static_cast<double>(i) + a / (a - b));
      }
    }
    double frequency = 0;
    if (crossings.size() >= 3) {
      frequency = (crossings.size() - 1) / 2.0 / ((crossings.back() - crossings.front()) / kRate);
    }
    tones.push_back(
        {static_cast<double>(begin) / kRate, static_cast<double>(end - begin) / kRate, frequency});
  }
  return tones;
}

// The status file's lines: seconds since start, then what.
std::vector<std::pair<double, std::string>> ReadStatus(const std::filesystem::path& file) {
  std::vector<std::pair<double, std::string>> lines;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    double at = 0;
    std::string what;
    words >> at;
    std::getline(words >> std::ws, what);
    lines.push_back({at, what});
  }
  return lines;
}

std::optional<double> StatusTime(const std::filesystem::path& file, const std::string& prefix) {
  for (const auto& [at, what] : ReadStatus(file)) {
    if (what.rfind(prefix, 0) == 0) return at;
  }
  return std::nullopt;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

class MonitorAudioTest : public ::testing::Test {
 protected:
  MonitorAudioTest()
      : controller_(PEDISIM_TEST_ASSESSMENT_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {}

  // The 'assessed' fixture: a 5-year-old at HR 110, SpO2 98 without noise,
  // waiting for the instructor (limits HR 75-160, SpO2 90-100).
  v1::Session CreateAndStart() {
    v1::CreateSessionRequest create;
    create.set_scenario_id("assessed");
    v1::Session session;
    grpc::ClientContext create_context;
    EXPECT_TRUE(sessions_->Create(&create_context, create, &session).ok());
    v1::SessionRef ref;
    ref.set_session_id(session.id());
    grpc::ClientContext start_context;
    v1::Session started;
    EXPECT_TRUE(sessions_->Start(&start_context, ref, &started).ok());
    return session;
  }

  void Attach(const std::string& session_id, v1::MonitorSensor sensor) {
    v1::LogActionRequest request;
    request.set_session_id(session_id);
    request.mutable_action()->set_kind(v1::ACTION_KIND_SENSOR_ATTACHED);
    request.mutable_action()->set_sensor(sensor);
    v1::Event event;
    grpc::ClientContext context;
    ASSERT_TRUE(sessions_->LogAction(&context, request, &event).ok());
  }

  void Hold(const std::string& session_id, const v1::Vitals& vitals) {
    v1::OverrideVitalsRequest request;
    request.set_session_id(session_id);
    *request.mutable_vitals() = vitals;
    v1::Event event;
    grpc::ClientContext context;
    const grpc::Status status = sessions_->OverrideVitals(&context, request, &event);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Starts the monitor in the background with its sound going to `raw`.
  std::thread StartMonitor(const v1::Session& session, const std::string& extra,
                           CommandResult* result) {
    const std::string command = "SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE='" + raw_.string() + "' " +
                                std::string(PEDISIM_MONITOR_BIN) + " --headless --controller " +
                                controller_.address() + " --token-file '" +
                                controller_.admin_token_file().string() + "' --pairing-code " +
                                session.pairing_code() + " --size 640x360 --status-file '" +
                                status_.string() + "' " + extra;
    return std::thread([command, result] { *result = RunCommand(command); });
  }

  // Waits for the monitor to show live data; bounded only against a hang.
  bool WaitForLive() {
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < give_up) {
      if (StatusTime(status_, "live")) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  TempDir temp_;
  const std::filesystem::path raw_ = temp_.path() / "out.raw";
  const std::filesystem::path status_ = temp_.path() / "status.txt";
};

TEST_F(MonitorAudioTest, PulseTonePitchFallsAsSaturationFalls) {
  const v1::Session session = CreateAndStart();
  Attach(session.id(), v1::MONITOR_SENSOR_ECG_LEADS);
  Attach(session.id(), v1::MONITOR_SENSOR_SPO2_PROBE);
  CommandResult result;
  // Alarm audio paused from the start: only the pulse tone sounds, also
  // once the desaturation alarms.
  std::thread monitor = StartMonitor(session, "--press pause@0 --frames 1200", &result);
  ASSERT_TRUE(WaitForLive());
  std::this_thread::sleep_for(std::chrono::seconds(10));
  v1::Vitals desaturated;
  desaturated.set_spo2_pct(80);
  Hold(session.id(), desaturated);
  monitor.join();
  ASSERT_EQ(result.exit_code, 0) << result.output;

  const std::vector<Tone> tones = FindTones(ReadRaw(raw_));
  ASSERT_GE(tones.size(), 20u) << "beeps heard";
  std::vector<double> first;
  std::vector<double> last;
  for (size_t i = 2; i < 8; ++i) first.push_back(tones[i].frequency_hz);
  for (size_t i = tones.size() - 6; i < tones.size(); ++i) last.push_back(tones[i].frequency_hz);
  const double before_hz = Median(first);
  const double after_hz = Median(last);
  // Beeps per second against HR 110 (1.83 a second).
  const double span_s = tones.back().start_s - tones.front().start_s;
  std::cout << "pulse tone: " << tones.size() << " beeps over " << span_s << " s ("
            << (tones.size() - 1) / span_s * 60 << " a minute at HR 110); SpO2 98 % -> "
            << before_hz << " Hz, SpO2 80 % -> " << after_hz << " Hz (expected " << 163 + 499 * 0.98
            << " and " << 163 + 499 * 0.80 << ")\n";
  EXPECT_NEAR(before_hz, 163 + 499 * 0.98, 10);
  EXPECT_NEAR(after_hz, 163 + 499 * 0.80, 10);
  for (const Tone& tone : tones) EXPECT_LT(tone.duration_s, 0.1) << "only pulse tones";
}

TEST_F(MonitorAudioTest, HighPriorityBurstWhenHeartRateCrossesItsLimitThenSilenceOnAcknowledge) {
  const v1::Session session = CreateAndStart();
  Attach(session.id(), v1::MONITOR_SENSOR_ECG_LEADS);
  CommandResult result;
  std::thread monitor = StartMonitor(session, "--press ack@12 --frames 1100", &result);
  ASSERT_TRUE(WaitForLive());
  v1::Vitals tachycardic;
  tachycardic.set_heart_rate_bpm(200);
  Hold(session.id(), tachycardic);
  monitor.join();
  ASSERT_EQ(result.exit_code, 0) << result.output;

  const std::optional<double> audio_s = StatusTime(status_, "audio");
  const std::optional<double> ack_s = StatusTime(status_, "pressed ack");
  ASSERT_TRUE(audio_s && ack_s) << result.output;
  ASSERT_EQ(StatusTime(status_, "pressed ack (no effect)"), std::nullopt);
  const double ack_in_audio_s = *ack_s - *audio_s;

  const std::vector<Tone> tones = FindTones(ReadRaw(raw_));
  ASSERT_GE(tones.size(), 10u);
  // The first burst: ten pulses, 3 + 2, a pause, 3 + 2.
  std::vector<Tone> burst(tones.begin(), tones.begin() + 10);
  std::vector<double> gaps;
  for (size_t i = 1; i < burst.size(); ++i) {
    gaps.push_back(burst[i].start_s - (burst[i - 1].start_s + burst[i - 1].duration_s));
  }
  std::cout << "high-priority burst: pulses";
  for (const Tone& tone : burst) std::cout << " " << static_cast<int>(tone.duration_s * 1000);
  std::cout << " ms; gaps";
  for (double gap : gaps) std::cout << " " << static_cast<int>(gap * 1000);
  std::cout << " ms; ack at " << ack_in_audio_s << " s of audio\n";
  for (const Tone& tone : burst) {
    EXPECT_GT(tone.duration_s, 0.075);
    EXPECT_LT(tone.duration_s, 0.2);
  }
  // Pulse 5 to 6 is the pause (350-1300 ms), every other space shorter.
  EXPECT_EQ(std::max_element(gaps.begin(), gaps.end()) - gaps.begin(), 4);
  EXPECT_GT(gaps[4], 0.35);
  EXPECT_LT(gaps[4], 1.3);
  EXPECT_GT(gaps[2], gaps[1]) << "3 + 2";
  // Bursts before the acknowledgement, silence after it (allowing for one
  // audio buffer in flight), for longer than the 8 s between bursts.
  size_t after_ack = 0;
  for (const Tone& tone : tones) after_ack += tone.start_s > ack_in_audio_s + 0.1;
  EXPECT_EQ(after_ack, 0u);
  const double recorded_s = static_cast<double>(ReadRaw(raw_).size()) / kRate;
  std::cout << "recorded " << recorded_s << " s, silent for " << recorded_s - ack_in_audio_s
            << " s after the acknowledgement\n";
  EXPECT_GT(recorded_s - ack_in_audio_s, 8.5);

  // The debrief's line names the alarm silenced and the device it was
  // silenced on (the session's events, replayed by Watch).
  v1::WatchRequest watch;
  watch.set_session_id(session.id());
  watch.set_after_event_id(0);
  grpc::ClientContext watch_context;
  watch_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  std::unique_ptr<grpc::ClientReader<v1::SessionUpdate>> events =
      sessions_->Watch(&watch_context, watch);
  v1::SessionUpdate update;
  std::string acknowledged;
  while (acknowledged.empty() && events->Read(&update)) {
    if (update.has_event() && update.event().has_action() &&
        update.event().action().kind() == v1::ACTION_KIND_ALARM_ACKNOWLEDGED) {
      acknowledged = update.event().summary();
      EXPECT_EQ(update.event().source(), "monitor");
      EXPECT_NE(update.event().action().alarm().find("HR HIGH"), std::string::npos)
          << update.event().action().alarm();
    }
  }
  watch_context.TryCancel();
  std::cout << "debrief line: " << acknowledged << "\n";
  EXPECT_NE(acknowledged.find("HR HIGH"), std::string::npos) << acknowledged;
  EXPECT_NE(acknowledged.find(" on monitor"), std::string::npos) << acknowledged;
}

}  // namespace
}  // namespace pedisim::testing
