// The instructor stays in charge of the room's monitors: through the API
// (SessionService.SetRoomDisplay) a real controller records the setting and
// sends it to the devices, and a real pedisim-monitor blanks its screen or
// leaves out a hidden parameter, read from its screenshot.
#include <gtest/gtest.h>

#include <string>

#include "controller_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "png_probe.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

constexpr Rgb kEcgGreen{0, 230, 64};
constexpr Rgb kPlethCyan{0, 220, 255};
constexpr Rgb kCo2Yellow{255, 230, 0};
constexpr Region kWholeScreen{0, 0, 1, 1};
Region TraceOf(int row) {
  const double top = 0.07 + (0.75 - 0.07) / 4 * row;
  return {0.0, top + 0.04, 0.725, top + (0.75 - 0.07) / 4 - 0.005};
}
Region NumericOf(int row) {
  const double top = 0.07 + (0.75 - 0.07) / 4 * row;
  return {0.735, top + 0.005, 0.995, top + (0.75 - 0.07) / 4 - 0.005};
}

class RoomDisplayTest : public ::testing::Test {
 protected:
  RoomDisplayTest()
      : controller_(PEDISIM_SCENARIO_LIBRARY_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {}

  void SetUp() override {
    v1::CreateSessionRequest create;
    create.set_scenario_id("infant-respiratory-failure");
    grpc::ClientContext create_context;
    ASSERT_TRUE(sessions_->Create(&create_context, create, &session_).ok());
    v1::SessionRef ref;
    ref.set_session_id(session_.id());
    grpc::ClientContext start_context;
    v1::Session started;
    ASSERT_TRUE(sessions_->Start(&start_context, ref, &started).ok());
    for (v1::MonitorSensor sensor : {v1::MONITOR_SENSOR_ECG_LEADS, v1::MONITOR_SENSOR_SPO2_PROBE,
                                     v1::MONITOR_SENSOR_CAPNOGRAPHY}) {
      v1::LogActionRequest request;
      request.set_session_id(session_.id());
      request.mutable_action()->set_kind(v1::ACTION_KIND_SENSOR_ATTACHED);
      request.mutable_action()->set_sensor(sensor);
      v1::Event event;
      grpc::ClientContext context;
      ASSERT_TRUE(sessions_->LogAction(&context, request, &event).ok());
    }
  }

  grpc::Status Set(const v1::RoomDisplay& display, v1::Session* answer) {
    v1::SetRoomDisplayRequest request;
    request.set_session_id(session_.id());
    *request.mutable_display() = display;
    grpc::ClientContext context;
    return sessions_->SetRoomDisplay(&context, request, answer);
  }

  PngProbe Screenshot(const std::string& name) {
    const std::filesystem::path png = temp_.path() / (name + ".png");
    const CommandResult result = RunCommand(
        std::string(PEDISIM_MONITOR_BIN) + " --headless --no-audio --controller " +
        controller_.address() + " --token-file '" + controller_.admin_token_file().string() +
        "' --pairing-code " + session_.pairing_code() + " --name " + name +
        " --frames 3 --screenshot '" + png.string() + "'");
    EXPECT_EQ(result.exit_code, 0) << result.output;
    return PngProbe(png);
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  v1::Session session_;
  TempDir temp_;
};

TEST_F(RoomDisplayTest, ABlankedScreenShowsNothingOfThePatient) {
  v1::RoomDisplay blank;
  blank.set_screen(v1::ROOM_SCREEN_BLANK);
  v1::Session answer;
  const grpc::Status status = Set(blank, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(answer.room_display().screen(), v1::ROOM_SCREEN_BLANK);
  const PngProbe shown = Screenshot("blanked");
  EXPECT_EQ(shown.CountNear(kWholeScreen, kEcgGreen), 0);
  EXPECT_EQ(shown.CountNear(kWholeScreen, kPlethCyan), 0);
  EXPECT_EQ(shown.CountNear(kWholeScreen, kCo2Yellow), 0);

  // Live again: the patient is back.
  v1::RoomDisplay live;
  live.set_screen(v1::ROOM_SCREEN_LIVE);
  ASSERT_TRUE(Set(live, &answer).ok());
  const PngProbe back = Screenshot("live");
  EXPECT_GT(back.ColumnsNear(TraceOf(0), kEcgGreen), 0);
}

TEST_F(RoomDisplayTest, AHiddenParameterIsLeftOutWhileTheOthersShowAndTheChangeIsRecorded) {
  v1::RoomDisplay display;
  display.add_hidden_vitals("etco2_mmhg");
  display.set_volume_pct(40);
  v1::VitalRange* limits = display.add_alarm_limits();
  limits->set_vital("heart_rate_bpm");
  limits->set_low(60);
  limits->set_high(220);
  v1::Session answer;
  const grpc::Status status = Set(display, &answer);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const PngProbe shown = Screenshot("hidden");
  EXPECT_GT(shown.ColumnsNear(TraceOf(0), kEcgGreen), 0);
  EXPECT_GT(shown.ColumnsNear(TraceOf(1), kPlethCyan), 0);
  EXPECT_EQ(shown.ColumnsNear(TraceOf(2), kCo2Yellow), 0) << "capnogram hidden";
  EXPECT_EQ(shown.CountNear(NumericOf(2), kCo2Yellow), 0) << "EtCO2 hidden";

  // In the log, with the whole setting.
  v1::WatchRequest watch;
  watch.set_session_id(session_.id());
  watch.set_after_event_id(0);
  grpc::ClientContext watch_context;
  auto reader = sessions_->Watch(&watch_context, watch);
  v1::SessionUpdate update;
  bool recorded = false;
  uint64_t last = 0;
  while (reader->Read(&update)) {
    if (update.has_snapshot() && last == 0) last = update.snapshot().event_count();
    if (!update.has_event()) continue;
    if (update.event().kind() == v1::EVENT_KIND_ROOM_DISPLAY_CHANGED) {
      recorded = true;
      EXPECT_EQ(update.event().room_display().volume_pct(), 40u);
      EXPECT_NE(update.event().summary().find("hiding etco2_mmhg"), std::string::npos)
          << update.event().summary();
    }
    if (update.event().id() >= last) break;
  }
  watch_context.TryCancel();
  EXPECT_TRUE(recorded);
}

TEST_F(RoomDisplayTest, ASettingThatMakesNoSenseIsRefused) {
  v1::RoomDisplay display;
  display.add_hidden_vitals("heart_rate");
  v1::Session answer;
  grpc::Status status = Set(display, &answer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("display.hidden_vitals[0]"), std::string::npos)
      << status.error_message();
  display.clear_hidden_vitals();
  display.set_volume_pct(120);
  status = Set(display, &answer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  display.clear_volume_pct();
  for (uint32_t rows : {1u, 7u}) {
    display.set_wave_rows(rows);
    status = Set(display, &answer);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << rows << " rows";
    EXPECT_NE(status.error_message().find("display.wave_rows: from 2 to 6"), std::string::npos)
        << status.error_message();
  }
  display.clear_wave_rows();
  v1::VitalRange* limits = display.add_alarm_limits();
  limits->set_vital("spo2_pct");
  limits->set_low(95);
  limits->set_high(90);
  status = Set(display, &answer);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("low 95 must be below high 90"), std::string::npos)
      << status.error_message();
}

}  // namespace
}  // namespace pedisim::testing
