// pedisim-monitor --role defibrillator against a real controller: pads on,
// an energy chosen, charged and shocked on its touch keys (scripted with
// --press), and the shock reaches the session as a learner action with its
// energy, mode and pads, checked per kilogram by the controller's
// assessment as any shock is. Its sounds, through SDL's disk driver: the
// charge tone rising while charging and steady once charged, silence after
// the shock, the CPR metronome at 110 a minute.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "controller_process.h"
#include "pedisim/v1/assessment_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "png_probe.h"
#include "run_command.h"
#include "session_events.h"

namespace pedisim::testing {
namespace {

constexpr int kRate = 48000;  // the disk driver's samples: mono, 16-bit

// The seconds since start of the status file's first line starting with
// `what` (after the time), or -1.
double StatusTime(const std::filesystem::path& file, const std::string& what) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    const size_t space = line.find(' ');
    if (space != std::string::npos && line.compare(space + 1, what.size(), what) == 0) {
      return std::stod(line.substr(0, space));
    }
  }
  return -1;
}

std::vector<int16_t> ReadRaw(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<int16_t> samples;
  int16_t sample = 0;
  while (in.read(reinterpret_cast<char*>(&sample), sizeof sample)) samples.push_back(sample);
  return samples;
}

// The pitch of the sound between `from_s` and `to_s` (rising zero
// crossings), 0 for silence.
double PitchHz(const std::vector<int16_t>& samples, double from_s, double to_s) {
  const size_t from = std::min(samples.size(), static_cast<size_t>(std::max(0.0, from_s) * kRate));
  const size_t to = std::min(samples.size(), static_cast<size_t>(std::max(0.0, to_s) * kRate));
  // A rising crossing counts once the signal was clearly negative (armed
  // below -200): silence's noise never counts, a quiet tone still does.
  int crossings = 0;
  size_t first = 0;
  size_t last = 0;
  bool armed = false;
  for (size_t i = from; i < to; ++i) {
    if (samples[i] < -200) armed = true;
    if (armed && samples[i] >= 0) {
      armed = false;
      if (crossings == 0) first = i;
      last = i;
      ++crossings;
    }
  }
  return crossings < 2 ? 0 : (crossings - 1) / (static_cast<double>(last - first) / kRate);
}

// Where runs of sound louder than `threshold` start, in seconds; runs
// closer than 50 ms are one.
std::vector<double> SoundStarts(const std::vector<int16_t>& samples, double from_s, double to_s) {
  std::vector<double> starts;
  const size_t to = std::min(samples.size(), static_cast<size_t>(to_s * kRate));
  double last_loud = -1;
  for (size_t i = static_cast<size_t>(std::max(0.0, from_s) * kRate); i < to; ++i) {
    if (std::abs(samples[i]) < 2000) continue;
    const double at = static_cast<double>(i) / kRate;
    if (last_loud < 0 || at - last_loud > 0.05) starts.push_back(at);
    last_loud = at;
  }
  return starts;
}

class DefibrillatorTest : public ::testing::Test {
 protected:
  DefibrillatorTest()
      : controller_(PEDISIM_TEST_ASSESSMENT_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())),
        assessments_(v1::AssessmentService::NewStub(controller_.channel())) {}

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::AssessmentService::Stub> assessments_;
  TempDir temp_;
};

TEST_F(DefibrillatorTest, AManualShockReachesTheSessionWithItsEnergyAndIsCheckedPerKilogram) {
  // The 'assessed' fixture: a 5-year-old of 20 kg.
  v1::CreateSessionRequest create;
  create.set_scenario_id("assessed");
  v1::Session session;
  grpc::ClientContext create_context;
  ASSERT_TRUE(sessions_->Create(&create_context, create, &session).ok());
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  v1::Session started;
  grpc::ClientContext start_context;
  ASSERT_TRUE(sessions_->Start(&start_context, ref, &started).ok());
  // In VF: the CPR metrics count only shocks given without a pulse.
  v1::GoToStateRequest arrest;
  arrest.set_session_id(session.id());
  arrest.set_state("arrest");
  v1::Event entered;
  grpc::ClientContext arrest_context;
  ASSERT_TRUE(sessions_->GoToState(&arrest_context, arrest, &entered).ok());

  // Child pads; 10 J up four steps to 50 J (2.5 J/kg); charge (3 s to
  // 50 J); shock once charged; then the CPR metronome.
  const std::filesystem::path status = temp_.path() / "status.txt";
  const std::filesystem::path raw = temp_.path() / "defibrillator.raw";
  const CommandResult result =
      RunCommand("SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE='" + raw.string() + "' " +
                 std::string(PEDISIM_MONITOR_BIN) + " --role defibrillator --headless" +
                 " --controller " + controller_.address() + " --token-file '" +
                 controller_.admin_token_file().string() + "' --pairing-code " +
                 session.pairing_code() + " --size 1280x720 --status-file '" + status.string() +
                 "' --press pads-child@0.5 --press energy-up@1 --press energy-up@1.1"
                 " --press energy-up@1.2 --press energy-up@1.3 --press charge@1.5 --press shock@6"
                 " --press metronome@6.5 --frames 600 --screenshot '" +
                 (temp_.path() / "defibrillator.png").string() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;

  // The sounds, on the sound's own timeline (it starts at the "audio" line).
  const double audio_s = StatusTime(status, "audio");
  const double charge_s = StatusTime(status, "pressed charge") - audio_s;
  const double shock_s = StatusTime(status, "pressed shock") - audio_s;
  const double metronome_s = StatusTime(status, "pressed metronome") - audio_s;
  ASSERT_GE(audio_s, 0) << result.output;
  const std::vector<int16_t> sound = ReadRaw(raw);
  const double recorded_s = static_cast<double>(sound.size()) / kRate;
  ASSERT_GT(recorded_s, metronome_s + 3) << result.output;
  // 3 s to 50 J: rising from 440 Hz, 880 Hz once charged, until the shock.
  const double early_hz = PitchHz(sound, charge_s + 0.2, charge_s + 0.5);
  const double late_hz = PitchHz(sound, charge_s + 2.3, charge_s + 2.6);
  const double charged_hz = PitchHz(sound, charge_s + 3.4, shock_s - 0.2);
  std::cout << "charge tone: " << early_hz << " Hz early, " << late_hz << " Hz late, " << charged_hz
            << " Hz charged\n";
  EXPECT_GT(early_hz, 430);
  EXPECT_LT(early_hz, 560);
  EXPECT_GT(late_hz, early_hz + 150) << "rising";
  EXPECT_NEAR(charged_hz, 880, 10);
  EXPECT_TRUE(SoundStarts(sound, shock_s + 0.2, metronome_s - 0.1).empty())
      << "silent after the shock";
  const std::vector<double> clicks = SoundStarts(sound, metronome_s + 0.2, recorded_s);
  ASSERT_GE(clicks.size(), 5u) << "3 s and more at 110 a minute";
  const double per_minute =
      60.0 * static_cast<double>(clicks.size() - 1) / (clicks.back() - clicks.front());
  std::cout << "metronome: " << clicks.size() << " clicks, " << per_minute << " a minute\n";
  EXPECT_NEAR(per_minute, 110, 3);

  // Every press did something.
  std::ifstream lines(status);
  std::string line;
  int presses = 0;
  while (std::getline(lines, line)) {
    if (line.find(" pressed ") == std::string::npos) continue;
    ++presses;
    EXPECT_EQ(line.find("no effect"), std::string::npos) << line;
  }
  EXPECT_EQ(presses, 8);

  v1::Event shock;
  v1::Event pads;
  v1::Event charged;
  for (const v1::Event& event : EventsSoFar(*sessions_, session.id())) {
    if (event.has_action()) {
      if (event.action().kind() == v1::ACTION_KIND_DEFIBRILLATION) shock = event;
      if (event.action().kind() == v1::ACTION_KIND_DEFIBRILLATOR_PADS_ON) pads = event;
      if (event.action().kind() == v1::ACTION_KIND_DEFIBRILLATOR_CHARGED) charged = event;
    }
  }
  ASSERT_TRUE(shock.has_action()) << "no shock in the session";
  EXPECT_EQ(shock.kind(), v1::EVENT_KIND_LEARNER_ACTION);
  EXPECT_EQ(shock.source(), "defibrillator");
  EXPECT_DOUBLE_EQ(shock.action().energy_j(), 50);
  EXPECT_EQ(shock.action().pads(), v1::DEFIBRILLATOR_PADS_CHILD_ADULT);
  EXPECT_EQ(shock.action().defibrillator_mode(), v1::DEFIBRILLATOR_MODE_MANUAL);
  EXPECT_TRUE(shock.has_sensed_sim_time_s());
  EXPECT_EQ(pads.action().pads(), v1::DEFIBRILLATOR_PADS_CHILD_ADULT);
  EXPECT_DOUBLE_EQ(charged.action().energy_j(), 50);
  EXPECT_LT(pads.id(), charged.id());
  EXPECT_LT(charged.id(), shock.id());

  v1::GetAssessmentRequest request;
  request.set_session_id(session.id());
  request.set_viewer_role(v1::VIEWER_ROLE_INSTRUCTOR);
  v1::Assessment assessment;
  grpc::ClientContext assessment_context;
  ASSERT_TRUE(assessments_->GetAssessment(&assessment_context, request, &assessment).ok());
  ASSERT_EQ(assessment.cpr().shock_energy_j_per_kg_size(), 1);
  EXPECT_DOUBLE_EQ(assessment.cpr().shock_energy_j_per_kg(0), 2.5);
}

// The AED on a child in VF (school-age-vf-arrest, 9 years, 34 kg
// estimated): analysis advises a shock, the AED charges itself to 150 J for
// child/adult pads, and the shock reaches the session in AED mode.
TEST(AedTest, AnalysisOfVfAdvisesAShockWhichReachesTheSessionInAedMode) {
  ControllerProcess controller(PEDISIM_SCENARIO_LIBRARY_DIR);
  auto sessions = v1::SessionService::NewStub(controller.channel());
  v1::CreateSessionRequest create;
  create.set_scenario_id("school-age-vf-arrest");
  v1::Session session;
  grpc::ClientContext create_context;
  ASSERT_TRUE(sessions->Create(&create_context, create, &session).ok());
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  v1::Session started;
  grpc::ClientContext start_context;
  ASSERT_TRUE(sessions->Start(&start_context, ref, &started).ok());

  TempDir temp;
  const std::filesystem::path png = temp.path() / "aed.png";
  // Its sound (the spoken prompts) through SDL's disk driver.
  const std::filesystem::path raw = temp.path() / "aed.raw";
  // Mode twice: manual, sync, AED. Analysis 8 s, charge to 150 J about
  // 6 s: the shock is pressed at 18 s.
  const CommandResult result = RunCommand(
      "SDL_AUDIODRIVER=disk SDL_DISKAUDIOFILE='" + raw.string() + "' " +
      std::string(PEDISIM_MONITOR_BIN) + " --role defibrillator --headless" + " --controller " +
      controller.address() + " --token-file '" + controller.admin_token_file().string() +
      "' --pairing-code " + session.pairing_code() +
      " --press pads-child@0.5 --press mode@0.7 --press mode@0.8 --press analyze@1" +
      " --press shock@18 --frames 1260 --layout-report --screenshot '" + png.string() + "'");
  ASSERT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find(" 0 overflowing, 0 overlapping"), std::string::npos)
      << result.output;

  v1::Event charge;
  v1::Event shock;
  for (const v1::Event& event : EventsSoFar(*sessions, session.id())) {
    if (event.has_action() && event.source() == "defibrillator") {
      if (event.action().kind() == v1::ACTION_KIND_DEFIBRILLATOR_CHARGED) charge = event;
      if (event.action().kind() == v1::ACTION_KIND_DEFIBRILLATION) shock = event;
    }
  }
  ASSERT_TRUE(charge.has_action()) << "the AED did not charge: no shock advised?";
  EXPECT_EQ(charge.action().defibrillator_mode(), v1::DEFIBRILLATOR_MODE_AED);
  EXPECT_DOUBLE_EQ(charge.action().energy_j(), 150);
  ASSERT_TRUE(shock.has_action()) << "no shock in the session";
  EXPECT_EQ(shock.action().defibrillator_mode(), v1::DEFIBRILLATOR_MODE_AED);
  EXPECT_DOUBLE_EQ(shock.action().energy_j(), 150);
  EXPECT_EQ(shock.action().pads(), v1::DEFIBRILLATOR_PADS_CHILD_ADULT);

  // The prompts were spoken (espeak-ng, which ./pedisim installs): 48 kHz
  // mono 16-bit, counted in 10 ms windows with sound.
  std::ifstream in(raw, std::ios::binary);
  std::vector<int16_t> samples;
  int16_t sample = 0;
  while (in.read(reinterpret_cast<char*>(&sample), sizeof sample)) samples.push_back(sample);
  int loud_windows = 0;
  for (size_t start = 0; start + 480 <= samples.size(); start += 480) {
    int peak = 0;
    for (size_t i = start; i < start + 480; ++i) peak = std::max(peak, std::abs(samples[i]));
    loud_windows += peak > 1000;
  }
  std::cout << "AED: " << loud_windows / 100.0 << " s of speech in "
            << static_cast<double>(samples.size()) / 48000 << " s of sound\n";
  EXPECT_GT(loud_windows, 200) << "less than 2 s of spoken prompts";
}

// CPR feedback from the manikin's compression samples: at 110 a minute
// but 25 mm deep on a 5-year-old (target about 50 mm), the rate bar is on
// target (green) and the depth bar is not (red).
TEST(CprFeedbackTest, TheBarsShowRateOnTargetAndDepthTooShallow) {
  ControllerProcess controller(PEDISIM_TEST_ASSESSMENT_DIR);
  auto sessions = v1::SessionService::NewStub(controller.channel());
  v1::CreateSessionRequest create;
  create.set_scenario_id("assessed");
  v1::Session session;
  grpc::ClientContext create_context;
  ASSERT_TRUE(sessions->Create(&create_context, create, &session).ok());
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  v1::Session started;
  grpc::ClientContext start_context;
  ASSERT_TRUE(sessions->Start(&start_context, ref, &started).ok());

  // A manikin's samples, as LogAction takes them, until the screenshot.
  std::atomic<bool> done = false;
  std::thread manikin([&] {
    while (!done) {
      v1::LogActionRequest request;
      request.set_session_id(session.id());
      request.set_source("manikin");
      request.mutable_action()->set_kind(v1::ACTION_KIND_CHEST_COMPRESSION);
      request.mutable_action()->mutable_compression()->set_rate_per_min(110);
      request.mutable_action()->mutable_compression()->set_depth_mm(25);
      request.mutable_action()->mutable_compression()->set_full_recoil(true);
      v1::Event event;
      grpc::ClientContext context;
      sessions->LogAction(&context, request, &event);
      std::this_thread::sleep_for(std::chrono::milliseconds(545));
    }
  });
  TempDir temp;
  const std::filesystem::path png = temp.path() / "cpr.png";
  const CommandResult result = RunCommand(
      std::string(PEDISIM_MONITOR_BIN) + " --role defibrillator --headless --no-audio" +
      " --controller " + controller.address() + " --token-file '" +
      controller.admin_token_file().string() + "' --pairing-code " + session.pairing_code() +
      " --press pads-child@0.5 --frames 240 --screenshot '" + png.string() + "'");
  done = true;
  manikin.join();
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const PngProbe shown(png);
  // The CPR area: the lower two rows of the left side (monitor_layout.cc);
  // the rate bar in its upper half, the depth bar in its lower half.
  constexpr Rgb kOnTarget{60, 200, 90};
  constexpr Rgb kOffTarget{235, 60, 60};
  const Region rate{0.2, 0.41, 0.72, 0.58};
  const Region depth{0.2, 0.58, 0.72, 0.75};
  std::cout << "CPR bars: rate green " << shown.CountNear(rate, kOnTarget, 20) << " px, red "
            << shown.CountNear(rate, kOffTarget, 20) << " px; depth green "
            << shown.CountNear(depth, kOnTarget, 20) << " px, red "
            << shown.CountNear(depth, kOffTarget, 20) << " px\n";
  EXPECT_GT(shown.CountNear(rate, kOnTarget, 20), 0);
  EXPECT_EQ(shown.CountNear(rate, kOffTarget, 20), 0);
  EXPECT_GT(shown.CountNear(depth, kOffTarget, 20), 0);
  EXPECT_EQ(shown.CountNear(depth, kOnTarget, 20), 0);
}

}  // namespace
}  // namespace pedisim::testing
