// pedisim-dashboard against a real controller: a session is created and
// started through the public API, the dashboard renders it headless as a
// separate process, and the test reads the PNG and checks what it shows.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "controller_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"
#include "png_probe.h"

namespace pedisim::testing {
namespace {

// The monitor colours (dashboard/views/theme.h).
constexpr Rgb kEcgGreen{0, 230, 64};
constexpr Rgb kPlethCyan{0, 220, 255};
constexpr Rgb kCurrentStateOrange{255, 140, 0};
constexpr Rgb kBookmarkBlue{80, 160, 255};

// Regions of a 1280x720 live view, as fractions: the ECG and pleth traces
// (below their labels), the HR numerics box and the scenario graph.
constexpr Region kEcgTrace{0.005, 0.135, 0.38, 0.22};
constexpr Region kPlethTrace{0.005, 0.255, 0.38, 0.33};
constexpr Region kHeartRateBox{0.42, 0.12, 0.575, 0.22};
constexpr Region kScenarioGraph{0.585, 0.05, 1.0, 0.40};
// The debrief's monitor trace and its timeline (bottom left).
constexpr Region kDebriefEcgTrace{0.005, 0.135, 0.38, 0.2};
constexpr Region kDebriefTimeline{0.0, 0.62, 0.67, 1.0};

class DashboardScreenshotTest : public ::testing::Test {
 protected:
  DashboardScreenshotTest() : controller_(PEDISIM_SCENARIO_LIBRARY_DIR) {}

  std::string CreateAndStartSession(double speed = 1) {
    auto sessions = v1::SessionService::NewStub(controller_.channel());
    v1::CreateSessionRequest create;
    create.set_speed(speed);
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
                                controller_.address() + " --token-file '" +
                                controller_.admin_token_file().string() + "'" +
                                " --size 1280x720 --frames 4 --screenshot '" + png.string() + "' " +
                                arguments + " >'" + log.string() + "' 2>&1";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  // A recorded session: 30 simulated seconds at 8x with a bookmark at 20 s
  // or later, then stopped.
  std::string RecordSessionWithBookmark() {
    const std::string session_id = CreateAndStartSession(8);
    auto sessions = v1::SessionService::NewStub(controller_.channel());
    v1::SessionRef ref;
    ref.set_session_id(session_id);
    auto wait_for_sim_time = [&](double seconds) {
      // Bounded only against a hung controller; the test asserts no timing.
      const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
      v1::Session session;
      do {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        grpc::ClientContext context;
        EXPECT_TRUE(sessions->Get(&context, ref, &session).ok());
      } while (session.sim_time_s() < seconds && std::chrono::steady_clock::now() < give_up);
    };
    wait_for_sim_time(20);
    v1::AddBookmarkRequest bookmark;
    bookmark.set_session_id(session_id);
    bookmark.set_label("team leader calls for help");
    v1::Event event;
    grpc::ClientContext bookmark_context;
    EXPECT_TRUE(sessions->AddBookmark(&bookmark_context, bookmark, &event).ok());
    wait_for_sim_time(30);
    v1::Session stopped;
    grpc::ClientContext stop_context;
    EXPECT_TRUE(sessions->Stop(&stop_context, ref, &stopped).ok());
    return session_id;
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

TEST_F(DashboardScreenshotTest, DebriefShowsTheReplayedMonitorAndATimelineWithTheBookmark) {
  const std::string session_id = RecordSessionWithBookmark();
  const std::filesystem::path png = temp_.path() / "debrief.png";
  ASSERT_EQ(RunDashboard("--session " + session_id + " --view debrief --at 5", png), 0);

  const PngProbe probe(png);
  // The monitor replays: regenerated ECG along the trace.
  EXPECT_GE(probe.ColumnsNear(kDebriefEcgTrace, kEcgGreen), 150);
  // The timeline's heart rate trend runs across the record...
  EXPECT_GE(probe.ColumnsNear(kDebriefTimeline, kEcgGreen), 400);
  // ...the state the playhead is in is highlighted in its band...
  EXPECT_GE(probe.CountNear(kDebriefTimeline, kCurrentStateOrange, 8), 500);
  // ...and the bookmark has its flag.
  EXPECT_GE(probe.CountNear(kDebriefTimeline, kBookmarkBlue, 8), 40);
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
