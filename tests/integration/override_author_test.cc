// Two instructors on one vital: each override and release names the account
// that made it, the session shows who holds what, and releasing a
// colleague's hold is allowed but recorded with whose hold it was.

#include <gtest/gtest.h>

#include "controller_process.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

TEST(OverrideAuthorTest, OverridesNameTheirAuthorAndHoldsTheirHolder) {
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR);
  auto alice = v1::SessionService::NewStub(
      controller.ChannelWithToken(controller.AddUserWithToken("alice", "instructor")));
  auto bob = v1::SessionService::NewStub(
      controller.ChannelWithToken(controller.AddUserWithToken("bob", "instructor")));
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  create.set_speed(0.25);
  v1::Session session;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(alice->Create(&context, create, &session).ok());
  }
  v1::SessionRef ref;
  ref.set_session_id(session.id());
  {
    grpc::ClientContext context;
    ASSERT_TRUE(alice->Start(&context, ref, &session).ok());
  }

  v1::OverrideVitalsRequest hold;
  hold.set_session_id(session.id());
  hold.mutable_vitals()->set_heart_rate_bpm(180);
  v1::Event held;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(alice->OverrideVitals(&context, hold, &held).ok());
  }
  EXPECT_EQ(held.vitals_override().author(), "alice");
  EXPECT_NE(held.summary().find("by alice"), std::string::npos) << held.summary();
  {
    grpc::ClientContext context;
    ASSERT_TRUE(bob->Get(&context, ref, &session).ok());
  }
  ASSERT_EQ(session.vital_holders().count("heart_rate_bpm"), 1u);
  EXPECT_EQ(session.vital_holders().at("heart_rate_bpm"), "alice");

  v1::OverrideVitalsRequest release;
  release.set_session_id(session.id());
  release.add_release("heart_rate_bpm");
  v1::Event released;
  {
    grpc::ClientContext context;
    ASSERT_TRUE(bob->OverrideVitals(&context, release, &released).ok());
  }
  EXPECT_EQ(released.kind(), v1::EVENT_KIND_VITALS_RELEASED);
  EXPECT_EQ(released.vitals_override().author(), "bob");
  ASSERT_EQ(released.vitals_override().released_from().count("heart_rate_bpm"), 1u);
  EXPECT_EQ(released.vitals_override().released_from().at("heart_rate_bpm"), "alice");
  EXPECT_NE(released.summary().find("releasing alice's hold on heart_rate_bpm"), std::string::npos)
      << released.summary();
  {
    grpc::ClientContext context;
    ASSERT_TRUE(alice->Get(&context, ref, &session).ok());
  }
  EXPECT_EQ(session.vital_holders().count("heart_rate_bpm"), 0u);
}

}  // namespace
}  // namespace pedisim::testing
