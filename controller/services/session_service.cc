#include "controller/services/session_service.h"

#include <functional>

#include "controller/auth/caller.h"
#include "controller/services/answer.h"
#include "controller/services/debrief_visibility.h"
#include "controller/services/refusal_reactor.h"
#include "controller/services/request_checks.h"
#include "controller/services/session_access.h"
#include "controller/services/watch_reactor.h"

namespace pedisim::services {

namespace {

using SessionPtr = std::shared_ptr<session::Session>;

// Runs `call` on the session named by `session_id` and answers with its
// status; unknown or empty ids are answered before the call.
grpc::ServerUnaryReactor* OnSession(grpc::CallbackServerContext* context,
                                    const session::SessionManager& sessions,
                                    const std::string& session_id,
                                    const std::function<grpc::Status(session::Session&)>& call) {
  if (grpc::Status status = CheckSessionId(session_id); !status.ok()) {
    return Answer(context, status);
  }
  SessionPtr session;
  if (grpc::Status status = FindVisible(sessions, auth::CallerOf(*context), session_id, &session);
      !status.ok()) {
    return Answer(context, status);
  }
  return Answer(context, call(*session));
}

// The same, for calls that answer with the session as it is afterwards.
grpc::ServerUnaryReactor* Lifecycle(grpc::CallbackServerContext* context,
                                    const session::SessionManager& sessions,
                                    const std::string& session_id, v1::Session* response,
                                    grpc::Status (session::Session::*change)()) {
  return OnSession(context, sessions, session_id, [&](session::Session& session) {
    grpc::Status status = (session.*change)();
    if (status.ok()) *response = session.Snapshot();
    return status;
  });
}

}  // namespace

grpc::ServerUnaryReactor* SessionServiceImpl::Create(Context* context,
                                                     const v1::CreateSessionRequest* request,
                                                     v1::Session* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  if (grpc::Status status = CheckCreate(*request); !status.ok()) return Answer(context, status);
  SessionPtr created;
  grpc::Status status = sessions_.Create(*request, &created);
  if (status.ok()) *response = created->Snapshot();
  return Answer(context, status);
}

grpc::ServerUnaryReactor* SessionServiceImpl::Start(Context* context, const v1::SessionRef* request,
                                                    v1::Session* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  return Lifecycle(context, sessions_, request->session_id(), response, &session::Session::Start);
}

grpc::ServerUnaryReactor* SessionServiceImpl::Pause(Context* context, const v1::SessionRef* request,
                                                    v1::Session* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  return Lifecycle(context, sessions_, request->session_id(), response, &session::Session::Pause);
}

grpc::ServerUnaryReactor* SessionServiceImpl::Resume(Context* context,
                                                     const v1::SessionRef* request,
                                                     v1::Session* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  return Lifecycle(context, sessions_, request->session_id(), response, &session::Session::Resume);
}

grpc::ServerUnaryReactor* SessionServiceImpl::Stop(Context* context, const v1::SessionRef* request,
                                                   v1::Session* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  return Lifecycle(context, sessions_, request->session_id(), response, &session::Session::Stop);
}

grpc::ServerUnaryReactor* SessionServiceImpl::SetSpeed(Context* context,
                                                       const v1::SetSpeedRequest* request,
                                                       v1::Session* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  if (grpc::Status status = CheckSpeed(request->speed(), "speed"); !status.ok()) {
    return Answer(context, status);
  }
  return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
    grpc::Status status = session.SetSpeed(request->speed());
    if (status.ok()) *response = session.Snapshot();
    return status;
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::SetRoomDisplay(
    Context* context, const v1::SetRoomDisplayRequest* request, v1::Session* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  if (grpc::Status status = CheckRoomDisplay(*request); !status.ok()) {
    return Answer(context, status);
  }
  const std::string instructor = auth::AttributedName(auth::CallerOf(*context), "");
  return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
    grpc::Status status = session.SetRoomDisplay(request->display(), instructor);
    if (status.ok()) *response = session.Snapshot();
    return status;
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::GoToState(Context* context,
                                                        const v1::GoToStateRequest* request,
                                                        v1::Event* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  if (grpc::Status status = CheckGoToState(*request); !status.ok()) return Answer(context, status);
  return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
    return session.GoToState(request->state(), request->reason(), "", response);
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::OverrideVitals(
    Context* context, const v1::OverrideVitalsRequest* request, v1::Event* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  if (grpc::Status status = CheckOverride(*request); !status.ok()) return Answer(context, status);
  return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
    return session.OverrideVitals(*request, "", response);
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::LogAction(Context* context,
                                                        const v1::LogActionRequest* request,
                                                        v1::Event* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  if (grpc::Status status = CheckSessionId(request->session_id()); !status.ok()) {
    return Answer(context, status);
  }
  if (grpc::Status status = CheckAction(request->action(), "action"); !status.ok()) {
    return Answer(context, status);
  }
  const v1::Agent agent =
      request->agent() == v1::AGENT_UNSPECIFIED ? v1::AGENT_LEARNER : request->agent();
  // The scenario and the system do not perform learner actions.
  if (agent != v1::AGENT_LEARNER && agent != v1::AGENT_INSTRUCTOR && agent != v1::AGENT_DEVICE) {
    return Answer(context, grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                        "agent: must be AGENT_LEARNER, AGENT_INSTRUCTOR or "
                                        "AGENT_DEVICE"));
  }
  return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
    return session.LogAction(request->action(), agent, request->source(), response);
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::AddBookmark(Context* context,
                                                          const v1::AddBookmarkRequest* request,
                                                          v1::Event* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  if (grpc::Status status = CheckBookmark(*request); !status.ok()) return Answer(context, status);
  return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
    return session.AddBookmark(request->label(), request->note(), request->category(), "",
                               response);
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::Get(Context* context, const v1::SessionRef* request,
                                                  v1::Session* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  const bool learner = !auth::CallerOf(*context).IsStaff();
  return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
    *response = session.Snapshot();
    if (learner) ShowLearner(response);
    return grpc::Status::OK;
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::List(Context* context, const v1::ListSessionsRequest*,
                                                   v1::ListSessionsResponse* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  const auth::Caller caller = auth::CallerOf(*context);
  for (const SessionPtr& session : sessions_.List()) {
    if (!MaySee(caller, *session)) continue;
    v1::Session* listed = response->add_sessions();
    *listed = session->Snapshot();
    if (!caller.IsStaff()) ShowLearner(listed);
  }
  return Answer(context, grpc::Status::OK);
}

grpc::ServerWriteReactor<v1::SessionUpdate>* SessionServiceImpl::Watch(
    Context* context, const v1::WatchRequest* request) {
  if (auto* refused = RefuseStream<v1::SessionUpdate>(context)) return refused;
  grpc::Status status = CheckSessionId(request->session_id());
  SessionPtr session;
  const auth::Caller caller = auth::CallerOf(*context);
  if (status.ok()) status = FindVisible(sessions_, caller, request->session_id(), &session);
  if (status.ok()) status = session->ReserveWatcher();
  if (!status.ok()) {
    return new RefusalReactor<v1::SessionUpdate>(status);
  }
  return new WatchReactor(
      std::move(session),
      request->has_after_event_id() ? std::optional<uint64_t>(request->after_event_id())
                                    : std::nullopt,
      caller.IsStaff() ? WatchReactor::Viewer::kStaff : WatchReactor::Viewer::kLearner, caller);
}

}  // namespace pedisim::services
