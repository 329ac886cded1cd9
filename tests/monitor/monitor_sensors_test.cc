// Which monitor sensors are on, kept by the controller
// (Session.attached_sensors): a scenario that starts with sensors attached
// (a child handed over mid-care) shows them at once on a monitor that
// joins, and learners' attachments and removals change them for everyone.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "controller_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "png_probe.h"
#include "run_command.h"
#include "session_events.h"

namespace pedisim::testing {
namespace {

constexpr Rgb kEcgGreen{0, 230, 64};
constexpr Rgb kCo2Yellow{255, 230, 0};
// Rows of the monitor's layout (see monitor_screenshot_test.cc).
Region TraceOf(int row) {
  const double top = 0.07 + (0.75 - 0.07) / 4 * row;
  return {0.0, top + 0.04, 0.725, top + (0.75 - 0.07) / 4 - 0.005};
}

std::set<int> Sensors(const v1::Session& session) {
  return {session.attached_sensors().begin(), session.attached_sensors().end()};
}

class MonitorSensorsTest : public ::testing::Test {
 protected:
  MonitorSensorsTest()
      : controller_(PEDISIM_TEST_MONITOR_FIXTURES),
        sessions_(v1::SessionService::NewStub(controller_.channel())) {}

  v1::Session Get(const std::string& id) {
    v1::SessionRef ref;
    ref.set_session_id(id);
    v1::Session session;
    grpc::ClientContext context;
    EXPECT_TRUE(sessions_->Get(&context, ref, &session).ok());
    return session;
  }

  void Act(const std::string& id, v1::ActionKind kind, v1::MonitorSensor sensor) {
    v1::LogActionRequest request;
    request.set_session_id(id);
    request.mutable_action()->set_kind(kind);
    request.mutable_action()->set_sensor(sensor);
    v1::Event event;
    grpc::ClientContext context;
    const grpc::Status status = sessions_->LogAction(&context, request, &event);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  TempDir temp_;
};

TEST_F(MonitorSensorsTest, AHandedOverChildStartsWithItsSensorsAndLearnersChangeThem) {
  v1::CreateSessionRequest create;
  create.set_scenario_id("handover");
  v1::Session session;
  grpc::ClientContext create_context;
  const grpc::Status created = sessions_->Create(&create_context, create, &session);
  ASSERT_TRUE(created.ok()) << created.error_message();
  EXPECT_EQ(Sensors(session),
            (std::set<int>{v1::MONITOR_SENSOR_ECG_LEADS, v1::MONITOR_SENSOR_SPO2_PROBE}));
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  grpc::ClientContext start_context;
  v1::Session started;
  ASSERT_TRUE(sessions_->Start(&start_context, ref, &started).ok());

  // A monitor that joins shows the ECG at once, and no capnogram.
  const std::filesystem::path png = temp_.path() / "handover.png";
  const CommandResult monitor =
      RunCommand(std::string(PEDISIM_MONITOR_BIN) + " --headless --no-audio --controller " +
                 controller_.address() + " --token-file '" +
                 controller_.admin_token_file().string() + "' --pairing-code " +
                 session.pairing_code() + " --frames 3 --screenshot '" + png.string() + "'");
  ASSERT_EQ(monitor.exit_code, 0) << monitor.output;
  const PngProbe shown(png);
  const int trace_columns = static_cast<int>(0.725 * shown.width());
  EXPECT_GT(shown.ColumnsNear(TraceOf(0), kEcgGreen), trace_columns * 8 / 10);
  EXPECT_EQ(shown.ColumnsNear(TraceOf(2), kCo2Yellow), 0);

  Act(session.id(), v1::ACTION_KIND_SENSOR_ATTACHED, v1::MONITOR_SENSOR_CAPNOGRAPHY);
  Act(session.id(), v1::ACTION_KIND_SENSOR_REMOVED, v1::MONITOR_SENSOR_ECG_LEADS);
  EXPECT_EQ(Sensors(Get(session.id())),
            (std::set<int>{v1::MONITOR_SENSOR_SPO2_PROBE, v1::MONITOR_SENSOR_CAPNOGRAPHY}));
}

// The NIBP key pressed again stops the measurement, and the session is told
// (ACTION_KIND_NIBP_CANCELLED), so the HL7 gateway sends no reading of it.
TEST_F(MonitorSensorsTest, TheNibpKeyPressedAgainCancelsTheMeasurementForEveryone) {
  v1::CreateSessionRequest create;
  create.set_scenario_id("handover");
  v1::Session session;
  grpc::ClientContext create_context;
  ASSERT_TRUE(sessions_->Create(&create_context, create, &session).ok());
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  grpc::ClientContext start_context;
  v1::Session started;
  ASSERT_TRUE(sessions_->Start(&start_context, ref, &started).ok());

  const CommandResult monitor = RunCommand(
      std::string(PEDISIM_MONITOR_BIN) + " --headless --no-audio --controller " +
      controller_.address() + " --token-file '" + controller_.admin_token_file().string() +
      "' --pairing-code " + session.pairing_code() +
      " --press cuff@0.2 --press nibp@0.5 --press nibp@1.5 --frames 150");
  ASSERT_EQ(monitor.exit_code, 0) << monitor.output;

  std::vector<v1::ActionKind> nibp_actions;
  for (const v1::Event& event : EventsSoFar(*sessions_, session.id())) {
    if (event.has_action() && (event.action().kind() == v1::ACTION_KIND_NIBP_MEASUREMENT ||
                               event.action().kind() == v1::ACTION_KIND_NIBP_CANCELLED)) {
      nibp_actions.push_back(event.action().kind());
      EXPECT_EQ(event.kind(), v1::EVENT_KIND_LEARNER_ACTION);
    }
  }
  EXPECT_EQ(nibp_actions, (std::vector<v1::ActionKind>{v1::ACTION_KIND_NIBP_MEASUREMENT,
                                                       v1::ACTION_KIND_NIBP_CANCELLED}))
      << monitor.output;
}

}  // namespace
}  // namespace pedisim::testing
