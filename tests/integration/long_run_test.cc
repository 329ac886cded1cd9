// A controller that runs for months: 1,000 sessions created, run and ended
// one after another on one controller with the default limits. None is
// refused; the controller's memory, threads and open files stay flat; every
// ended session is still there for Get, List, Watch, GetAssessment and the
// reports, from the store; deleting one frees its disk at once.
// PEDISIM_LONG_SESSIONS sets the number of sessions (default 1,000).

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "controller_process.h"
#include "pedisim/v1/assessment_service.grpc.pb.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

struct ProcessFigures {
  uint64_t rss_kb = 0;
  int threads = 0;
  int open_files = 0;
};

ProcessFigures Measure(pid_t pid) {
  ProcessFigures figures;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") status >> figures.rss_kb;
    if (key == "Threads:") status >> figures.threads;
  }
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    ++figures.open_files;
  }
  return figures;
}

// Whether the process holds a file under `folder` open.
bool HoldsOpenUnder(pid_t pid, const std::string& folder) {
  for (const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    std::error_code error;
    const std::string target = std::filesystem::read_symlink(entry.path(), error).string();
    if (!error && target.rfind(folder, 0) == 0) return true;
  }
  return false;
}

int SessionCount() {
  const char* value = std::getenv("PEDISIM_LONG_SESSIONS");
  return value ? std::atoi(value) : 1000;
}

class LongRunTest : public ::testing::Test {
 protected:
  LongRunTest()
      : controller_(PEDISIM_TEST_SCENARIOS_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())),
        debrief_(v1::DebriefService::NewStub(controller_.channel())),
        assessments_(v1::AssessmentService::NewStub(controller_.channel())) {}

  // One class: created with a virtual monitor, started, run for a moment
  // (about 8 engine steps at 8x), a bookmark; then odd ones get a learner
  // action and are stopped by the instructor, even ones are moved into
  // distress and treated with oxygen, which ends them in the scenario's
  // terminal state. Returns its id.
  std::string RunOneClass(int number,
                          std::chrono::milliseconds run_for = std::chrono::milliseconds(100)) {
    v1::CreateSessionRequest create;
    create.set_scenario_id("test-short");
    create.set_speed(8);
    create.add_participants()->set_name("Learner " + std::to_string(number));
    create.add_devices()->set_adapter("virtual-monitor");
    v1::Session session;
    {
      grpc::ClientContext context;
      const grpc::Status status = sessions_->Create(&context, create, &session);
      EXPECT_TRUE(status.ok()) << "session " << number << ": " << status.error_message();
      if (!status.ok()) return {};
    }
    v1::SessionRef ref;
    ref.set_session_id(session.id());
    v1::Session changed;
    {
      grpc::ClientContext context;
      EXPECT_TRUE(sessions_->Start(&context, ref, &changed).ok());
    }
    std::this_thread::sleep_for(run_for);
    const bool to_terminal_state = number % 2 == 0;
    if (to_terminal_state) {
      v1::GoToStateRequest distress;
      distress.set_session_id(session.id());
      distress.set_state("distress");
      grpc::ClientContext context;
      v1::Event event;
      EXPECT_TRUE(sessions_->GoToState(&context, distress, &event).ok());
    }
    {
      v1::AddBookmarkRequest bookmark;
      bookmark.set_session_id(session.id());
      bookmark.set_label("class " + std::to_string(number));
      grpc::ClientContext context;
      v1::Event event;
      EXPECT_TRUE(sessions_->AddBookmark(&context, bookmark, &event).ok());
    }
    {
      v1::LogActionRequest action;
      action.set_session_id(session.id());
      action.mutable_action()->set_kind(v1::ACTION_KIND_OXYGEN);
      action.mutable_action()->set_performer("Learner " + std::to_string(number));
      grpc::ClientContext context;
      v1::Event event;
      EXPECT_TRUE(sessions_->LogAction(&context, action, &event).ok());
    }
    if (!to_terminal_state) {
      grpc::ClientContext context;
      const grpc::Status status = sessions_->Stop(&context, ref, &changed);
      // A short scenario may have completed on its own meanwhile.
      EXPECT_TRUE(status.ok() || status.error_code() == grpc::StatusCode::FAILED_PRECONDITION)
          << status.error_message();
    }
    return session.id();
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::DebriefService::Stub> debrief_;
  std::unique_ptr<v1::AssessmentService::Stub> assessments_;
};

TEST_F(LongRunTest, AThousandClassesInARowStayFlat) {
  const int count = SessionCount();
  const int warm_up = std::min(100, count / 10);
  const auto started = std::chrono::steady_clock::now();
  const ProcessFigures before = Measure(controller_.pid());
  ProcessFigures after_warm_up;
  std::string first_id;
  for (int i = 1; i <= count; ++i) {
    const std::string id = RunOneClass(i);
    ASSERT_FALSE(id.empty()) << "session " << i << " was refused";
    if (i == 1) first_id = id;
    if (i == warm_up) after_warm_up = Measure(controller_.pid());
    if (i % 100 == 0) {
      const ProcessFigures now = Measure(controller_.pid());
      std::printf(
          "sessions %4d: RSS %6llu kB, %3d threads, %3d open files, %.1f s\n", i,
          static_cast<unsigned long long>(now.rss_kb), now.threads, now.open_files,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
  }
  const ProcessFigures after = Measure(controller_.pid());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "%d sessions in %.1f s; before the first: RSS %llu kB, %d threads, %d open files; after "
      "%d: RSS %llu kB, %d threads, %d open files; after %d: RSS %llu kB, %d threads, %d open "
      "files; RSS growth over the last %d: %lld kB\n",
      count, seconds, static_cast<unsigned long long>(before.rss_kb), before.threads,
      before.open_files, warm_up, static_cast<unsigned long long>(after_warm_up.rss_kb),
      after_warm_up.threads, after_warm_up.open_files, count,
      static_cast<unsigned long long>(after.rss_kb), after.threads, after.open_files,
      count - warm_up,
      static_cast<long long>(after.rss_kb) - static_cast<long long>(after_warm_up.rss_kb));
  ::testing::Test::RecordProperty("seconds", std::to_string(seconds));
  EXPECT_LE(static_cast<long long>(after.rss_kb) - static_cast<long long>(after_warm_up.rss_kb),
            5 * 1024);
  // Ended sessions keep no thread and, once handed over, no file.
  EXPECT_LE(after.threads, after_warm_up.threads);
  EXPECT_LE(after.open_files, after_warm_up.open_files);

  // The first class, long handed over, is still there for everything.
  v1::SessionRef ref;
  ref.set_session_id(first_id);
  {
    grpc::ClientContext context;
    v1::Session stored;
    const grpc::Status status = sessions_->Get(&context, ref, &stored);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(stored.id(), first_id);
    EXPECT_TRUE(stored.status() == v1::SESSION_STATUS_STOPPED ||
                stored.status() == v1::SESSION_STATUS_COMPLETED);
    EXPECT_FALSE(stored.end_reason().empty());
    EXPECT_EQ(stored.participants(0).name(), "Learner 1");
    EXPECT_GE(stored.event_count(), 4u);
  }
  {
    grpc::ClientContext context;
    v1::ListSessionsResponse listed;
    ASSERT_TRUE(sessions_->List(&context, {}, &listed).ok());
    EXPECT_EQ(listed.sessions_size(), count);
    EXPECT_EQ(listed.sessions(count - 1).id(), first_id);  // newest first
  }
  {
    grpc::ClientContext context;
    v1::WatchRequest watch;
    watch.set_session_id(first_id);
    auto stream = sessions_->Watch(&context, watch);
    v1::SessionUpdate update;
    ASSERT_TRUE(stream->Read(&update));
    EXPECT_EQ(update.snapshot().id(), first_id);
    EXPECT_FALSE(stream->Read(&update));
    EXPECT_TRUE(stream->Finish().ok());
  }
  {
    grpc::ClientContext context;
    v1::GetAssessmentRequest request;
    request.set_session_id(first_id);
    v1::Assessment assessment;
    const grpc::Status status = assessments_->GetAssessment(&context, request, &assessment);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }
  for (const v1::ReportFormat format : {v1::REPORT_FORMAT_HTML, v1::REPORT_FORMAT_JSON,
                                        v1::REPORT_FORMAT_CSV, v1::REPORT_FORMAT_WEBVTT}) {
    grpc::ClientContext context;
    v1::ExportReportRequest request;
    request.set_session_id(first_id);
    request.set_format(format);
    v1::Report report;
    const grpc::Status status = debrief_->ExportReport(&context, request, &report);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_FALSE(report.content().empty());
  }
}

TEST_F(LongRunTest, ARestartOnAThousandRecordingsListsThemAll) {
  const int count = std::min(SessionCount(), 1000);
  // Classes without the moment of running: only their records matter here.
  for (int i = 1; i <= count; ++i) {
    ASSERT_FALSE(RunOneClass(i, std::chrono::milliseconds(0)).empty());
  }
  EXPECT_EQ(controller_.Terminate(), 0);
  const auto restarting = std::chrono::steady_clock::now();
  ControllerProcess restarted(PEDISIM_TEST_SCENARIOS_DIR, {}, controller_.data_dir());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - restarting).count();
  auto sessions = v1::SessionService::NewStub(restarted.channel());
  grpc::ClientContext context;
  v1::ListSessionsResponse listed;
  ASSERT_TRUE(sessions->List(&context, {}, &listed).ok());
  EXPECT_EQ(listed.sessions_size(), count);
  std::printf("restart on %d recordings: serving after %.2f s\n", count, seconds);
}

TEST_F(LongRunTest, DeletingAJustEndedSessionFreesItsDiskAtOnce) {
  const std::string id = RunOneClass(1);
  ASSERT_FALSE(id.empty());
  const std::filesystem::path folder = controller_.data_dir() / "sessions" / id;
  ASSERT_TRUE(std::filesystem::exists(folder));
  v1::RecordingRef ref;
  ref.set_session_id(id);
  grpc::ClientContext context;
  v1::DeleteRecordingResponse deleted;
  const grpc::Status status = debrief_->DeleteRecording(&context, ref, &deleted);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(std::filesystem::exists(folder));
  // No file of it is still open, so its blocks are free.
  EXPECT_FALSE(HoldsOpenUnder(controller_.pid(), folder.string()));
  grpc::ClientContext get_context;
  v1::SessionRef session;
  session.set_session_id(id);
  v1::Session gone;
  EXPECT_EQ(sessions_->Get(&get_context, session, &gone).error_code(), grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace pedisim::testing
