// A controller out of file descriptors says so: the exhaustion is logged
// (once a minute at most) and counted in AdminService.GetLimits, instead of
// new clients silently failing to connect.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "controller_process.h"
#include "pedisim/v1/admin_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

uint64_t OpenFilesHits(v1::AdminService::Stub& admin) {
  grpc::ClientContext context;
  v1::GetLimitsResponse response;
  EXPECT_TRUE(admin.GetLimits(&context, v1::GetLimitsRequest(), &response).ok());
  for (const v1::ControllerLimit& limit : response.limits()) {
    if (limit.name() == "open-files") return limit.hits();
  }
  ADD_FAILURE() << "GetLimits has no open-files figure";
  return 0;
}

TEST(ExhaustionTest, RunningOutOfFileDescriptorsIsLoggedAndCounted) {
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR);
  auto admin = v1::AdminService::NewStub(controller.channel());
  EXPECT_EQ(OpenFilesHits(*admin), 0u);

  // The controller's limit brought down to what it has open now: no new
  // client could connect.
  long open = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator("/proc/" + std::to_string(controller.pid()) + "/fd")) {
    ++open;
  }
  rlimit tight{static_cast<rlim_t>(open + 2), static_cast<rlim_t>(open + 2)};
  ASSERT_EQ(prlimit(controller.pid(), RLIMIT_NOFILE, &tight, nullptr), 0);

  // The watch looks every 5 s; 30 s bounds a failure only.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  uint64_t hits = 0;
  while ((hits = OpenFilesHits(*admin)) < 2 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  EXPECT_GE(hits, 2u);
  std::ifstream log(controller.log_file());
  const std::string text{std::istreambuf_iterator<char>(log), {}};
  size_t logged = 0;
  for (size_t at = text.find("out of file descriptors"); at != std::string::npos;
       at = text.find("out of file descriptors", at + 1)) {
    ++logged;
  }
  // Counted at every check, logged once a minute.
  EXPECT_EQ(logged, 1u) << text;
}

}  // namespace
}  // namespace pedisim::testing
