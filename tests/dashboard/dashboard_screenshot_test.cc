// pedisim-dashboard against a real controller: a session is created and
// started through the public API, the dashboard renders it headless as a
// separate process, and the test reads the PNG and checks what it shows.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "controller_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "png_probe.h"

namespace pedisim::testing {
namespace {

// The monitor colours (dashboard/views/theme.h).
constexpr Rgb kEcgGreen{0, 230, 64};
constexpr Rgb kPlethCyan{0, 220, 255};
constexpr Rgb kCurrentStateOrange{255, 140, 0};

// Regions of a 1280x720 live view, as fractions: the ECG and pleth traces
// (below their labels), the HR numerics box and the scenario graph.
constexpr Region kEcgTrace{0.005, 0.135, 0.38, 0.22};
constexpr Region kPlethTrace{0.005, 0.255, 0.38, 0.33};
constexpr Region kHeartRateBox{0.42, 0.12, 0.575, 0.22};
constexpr Region kScenarioGraph{0.585, 0.05, 1.0, 0.40};

class DashboardScreenshotTest : public ::testing::Test {
 protected:
  DashboardScreenshotTest() : controller_(PEDISIM_SCENARIO_LIBRARY_DIR) {}

  std::string CreateAndStartSession() {
    auto sessions = v1::SessionService::NewStub(controller_.channel());
    v1::CreateSessionRequest create;
    create.set_scenario_id("infant-respiratory-failure");
    v1::Participant* leader = create.add_participants();
    leader->set_name("Dr. Osei");
    leader->set_role("team leader");
    create.add_devices()->set_adapter("virtual-monitor");
    v1::Session session;
    grpc::ClientContext create_context;
    EXPECT_TRUE(sessions->Create(&create_context, create, &session).ok());
    v1::SessionRef ref;
    ref.set_session_id(session.id());
    grpc::ClientContext start_context;
    EXPECT_TRUE(sessions->Start(&start_context, ref, &session).ok());
    return session.id();
  }

  // Runs the dashboard headless; returns its exit status.
  int RunDashboard(const std::string& arguments, const std::filesystem::path& png) {
    const std::filesystem::path log = temp_.path() / "dashboard.log";
    const std::string command = std::string(PEDISIM_DASHBOARD_BIN) + " --headless --controller " +
                                controller_.address() +
                                " --size 1280x720 --frames 4 --screenshot '" + png.string() + "' " +
                                arguments + " >'" + log.string() + "' 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  ControllerProcess controller_;
  TempDir temp_;
};

TEST_F(DashboardScreenshotTest, LiveViewShowsSweepingTracesNumericsAndTheCurrentState) {
  const std::string session_id = CreateAndStartSession();
  const std::filesystem::path png = temp_.path() / "live.png";
  ASSERT_EQ(RunDashboard("--session " + session_id, png), 0);

  const PngProbe probe(png);
  ASSERT_EQ(probe.width(), 1280);
  ASSERT_EQ(probe.height(), 720);
  // The dashboard waits for two seconds of ECG: at 25 mm/s that is about
  // 190 pixels of trace, drawn in the ECG green along the trace.
  EXPECT_GE(probe.ColumnsNear(kEcgTrace, kEcgGreen), 150);
  EXPECT_GE(probe.ColumnsNear(kPlethTrace, kPlethCyan), 150);
  // Large numerics: the heart rate box holds a big number.
  EXPECT_GE(probe.CountNonBackground(kHeartRateBox), 800);
  // The current state's box is filled with the highlight colour.
  EXPECT_GE(probe.CountNear(kScenarioGraph, kCurrentStateOrange, 8), 2000);
}

TEST_F(DashboardScreenshotTest, ConnectScreenListsTheControllersScenarios) {
  const std::filesystem::path png = temp_.path() / "connect.png";
  ASSERT_EQ(RunDashboard("", png), 0);
  const PngProbe probe(png);
  // No session is open: nothing is drawn in monitor colours...
  EXPECT_EQ(probe.CountNear({0, 0, 1, 1}, kCurrentStateOrange, 8), 0);
  // ...and the list of scenarios and the new-session form fill the screen.
  EXPECT_GE(probe.CountNonBackground({0, 0.1, 0.6, 0.6}), 5000);
}

}  // namespace
}  // namespace pedisim::testing
