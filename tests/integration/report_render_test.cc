// The HTML debrief report rendered by a real browser: Debian's Chromium,
// headless, draws the page and we check what it shows: the DOM it parsed
// (plots, tables, bookmarks) and the pixels of its screenshot (the traces
// in their monitor colours, the state band behind them).

#include <gtest/gtest.h>
#include <stb_image.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "controller_process.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

std::string RunCapture(const std::string& command) {
  std::string output;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return output;
  std::array<char, 4096> buffer{};
  while (size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe.get())) {
    output.append(buffer.data(), n);
  }
  return output;
}

// Chromium refuses to run as root without --no-sandbox; the page is our own
// file and the browser a throwaway process.
// A profile of its own in `folder`, so parallel runs do not share one.
std::string Chromium(const std::filesystem::path& folder, const std::string& arguments) {
  return std::string(PEDISIM_CHROMIUM) +
         " --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run "
         "--user-data-dir=" +
         (folder / "chromium-profile").string() + " " + arguments + " 2>/dev/null";
}

int CountPixelsNear(const unsigned char* pixels, int width, int height, int r, int g, int b) {
  int count = 0;
  for (int i = 0; i < width * height; ++i) {
    const unsigned char* p = pixels + 4 * i;
    if (std::abs(p[0] - r) < 24 && std::abs(p[1] - g) < 24 && std::abs(p[2] - b) < 24) ++count;
  }
  return count;
}

TEST(ReportRenderTest, ChromiumDrawsThePlotsTablesAndMarkers) {
  ControllerProcess controller(PEDISIM_SCENARIO_LIBRARY_DIR);
  auto sessions = v1::SessionService::NewStub(controller.channel());
  auto debrief = v1::DebriefService::NewStub(controller.channel());
  v1::CreateSessionRequest create;
  create.set_scenario_id("infant-respiratory-failure");
  create.set_speed(8);
  create.add_participants()->set_name("Ana");
  v1::Session session;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, create, &session).ok());
  }
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Start(&context, ref, &session).ok());
  }
  // Watch until 20 s of simulated time, bookmark, stop.
  grpc::ClientContext watch_context;
  v1::WatchRequest watch;
  watch.set_session_id(session.id());
  auto reader = sessions->Watch(&watch_context, watch);
  v1::SessionUpdate update;
  while (reader->Read(&update)) {
    if (update.has_vitals() && update.vitals().sim_time_s() >= 20) break;
  }
  {
    grpc::ClientContext context;
    v1::AddBookmarkRequest mark;
    mark.set_session_id(session.id());
    mark.set_label("team briefing");
    v1::Event event;
    ASSERT_TRUE(sessions->AddBookmark(&context, mark, &event).ok());
  }
  while (reader->Read(&update)) {
    if (update.has_vitals() && update.vitals().sim_time_s() >= 30) break;
  }
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Stop(&context, ref, &session).ok());
  }
  watch_context.TryCancel();
  reader->Finish();

  v1::ExportReportRequest request;
  request.set_session_id(session.id());
  request.set_format(v1::REPORT_FORMAT_HTML);
  v1::Report report;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(debrief->ExportReport(&context, request, &report).ok());
  }
  TempDir folder;
  const std::filesystem::path page = folder.path() / report.file_name();
  std::ofstream(page, std::ios::binary) << report.content();
  const std::string url = "file://" + page.string();

  // What the browser parsed.
  const std::string dom = RunCapture(Chromium(folder.path(), "--dump-dom " + url));
  ASSERT_NE(dom.find("<h1>Infant respiratory failure"), std::string::npos) << dom.substr(0, 500);
  for (const char* vital :
       {"heart_rate_bpm", "spo2_pct", "nibp_systolic_mmhg", "etco2_mmhg", "respiratory_rate_bpm"}) {
    EXPECT_NE(dom.find(std::string("data-vital=\"") + vital + "\""), std::string::npos) << vital;
  }
  EXPECT_NE(dom.find("class=\"bookmark-marker\""), std::string::npos);
  EXPECT_NE(dom.find("team briefing"), std::string::npos);
  EXPECT_NE(dom.find("class=\"grades\""), std::string::npos);
  EXPECT_NE(dom.find("Oxygen for SpO2 below 94 %"), std::string::npos);

  // What it drew.
  const std::filesystem::path shot = folder.path() / "report.png";
  RunCapture(
      Chromium(folder.path(), "--window-size=1100,1400 --screenshot=" + shot.string() + " " + url));
  int width = 0, height = 0, channels = 0;
  std::unique_ptr<unsigned char, void (*)(void*)> pixels(
      stbi_load(shot.c_str(), &width, &height, &channels, 4), stbi_image_free);
  ASSERT_TRUE(pixels) << "no screenshot at " << shot;
  ASSERT_EQ(width, 1100);
  // HR in green, SBP in red, EtCO2 in dark yellow, drawn as 2-px lines over
  // the whole width of the plot; the state band's light blue behind them.
  EXPECT_GT(CountPixelsNear(pixels.get(), width, height, 0x13, 0x8a, 0x36), 600);
  EXPECT_GT(CountPixelsNear(pixels.get(), width, height, 0xc6, 0x28, 0x28), 600);
  EXPECT_GT(CountPixelsNear(pixels.get(), width, height, 0xa0, 0x78, 0x00), 600);
  EXPECT_GT(CountPixelsNear(pixels.get(), width, height, 0xe3, 0xf2, 0xfd), 100000);
}

}  // namespace
}  // namespace pedisim::testing
