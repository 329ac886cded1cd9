// pedisim-monitor against a real controller: it joins by pairing code over
// the device protocol as a separate process, renders headless, and the test
// reads its PNG: each waveform in its colour along its row once its sensor
// is attached, nothing of a parameter before, numerics present, and no text
// clipped or overlapping at 1280x720 and 3840x2160; and so for every layout
// of 2 to 6 waveform rows, chosen by the monitor (--rows) or the instructor
// (RoomDisplay.wave_rows).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "controller_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "png_probe.h"
#include "run_command.h"

namespace pedisim::testing {
namespace {

// The monitor colours (dashboard/views/theme.h).
constexpr Rgb kEcgGreen{0, 230, 64};
constexpr Rgb kPlethCyan{0, 220, 255};
constexpr Rgb kCo2Yellow{255, 230, 0};
constexpr Rgb kRespWhite{235, 235, 235};
constexpr Rgb kTemperatureMagenta{255, 150, 255};
// The high-priority alarm red (monitor/app/monitor_app.cc).
constexpr Rgb kAlarmRed{230, 0, 0};

// The monitor's layout (monitor/app/monitor_layout.cc) as fractions of the
// screen: a status bar of 7 %, four waveform rows down to 75 %, the traces
// on the left 73 % below a label line (3.3 %), numerics on the right.
constexpr double kRowsTop = 0.07;
constexpr double kRowHeight = (0.75 - 0.07) / 4;
constexpr double kTracesRight = 0.73;
Region TraceOf(int row) {
  const double top = kRowsTop + kRowHeight * row;
  return {0.0, top + 0.04, kTracesRight - 0.005, top + kRowHeight - 0.005};
}
Region NumericOf(int row) {
  const double top = kRowsTop + kRowHeight * row;
  return {kTracesRight + 0.005, top + 0.005, 0.995, top + kRowHeight - 0.005};
}
// Row `row` of a layout of `rows` waveform rows (the numerics keep their
// four places whatever the rows).
Region TraceOf(int row, int rows) {
  const double height = (0.75 - 0.07) / rows;
  const double top = kRowsTop + height * row;
  return {0.0, top + 0.04, kTracesRight - 0.005, top + height - 0.005};
}
// The temperature box: the strip below the rows, right of 60 %.
constexpr Region kTemperatureBox{0.605, 0.755, 0.995, 0.895};
// The alarm area: the middle third of the status bar.
constexpr Region kAlarmArea{0.34, 0.0, 0.66, 0.07};

struct ScreenSize {
  int width;
  int height;
};

class MonitorScreenshotTest : public ::testing::TestWithParam<ScreenSize> {
 protected:
  MonitorScreenshotTest()
      : controller_(PEDISIM_SCENARIO_LIBRARY_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {}

  v1::Session CreateAndStart() {
    v1::CreateSessionRequest create;
    create.set_scenario_id("infant-respiratory-failure");
    create.set_seed(11);
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

  // The instructor holds vitals at a value (OverrideVitals).
  void Hold(const std::string& session_id, const v1::Vitals& vitals) {
    v1::OverrideVitalsRequest request;
    request.set_session_id(session_id);
    *request.mutable_vitals() = vitals;
    v1::Event event;
    grpc::ClientContext context;
    const grpc::Status status = sessions_->OverrideVitals(&context, request, &event);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // As a manikin would report it: a learner attached the sensor.
  void Attach(const std::string& session_id, v1::MonitorSensor sensor) {
    v1::LogActionRequest request;
    request.set_session_id(session_id);
    request.mutable_action()->set_kind(v1::ACTION_KIND_SENSOR_ATTACHED);
    request.mutable_action()->set_sensor(sensor);
    v1::Event event;
    grpc::ClientContext context;
    const grpc::Status status = sessions_->LogAction(&context, request, &event);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // Runs the monitor headless until its traces are full (or
  // `content_timeout_s`), then a few frames.
  CommandResult RunMonitor(const std::string& pairing_code, const std::string& name,
                           const std::filesystem::path& png, const std::string& more_flags = "",
                           int content_timeout_s = 40) {
    const ScreenSize size = GetParam();
    return RunCommand(std::string(PEDISIM_MONITOR_BIN) + " --headless --controller " +
                      controller_.address() + " --token-file '" +
                      controller_.admin_token_file().string() + "' --pairing-code " + pairing_code +
                      " --name " + name + " --size " + std::to_string(size.width) + "x" +
                      std::to_string(size.height) + " --frames 3 --content-timeout-s " +
                      std::to_string(content_timeout_s) + " --layout-report --screenshot '" +
                      png.string() + "' " + more_flags);
  }

  // Every sensor on, every value inside its limits.
  void AttachEverythingCalm(const std::string& session_id) {
    for (v1::MonitorSensor sensor :
         {v1::MONITOR_SENSOR_ECG_LEADS, v1::MONITOR_SENSOR_SPO2_PROBE,
          v1::MONITOR_SENSOR_CAPNOGRAPHY, v1::MONITOR_SENSOR_TEMPERATURE_PROBE}) {
      Attach(session_id, sensor);
    }
    v1::Vitals held;
    held.set_heart_rate_bpm(130);
    held.set_spo2_pct(97);
    held.set_etco2_mmhg(38);
    held.set_temperature_c(37.2);
    held.set_respiratory_rate_bpm(40);
    Hold(session_id, held);
  }

  // The rows ECG II takes at the top of a layout of `rows` rows: 5 and 6
  // cascade it over two and three (monitor/app/monitor_layout.cc).
  static int EcgRows(int rows) { return std::max(1, rows - 3); }

  // The waves of a layout of `rows` rows, top to bottom, as their colours.
  static std::vector<Rgb> RowColours(int rows) {
    std::vector<Rgb> colours(static_cast<size_t>(EcgRows(rows)), kEcgGreen);
    for (const Rgb& colour : {kPlethCyan, kCo2Yellow, kRespWhite}) {
      if (static_cast<int>(colours.size()) < rows) colours.push_back(colour);
    }
    return colours;
  }

  // The screenshot of a layout of `rows`: each row's wave in its colour in
  // that row (a second or so of it: the test does not wait for full
  // sweeps), the ECG's green in no other row, and no text overflowing or
  // overlapping.
  void ExpectRows(const CommandResult& run, const std::filesystem::path& png, int rows) {
    ASSERT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find(" 0 overflowing, 0 overlapping"), std::string::npos)
        << rows << " rows: " << run.output;
    const PngProbe shown(png);
    const std::vector<Rgb> colours = RowColours(rows);
    ASSERT_EQ(static_cast<int>(colours.size()), rows);
    // A cascaded ECG's sweep runs on simulated time across all its rows, so
    // the second or so received may be in any of them: together they show
    // it, and no other wave's row may.
    int ecg_columns = 0;
    for (int row = 0; row < rows; ++row) {
      const bool ecg = row < EcgRows(rows);
      if (ecg) {
        ecg_columns += shown.ColumnsNear(TraceOf(row, rows), kEcgGreen);
      } else {
        EXPECT_GT(shown.ColumnsNear(TraceOf(row, rows), colours[static_cast<size_t>(row)]), 0)
            << rows << " rows: row " << row;
      }
      if (!ecg) {
        EXPECT_EQ(shown.ColumnsNear(TraceOf(row, rows), kEcgGreen), 0)
            << rows << " rows: ECG in row " << row;
      }
    }
    EXPECT_GT(ecg_columns, 0) << rows << " rows: ECG";
  }

  // Kept in the build folder for a look after the run.
  static std::filesystem::path OutputFile(const std::string& what) {
    const std::filesystem::path folder =
        std::filesystem::path(PEDISIM_TEST_OUTPUT_DIR) / "monitor-screenshots";
    std::filesystem::create_directories(folder);
    return folder / (what + "-" + std::to_string(GetParam().width) + "x" +
                     std::to_string(GetParam().height) + ".png");
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
};

TEST_P(MonitorScreenshotTest, AParameterShowsOnlyOnceItsSensorIsAttached) {
  const v1::Session session = CreateAndStart();
  ASSERT_FALSE(session.pairing_code().empty());

  const std::filesystem::path before_png = OutputFile("before");
  const CommandResult before = RunMonitor(session.pairing_code(), "monitor-1", before_png);
  ASSERT_EQ(before.exit_code, 0) << before.output;
  const PngProbe blank(before_png);
  EXPECT_EQ(blank.width(), GetParam().width);
  EXPECT_EQ(blank.ColumnsNear(TraceOf(0), kEcgGreen), 0);
  EXPECT_EQ(blank.ColumnsNear(TraceOf(1), kPlethCyan), 0);
  EXPECT_EQ(blank.ColumnsNear(TraceOf(2), kCo2Yellow), 0);
  EXPECT_EQ(blank.CountNear(NumericOf(0), kEcgGreen), 0) << "HR shown without ECG leads";
  EXPECT_EQ(blank.CountNear(NumericOf(1), kPlethCyan), 0) << "SpO2 shown without a probe";
  EXPECT_EQ(blank.CountNear(kTemperatureBox, kTemperatureMagenta), 0);
  EXPECT_NE(before.output.find(" 0 overflowing, 0 overlapping"), std::string::npos)
      << before.output;

  for (v1::MonitorSensor sensor :
       {v1::MONITOR_SENSOR_ECG_LEADS, v1::MONITOR_SENSOR_SPO2_PROBE, v1::MONITOR_SENSOR_CAPNOGRAPHY,
        v1::MONITOR_SENSOR_TEMPERATURE_PROBE}) {
    Attach(session.id(), sensor);
  }
  // HR over the infant's limit of 180 (a high-priority alarm); the others
  // held inside theirs, so that their numerics show in their own colour.
  v1::Vitals held;
  held.set_heart_rate_bpm(200);
  held.set_spo2_pct(97);
  held.set_etco2_mmhg(38);
  held.set_temperature_c(37.2);
  held.set_respiratory_rate_bpm(40);
  Hold(session.id(), held);
  const std::filesystem::path after_png = OutputFile("after");
  const CommandResult after = RunMonitor(session.pairing_code(), "monitor-2", after_png);
  ASSERT_EQ(after.exit_code, 0) << after.output;
  EXPECT_NE(after.output.find(" 0 overflowing, 0 overlapping"), std::string::npos) << after.output;
  const PngProbe shown(after_png);
  const int trace_columns = static_cast<int>((kTracesRight - 0.005) * shown.width());
  // ECG and pleth sweep across the whole row (6 s); the slow capnogram and
  // respiration (24 s) across the part received since the monitor joined.
  const int ecg = shown.ColumnsNear(TraceOf(0), kEcgGreen);
  const int pleth = shown.ColumnsNear(TraceOf(1), kPlethCyan);
  const int co2 = shown.ColumnsNear(TraceOf(2), kCo2Yellow);
  const int resp = shown.ColumnsNear(TraceOf(3), kRespWhite);
  std::cout << "trace columns of " << trace_columns << ": ECG " << ecg << ", pleth " << pleth
            << ", CO2 " << co2 << ", resp " << resp << "\n";
  EXPECT_GT(ecg, trace_columns * 8 / 10);
  EXPECT_GT(pleth, trace_columns * 8 / 10);
  EXPECT_GT(co2, trace_columns / 10);
  EXPECT_GT(resp, trace_columns / 10);
  // Each colour stays on its own row.
  EXPECT_EQ(shown.ColumnsNear(TraceOf(1), kEcgGreen), 0);
  EXPECT_EQ(shown.ColumnsNear(TraceOf(0), kPlethCyan), 0);
  // HR alarms at high priority: its box has the red border whether the
  // flashing is on or off this frame, and the alarm area says it in red
  // (text, or the fill behind it).
  EXPECT_GT(shown.CountNear(NumericOf(0), kAlarmRed, 20), 0) << "HR alarm colour";
  EXPECT_GT(shown.CountNear(kAlarmArea, kAlarmRed, 20), 0) << "alarm area";
  EXPECT_EQ(blank.CountNear(kAlarmArea, kAlarmRed, 20), 0) << "no alarm before the sensors";
  EXPECT_GT(shown.CountNear(NumericOf(1), kPlethCyan), 0) << "SpO2";
  EXPECT_GT(shown.CountNear(NumericOf(2), kCo2Yellow), 0) << "EtCO2";
  EXPECT_GT(shown.CountNear(kTemperatureBox, kTemperatureMagenta), 0) << "temperature";
}

TEST_P(MonitorScreenshotTest, EveryRowCountFitsItsTextAndShowsItsWaves) {
  const v1::Session session = CreateAndStart();
  AttachEverythingCalm(session.id());
  // 2 to 5 rows chosen by the monitor (--rows); a second and a half of
  // waves is enough to find each in its row.
  for (int rows = 2; rows <= 5; ++rows) {
    const std::filesystem::path png = OutputFile(std::to_string(rows) + "-rows");
    const CommandResult run =
        RunMonitor(session.pairing_code(), "monitor-rows-" + std::to_string(rows), png,
                   "--rows " + std::to_string(rows), 2);
    ExpectRows(run, png, rows);
  }
  // 6 rows chosen by the instructor for the room: the monitor's own
  // --rows 2 gives way (the cascade's later rows: monitor_unit_test).
  v1::SetRoomDisplayRequest request;
  request.set_session_id(session.id());
  request.mutable_display()->set_wave_rows(6);
  v1::Session changed;
  grpc::ClientContext context;
  const grpc::Status status = sessions_->SetRoomDisplay(&context, request, &changed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::filesystem::path png = OutputFile("instructor-6-rows");
  const CommandResult run =
      RunMonitor(session.pairing_code(), "monitor-instructor-rows", png, "--rows 2", 2);
  ExpectRows(run, png, 6);
}

INSTANTIATE_TEST_SUITE_P(Sizes, MonitorScreenshotTest,
                         ::testing::Values(ScreenSize{1280, 720}, ScreenSize{3840, 2160}),
                         [](const ::testing::TestParamInfo<ScreenSize>& info) {
                           return std::to_string(info.param.width) + "x" +
                                  std::to_string(info.param.height);
                         });

}  // namespace
}  // namespace pedisim::testing
