#include "controller/services/assessment_service.h"

#include <functional>

#include "controller/assessment/assessment_view.h"
#include "controller/auth/caller.h"
#include "controller/services/answer.h"
#include "core/checks/request_checks.h"
#include "controller/services/session_access.h"

namespace pedisim::services {
namespace {

using Call = std::function<grpc::Status(session::Simulation&, v1::SessionStatus)>;

grpc::Status Invalid(const std::string& message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

grpc::ServerUnaryReactor* OnSession(grpc::CallbackServerContext* context,
                                    const session::SessionManager& sessions,
                                    const std::string& session_id, const Call& call) {
  if (grpc::Status status = checks::CheckSessionId(session_id); !status.ok()) {
    return Answer(context, status);
  }
  std::shared_ptr<session::Session> session;
  if (grpc::Status status = FindVisible(sessions, auth::CallerOf(*context), session_id, &session);
      !status.ok()) {
    return Answer(context, status);
  }
  return Answer(context, session->WithSimulation(call));
}

// Grades exist once the clock has started; before, there is nothing to judge.
grpc::Status RequireStarted(v1::SessionStatus status, const char* what) {
  if (status != v1::SESSION_STATUS_CREATED) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                      std::string("cannot ") + what + " before the session has started");
}

// Records an accepted change and answers with its event.
grpc::Status Apply(session::Simulation& simulation, assessment::Change change,
                   v1::Event* response) {
  switch (change.refusal) {
    case assessment::Change::Refusal::kNotFound:
      return grpc::Status(grpc::StatusCode::NOT_FOUND, change.message);
    case assessment::Change::Refusal::kInvalid:
      return Invalid(change.message);
    case assessment::Change::Refusal::kNone:
      break;
  }
  *response = simulation.Record(std::move(change.event));
  return grpc::Status::OK;
}

}  // namespace

grpc::ServerUnaryReactor* AssessmentServiceImpl::GetAssessment(
    Context* context, const v1::GetAssessmentRequest* request, v1::Assessment* response) {
  // Nothing thrown below escapes into gRPC (answer.h).
  try {
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
    return OnSession(context, sessions_, request->session_id(),
                     [&](session::Simulation& simulation, v1::SessionStatus) {
                       v1::Assessment full = simulation.assessor().Current();
                       *response = as_learner ? assessment::LearnerView(full) : std::move(full);
                       return grpc::Status::OK;
                     });
  } catch (...) {
    return AnswerFailure(context, "AssessmentService.GetAssessment", std::current_exception());
  }
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::OverrideGrade(
    Context* context, const v1::OverrideGradeRequest* request, v1::Event* response) {
  // Nothing thrown below escapes into gRPC (answer.h).
  try {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status bad = checks::CheckClaimedName(request->instructor(), "instructor"); !bad.ok()) {
      return Answer(context, bad);
    }
    const std::string instructor =
        auth::AttributedName(auth::CallerOf(*context), request->instructor());
    if (request->item().empty()) return Answer(context, Invalid("item: required"));
    if (request->grade() == v1::GRADE_UNSPECIFIED) {
      return Answer(context, Invalid("grade: required (GRADE_MET, GRADE_WRONG, ...)"));
    }
    if (request->comment().empty()) {
      return Answer(context, Invalid("comment: required; say why the grade changes"));
    }
    return OnSession(
        context, sessions_, request->session_id(),
        [&](session::Simulation& simulation, v1::SessionStatus status) {
          if (grpc::Status started = RequireStarted(status, "override a grade"); !started.ok()) {
            return started;
          }
          return Apply(simulation,
                       simulation.assessor().OverrideGrade(request->item(), request->grade(),
                                                           request->comment(), instructor),
                       response);
        });
  } catch (...) {
    return AnswerFailure(context, "AssessmentService.OverrideGrade", std::current_exception());
  }
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ScoreItem(Context* context,
                                                           const v1::ScoreItemRequest* request,
                                                           v1::Event* response) {
  // Nothing thrown below escapes into gRPC (answer.h).
  try {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status bad = checks::CheckClaimedName(request->instructor(), "instructor"); !bad.ok()) {
      return Answer(context, bad);
    }
    const std::string instructor =
        auth::AttributedName(auth::CallerOf(*context), request->instructor());
    if (request->item().empty()) return Answer(context, Invalid("item: required"));
    return OnSession(
        context, sessions_, request->session_id(),
        [&](session::Simulation& simulation, v1::SessionStatus status) {
          if (grpc::Status started = RequireStarted(status, "score an item"); !started.ok()) {
            return started;
          }
          return Apply(simulation,
                       simulation.assessor().ScoreItem(request->item(), request->score(),
                                                       request->comment(), instructor),
                       response);
        });
  } catch (...) {
    return AnswerFailure(context, "AssessmentService.ScoreItem", std::current_exception());
  }
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::SetLearningMode(
    Context* context, const v1::SetLearningModeRequest* request, v1::Event* response) {
  // Nothing thrown below escapes into gRPC (answer.h).
  try {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status bad = checks::CheckClaimedName(request->instructor(), "instructor"); !bad.ok()) {
      return Answer(context, bad);
    }
    const std::string instructor =
        auth::AttributedName(auth::CallerOf(*context), request->instructor());
    if (request->mode() != v1::LEARNING_MODE_SCORED &&
        request->mode() != v1::LEARNING_MODE_FORMATIVE) {
      return Answer(context,
                    Invalid("mode: must be LEARNING_MODE_SCORED or LEARNING_MODE_FORMATIVE"));
    }
    return OnSession(context, sessions_, request->session_id(),
                     [&](session::Simulation& simulation, v1::SessionStatus) {
                       return Apply(simulation,
                                    simulation.assessor().SetMode(request->mode(), instructor),
                                    response);
                     });
  } catch (...) {
    return AnswerFailure(context, "AssessmentService.SetLearningMode", std::current_exception());
  }
}

grpc::ServerUnaryReactor* AssessmentServiceImpl::ReleaseScores(
    Context* context, const v1::ReleaseScoresRequest* request, v1::Event* response) {
  // Nothing thrown below escapes into gRPC (answer.h).
  try {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status bad = checks::CheckClaimedName(request->instructor(), "instructor"); !bad.ok()) {
      return Answer(context, bad);
    }
    const std::string instructor =
        auth::AttributedName(auth::CallerOf(*context), request->instructor());
    return OnSession(
        context, sessions_, request->session_id(),
        [&](session::Simulation& simulation, v1::SessionStatus status) {
          if (grpc::Status started = RequireStarted(status, "release scores"); !started.ok()) {
            return started;
          }
          return Apply(simulation, simulation.assessor().Release(instructor), response);
        });
  } catch (...) {
    return AnswerFailure(context, "AssessmentService.ReleaseScores", std::current_exception());
  }
}

}  // namespace pedisim::services
