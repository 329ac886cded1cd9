#pragma once

#include "controller/session/session_manager.h"
#include "pedisim/v1/assessment_service.grpc.pb.h"

namespace pedisim::services {

// AssessmentService: asks a session for its grades (Session::Grades) and
// for changes to them (Session::ChangeGrades), which the session makes
// between two engine steps and records as events.
class AssessmentServiceImpl final : public v1::AssessmentService::CallbackService {
 public:
  explicit AssessmentServiceImpl(session::SessionManager& sessions) : sessions_(sessions) {}

  using Context = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* GetAssessment(Context*, const v1::GetAssessmentRequest*, v1::Assessment*) override;
  Reactor* OverrideGrade(Context*, const v1::OverrideGradeRequest*, v1::Event*) override;
  Reactor* ScoreItem(Context*, const v1::ScoreItemRequest*, v1::Event*) override;
  Reactor* SetLearningMode(Context*, const v1::SetLearningModeRequest*, v1::Event*) override;
  Reactor* ReleaseScores(Context*, const v1::ReleaseScoresRequest*, v1::Event*) override;

 private:
  session::SessionManager& sessions_;
};

}  // namespace pedisim::services
