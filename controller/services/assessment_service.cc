#include "controller/services/assessment_service.h"

#include "controller/assessment/assessment_view.h"
#include "controller/auth/caller.h"
#include "controller/services/answer.h"
#include "controller/services/session_access.h"
#include "core/checks/request_checks.h"

namespace pedisim::services {
namespace {

grpc::Status Invalid(const std::string& message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

// The live session `session_id` names, if the caller may see it.
grpc::Status FindLive(grpc::CallbackServerContext* context, const session::SessionManager& sessions,
                      const std::string& session_id, std::shared_ptr<session::Session>* found) {
  if (grpc::Status status = checks::CheckSessionId(session_id); !status.ok()) return status;
  return FindVisible(sessions, auth::CallerOf(*context), session_id, found);
}

// The instructor a change is recorded under: the caller's account, with the
// name the request gives beside it. Empty with `refusal` set when the name
// is not acceptable.
std::string InstructorOf(grpc::CallbackServerContext* context, const std::string& claimed,
                         grpc::Status* refusal) {
  *refusal = checks::CheckClaimedName(claimed, "instructor");
  return refusal->ok() ? auth::AttributedName(auth::CallerOf(*context), claimed) : "";
}

// Asks the session to make `change` and answers with its recorded event.
grpc::ServerUnaryReactor* ChangeGrades(grpc::CallbackServerContext* context,
                                       const session::SessionManager& sessions,
                                       const std::string& session_id,
                                       const session::Session::GradeChange& change,
                                       v1::Event* response) {
  std::shared_ptr<session::Session> session;
  if (grpc::Status status = FindLive(context, sessions, session_id, &session); !status.ok()) {
    return Answer(context, status);
  }
  return Answer(context, session->ChangeGrades(change, response));
}

}  // namespace

grpc::ServerUnaryReactor* AssessmentServiceImpl::GetAssessment(
    Context* context, const v1::GetAssessmentRequest* request, v1::Assessment* response) {
  return AnswerGuarded(context, "AssessmentService.GetAssessment", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    // Learners get the learner's view whatever they ask for.
    const bool as_learner =
        request->viewer_role() == v1::VIEWER_ROLE_LEARNER || !auth::CallerOf(*context).IsStaff();
    std::shared_ptr<session::Session> held;
    if (checks::CheckSessionId(request->session_id()).ok() &&
        !sessions_.Find(request->session_id(), &held).ok()) {
      // An ended session handed over to the store: its grades as they stood
      // last, from its record.
      v1::Session stored;
      if (grpc::Status status = sessions_.Describe(request->session_id(), &stored); !status.ok()) {
        return Answer(context, status);
      }
      if (!MaySee(auth::CallerOf(*context), stored.participants())) {
        return Answer(context,
                      grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   "session_id: no session '" + request->session_id() + "'"));
      }
      v1::Assessment full = stored.assessment();
      *response = as_learner ? assessment::LearnerView(full) : std::move(full);
      return Answer(context, grpc::Status::OK);
    }
    std::shared_ptr<session::Session> session;
    if (grpc::Status status = FindLive(context, sessions_, request->session_id(), &session);
        !status.ok()) {
      return Answer(context, status);
    }
    *response = session->Grades(as_learner);
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::OverrideGrade(
    Context* context, const v1::OverrideGradeRequest* request, v1::Event* response) {
  return AnswerGuarded(context, "AssessmentService.OverrideGrade", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    grpc::Status bad;
    const std::string instructor = InstructorOf(context, request->instructor(), &bad);
    if (!bad.ok()) return Answer(context, bad);
    if (request->item().empty()) return Answer(context, Invalid("item: required"));
    if (request->grade() == v1::GRADE_UNSPECIFIED) {
      return Answer(context, Invalid("grade: required (GRADE_MET, GRADE_WRONG, ...)"));
    }
    if (request->comment().empty()) {
      return Answer(context, Invalid("comment: required; say why the grade changes"));
    }
    return ChangeGrades(context, sessions_, request->session_id(),
                        {"override a grade",
                         [&](assessment::Assessor& assessor) {
                           return assessor.OverrideGrade(request->item(), request->grade(),
                                                         request->comment(), instructor);
                         }},
                        response);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ScoreItem(Context* context,
                                                           const v1::ScoreItemRequest* request,
                                                           v1::Event* response) {
  return AnswerGuarded(context, "AssessmentService.ScoreItem", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    grpc::Status bad;
    const std::string instructor = InstructorOf(context, request->instructor(), &bad);
    if (!bad.ok()) return Answer(context, bad);
    if (request->item().empty()) return Answer(context, Invalid("item: required"));
    return ChangeGrades(context, sessions_, request->session_id(),
                        {"score an item",
                         [&](assessment::Assessor& assessor) {
                           return assessor.ScoreItem(request->item(), request->score(),
                                                     request->comment(), instructor);
                         }},
                        response);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::SetLearningMode(
    Context* context, const v1::SetLearningModeRequest* request, v1::Event* response) {
  return AnswerGuarded(context, "AssessmentService.SetLearningMode", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    grpc::Status bad;
    const std::string instructor = InstructorOf(context, request->instructor(), &bad);
    if (!bad.ok()) return Answer(context, bad);
    if (request->mode() != v1::LEARNING_MODE_SCORED &&
        request->mode() != v1::LEARNING_MODE_FORMATIVE) {
      return Answer(context,
                    Invalid("mode: must be LEARNING_MODE_SCORED or LEARNING_MODE_FORMATIVE"));
    }
    // The mode may be set before the clock starts (a formative run planned).
    return ChangeGrades(context, sessions_, request->session_id(),
                        {"",
                         [&](assessment::Assessor& assessor) {
                           return assessor.SetMode(request->mode(), instructor);
                         }},
                        response);
  });
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ReleaseScores(
    Context* context, const v1::ReleaseScoresRequest* request, v1::Event* response) {
  return AnswerGuarded(context, "AssessmentService.ReleaseScores", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    grpc::Status bad;
    const std::string instructor = InstructorOf(context, request->instructor(), &bad);
    if (!bad.ok()) return Answer(context, bad);
    return ChangeGrades(
        context, sessions_, request->session_id(),
        {"release scores",
         [&](assessment::Assessor& assessor) { return assessor.Release(instructor); }},
        response);
  });
}

}  // namespace pedisim::services
