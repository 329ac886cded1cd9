// What the dashboard's Archive, Restore and Delete buttons do (the connect
// screen's ControllerCatalog, dashboard/client/controller_catalog.h),
// against a real controller: each reaches it through the public API, its
// answer shows as a notice, and the lists the screen draws follow, with
// "Show archived" listing archived recordings marked as such.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "client/controller_catalog.h"
#include "client/controller_link.h"
#include "controller_process.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

using dashboard::CatalogView;
using dashboard::ControllerCatalog;
using dashboard::ControllerLink;

// Asks for the lists until `done` holds for them (60 s bounds a failure only).
bool RefreshUntil(ControllerCatalog& catalog, ControllerLink& link,
                  const std::function<bool(const CatalogView&)>& done) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < give_up) {
    catalog.Refresh(link);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const CatalogView view = catalog.Copy();
    if (view.loaded && done(view)) return true;
  }
  return false;
}

const v1::Recording* Listed(const CatalogView& view, const std::string& id) {
  for (const v1::Recording& recording : view.recordings) {
    if (recording.session_id() == id) return &recording;
  }
  return nullptr;
}

bool SessionListed(const CatalogView& view, const std::string& id) {
  for (const v1::Session& session : view.sessions) {
    if (session.id() == id) return true;
  }
  return false;
}

bool Noticed(const ControllerLink& link, const std::string& text) {
  for (const dashboard::Notice& notice : link.RecentNotices()) {
    if (notice.text.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(DashboardCatalogTest, ArchiveRestoreAndDeleteReachTheControllerAndTheListsFollow) {
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR);
  auto sessions = v1::SessionService::NewStub(controller.channel());
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  v1::Session created;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, create, &created).ok());
  }
  const std::string id = created.id();
  v1::SessionRef ref;
  ref.set_session_id(id);
  {
    grpc::ClientContext context;
    v1::Session stopped;
    ASSERT_TRUE(sessions->Stop(&context, ref, &stopped).ok());
  }

  ControllerLink link(controller.address(), controller.connection());
  ControllerCatalog catalog;
  ASSERT_TRUE(RefreshUntil(catalog, link, [&](const CatalogView& view) {
    return Listed(view, id) != nullptr && SessionListed(view, id);
  }));

  // Archive (what the confirmation's Archive does): gone from both lists.
  catalog.SetArchived(link, id, true);
  EXPECT_TRUE(RefreshUntil(catalog, link, [&](const CatalogView& view) {
    return Listed(view, id) == nullptr && !SessionListed(view, id);
  }));
  EXPECT_TRUE(Noticed(link, "archived " + id));

  // "Show archived": listed again, marked archived.
  catalog.SetIncludeArchived(true);
  EXPECT_TRUE(RefreshUntil(catalog, link, [&](const CatalogView& view) {
    const v1::Recording* recording = Listed(view, id);
    return recording != nullptr && recording->archived() && SessionListed(view, id);
  }));

  // Restore, with "Show archived" off again: back in the default lists.
  catalog.SetArchived(link, id, false);
  catalog.SetIncludeArchived(false);
  EXPECT_TRUE(RefreshUntil(catalog, link, [&](const CatalogView& view) {
    const v1::Recording* recording = Listed(view, id);
    return recording != nullptr && !recording->archived();
  }));
  EXPECT_TRUE(Noticed(link, "restored " + id));

  // Delete (the confirmation's Delete): gone for good.
  catalog.Delete(link, id);
  catalog.SetIncludeArchived(true);
  EXPECT_TRUE(RefreshUntil(catalog, link, [&](const CatalogView& view) {
    return Listed(view, id) == nullptr && !SessionListed(view, id);
  }));
  EXPECT_TRUE(Noticed(link, "deleted " + id));
}

// A learner's dashboard gets the controller's refusal as an error notice,
// and the recording stays.
TEST(DashboardCatalogTest, ALearnersArchiveAndDeleteAreRefusedAndSaidSo) {
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR);
  auto sessions = v1::SessionService::NewStub(controller.channel());
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  create.add_participants()->set_name("Sam");
  v1::Session created;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(sessions->Create(&context, create, &created).ok());
  }
  v1::SessionRef ref;
  ref.set_session_id(created.id());
  {
    grpc::ClientContext context;
    v1::Session stopped;
    ASSERT_TRUE(sessions->Stop(&context, ref, &stopped).ok());
  }
  client::ConnectionOptions learner = controller.connection();
  learner.token = controller.AddUserWithToken("Sam", "learner");
  ControllerLink link(controller.address(), learner);
  ControllerCatalog catalog;
  catalog.SetArchived(link, created.id(), true);
  catalog.Delete(link, created.id());
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  auto refusals = [&] {
    int errors = 0;
    for (const dashboard::Notice& notice : link.RecentNotices()) errors += notice.error ? 1 : 0;
    return errors;
  };
  while (refusals() < 2 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(refusals(), 2);
  // The recording is still there, not archived (an instructor's view).
  auto debrief = v1::DebriefService::NewStub(controller.channel());
  v1::RecordingRef recording_ref;
  recording_ref.set_session_id(created.id());
  v1::Recording recording;
  grpc::ClientContext context;
  ASSERT_TRUE(debrief->GetRecording(&context, recording_ref, &recording).ok());
  EXPECT_FALSE(recording.archived());
}

}  // namespace
}  // namespace pedisim::testing
