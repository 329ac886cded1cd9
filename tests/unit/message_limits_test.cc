// The bounds every request meets before a handler sees it
// (core/checks/message_limits), from the contract's field options.
#include "core/checks/message_limits.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "pedisim/v1/assessment_service.pb.h"
#include "pedisim/v1/session_service.pb.h"

namespace pedisim::checks {
namespace {

std::string Refusal(const google::protobuf::Message& message) {
  const grpc::Status status = CheckMessageLimits(message);
  if (status.ok()) return "";
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  return status.error_message();
}

v1::LogActionRequest Drug(double dose_mg) {
  v1::LogActionRequest request;
  request.set_session_id("s1");
  request.mutable_action()->set_kind(v1::ACTION_KIND_DRUG);
  request.mutable_action()->set_drug("epinephrine");
  request.mutable_action()->set_dose_mg(dose_mg);
  return request;
}

TEST(MessageLimitsTest, AnOrdinaryRequestPasses) {
  EXPECT_EQ(Refusal(Drug(0.12)), "");
  // A ten-fold error is what a simulator exists to catch: accepted.
  EXPECT_EQ(Refusal(Drug(1.2)), "");
}

TEST(MessageLimitsTest, NonFiniteAndAbsurdNumbersAreRefusedNamingTheField) {
  EXPECT_EQ(Refusal(Drug(1e308)), "action.dose_mg: must be between 0 and 100000, got 1e+308");
  EXPECT_EQ(Refusal(Drug(std::numeric_limits<double>::infinity())),
            "action.dose_mg: must be a finite number");
  EXPECT_EQ(Refusal(Drug(std::nan(""))), "action.dose_mg: must be a finite number");

  v1::LogActionRequest shock;
  shock.set_session_id("s1");
  shock.mutable_action()->set_kind(v1::ACTION_KIND_DEFIBRILLATION);
  shock.mutable_action()->set_energy_j(std::numeric_limits<double>::infinity());
  EXPECT_EQ(Refusal(shock), "action.energy_j: must be a finite number");
  shock.mutable_action()->set_energy_j(5000);
  EXPECT_EQ(Refusal(shock), "action.energy_j: must be between 0 and 1000, got 5000");

  v1::LogActionRequest fluid;
  fluid.set_session_id("s1");
  fluid.mutable_action()->set_kind(v1::ACTION_KIND_FLUID_BOLUS);
  fluid.mutable_action()->set_volume_ml(1e9);
  EXPECT_EQ(Refusal(fluid), "action.volume_ml: must be between 0 and 10000, got 1e+09");
  fluid.clear_action();
  fluid.mutable_action()->set_kind(v1::ACTION_KIND_OXYGEN);
  fluid.mutable_action()->set_oxygen_flow_l_per_min(1000);
  EXPECT_EQ(Refusal(fluid), "action.oxygen_flow_l_per_min: must be between 0 and 100, got 1000");

  v1::SetSpeedRequest speed;
  speed.set_session_id("s1");
  speed.set_speed(std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(Refusal(speed), "speed: must be a finite number");
}

TEST(MessageLimitsTest, LongStringsAreRefusedWithTheLimitAndNeverEchoed) {
  v1::SessionRef ref;
  ref.set_session_id(std::string(20000, 'x'));
  EXPECT_EQ(Refusal(ref), "session_id: at most 200 characters, got 20000");

  v1::AddBookmarkRequest bookmark;
  bookmark.set_session_id("s1");
  bookmark.set_label("check airway");
  bookmark.set_note(std::string(4000, 'n'));
  EXPECT_EQ(Refusal(bookmark), "") << "a note may be long";
  bookmark.set_note(std::string(500 * 1024, 'n'));
  EXPECT_EQ(Refusal(bookmark), "note: at most 4000 characters, got 512000");
  bookmark.clear_note();
  bookmark.set_label(std::string(500 * 1024, 'l'));
  EXPECT_EQ(Refusal(bookmark), "label: at most 200 characters, got 512000");

  v1::CreateSessionRequest create;
  create.set_scenario_id("infant");
  create.add_participants()->set_name(std::string(300, 'p'));
  EXPECT_EQ(Refusal(create), "participants[0].name: at most 200 characters, got 300");
  // A map's bound covers its keys and values: the learner script a virtual
  // manikin is given is a whole file.
  create.clear_participants();
  (*create.add_devices()->mutable_config())["script"] = std::string(100000, 's');
  EXPECT_EQ(Refusal(create), "");
}

TEST(MessageLimitsTest, UnknownEnumValuesAreRefusedEverywhere) {
  v1::GetAssessmentRequest request;
  request.set_session_id("s1");
  request.set_viewer_role(static_cast<v1::ViewerRole>(99));
  EXPECT_EQ(Refusal(request), "viewer_role: 99 is not a ViewerRole value");

  v1::LogActionRequest action;
  action.set_session_id("s1");
  action.mutable_action()->set_kind(static_cast<v1::ActionKind>(12345));
  EXPECT_EQ(Refusal(action), "action.kind: 12345 is not a ActionKind value");
}

TEST(MessageLimitsTest, RepeatedFieldsAreBounded) {
  v1::OverrideVitalsRequest request;
  request.set_session_id("s1");
  for (int i = 0; i < 1001; ++i) request.add_release("heart_rate_bpm");
  EXPECT_EQ(Refusal(request), "release: at most 1000 elements, got 1001");
}

TEST(MessageLimitsTest, EchoCutsLongInputOnACharacterBoundary) {
  EXPECT_EQ(Echo("epinephrin"), "epinephrin");
  const std::string cut = Echo(std::string(20000, 'x'));
  EXPECT_EQ(cut, std::string(200, 'x') + "... (20000 characters, cut)");
  // "é" is two bytes: the cut never splits one.
  std::string accents;
  for (int i = 0; i < 150; ++i) accents += "é";
  const std::string echoed = Echo(accents);
  EXPECT_EQ(echoed.substr(0, 200), accents.substr(0, 200));
  EXPECT_EQ(echoed, accents.substr(0, 200) + "... (300 characters, cut)");
}

}  // namespace
}  // namespace pedisim::checks
