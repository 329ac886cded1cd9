// Free disk space watched while a class runs: a real controller whose
// --min-free-disk-mb sits just under the free space of its data folder's
// disk; the test then fills that disk (a real file, fallocate) past the
// threshold. The running session is paused by the system with the reason
// in its log, Resume is refused while the disk is low and works once the
// file is removed. Nothing is faked: the controller measures the real disk.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "controller_process.h"
#include "pedisim/v1/admin_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

constexpr uint64_t kMargin = 512ull << 20;  // threshold this far under the free space
constexpr uint64_t kFill = 2 * kMargin;     // the file that takes the disk under it

// A folder on a disk with room for the test: /dev/shm (a tmpfs nobody
// builds on, so its free space holds still) when it is large enough, the
// temporary folder's disk otherwise.
std::filesystem::path RoomyBase() {
  std::error_code error;
  const std::filesystem::space_info shm = std::filesystem::space("/dev/shm", error);
  if (!error && shm.available > 4 * kFill) return "/dev/shm";
  return std::filesystem::temp_directory_path();
}

class Folder {
 public:
  explicit Folder(const std::filesystem::path& base) {
    std::string pattern = (base / "pedisim-disk-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~Folder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Takes `bytes` of the disk for real (blocks allocated, not a sparse file).
bool Fill(const std::filesystem::path& file, uint64_t bytes) {
  const int fd = open(file.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) return false;
  const bool filled = posix_fallocate(fd, 0, static_cast<off_t>(bytes)) == 0;
  close(fd);
  return filled;
}

TEST(DiskWatchTest, ALowDiskPausesTheClassUntilSpaceReturns) {
  const Folder base(RoomyBase());
  const std::filesystem::path data = base.path() / "data";
  std::filesystem::create_directories(data);
  const uint64_t free_bytes = std::filesystem::space(data).available;
  ASSERT_GT(free_bytes, kFill + kMargin)
      << "the test needs " << ((kFill + kMargin) >> 20) << " MB free on " << base.path();
  const uint64_t threshold_mb = (free_bytes - kMargin) >> 20;
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR,
                               {"--min-free-disk-mb", std::to_string(threshold_mb)}, data);
  auto sessions = v1::SessionService::NewStub(controller.channel());
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  create.set_speed(0.25);
  v1::Session session;
  {
    grpc::ClientContext context;
    const grpc::Status status = sessions->Create(&context, create, &session);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Start(&context, ref, &session).ok());
  }

  const std::filesystem::path filler = base.path() / "filler";
  ASSERT_TRUE(Fill(filler, kFill));

  // The pause by the system arrives in Watch with its reason (60 s bounds a
  // failure only).
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::WatchRequest watch;
    watch.set_session_id(session.id());
    watch.set_after_event_id(0);
    auto stream = sessions->Watch(&context, watch);
    v1::SessionUpdate update;
    bool paused = false;
    while (!paused && stream->Read(&update)) {
      paused = update.has_event() && update.event().kind() == v1::EVENT_KIND_SESSION_PAUSED &&
               update.event().agent() == v1::AGENT_SYSTEM &&
               update.event().summary().find("--min-free-disk-mb") != std::string::npos;
      if (paused) std::printf("paused: %s\n", update.event().summary().c_str());
    }
    context.TryCancel();
    ASSERT_TRUE(paused);
  }
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Get(&context, ref, &session).ok());
    EXPECT_EQ(session.status(), v1::SESSION_STATUS_PAUSED);
  }
  // The low disk is counted against min-free-disk-mb (AdminService.GetLimits).
  {
    auto admin = v1::AdminService::NewStub(controller.channel());
    grpc::ClientContext context;
    v1::GetLimitsResponse limits;
    ASSERT_TRUE(admin->GetLimits(&context, v1::GetLimitsRequest(), &limits).ok());
    uint64_t hits = 0;
    for (const v1::ControllerLimit& limit : limits.limits()) {
      if (limit.name() == "min-free-disk-mb") hits = limit.hits();
    }
    EXPECT_GE(hits, 1u);
  }
  // While the disk is low the class does not go on...
  {
    grpc::ClientContext context;
    v1::Session refused;
    const grpc::Status status = sessions->Resume(&context, ref, &refused);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    EXPECT_NE(status.error_message().find("--min-free-disk-mb"), std::string::npos)
        << status.error_message();
  }
  // ...and once space returns the instructor resumes it.
  std::filesystem::remove(filler);
  {
    grpc::ClientContext context;
    v1::Session resumed;
    const grpc::Status status = sessions->Resume(&context, ref, &resumed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(resumed.status(), v1::SESSION_STATUS_RUNNING);
  }
  // It keeps running: the watch, checking each second, finds room.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Get(&context, ref, &session).ok());
    EXPECT_EQ(session.status(), v1::SESSION_STATUS_RUNNING);
  }
  {
    grpc::ClientContext context;
    v1::Session stopped;
    ASSERT_TRUE(sessions->Stop(&context, ref, &stopped).ok());
  }
}

}  // namespace
}  // namespace pedisim::testing
