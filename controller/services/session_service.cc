#include "controller/services/session_service.h"

#include <functional>

#include "controller/auth/caller.h"
#include "controller/services/answer.h"
#include "controller/services/debrief_visibility.h"
#include "controller/services/final_message_reactor.h"
#include "controller/services/refusal_reactor.h"
#include "controller/services/session_access.h"
#include "controller/services/watch_reactor.h"
#include "core/checks/request_checks.h"

namespace pedisim::services {

namespace {

using SessionPtr = std::shared_ptr<session::Session>;

// Runs `call` on the session named by `session_id` and answers with its
// status; a malformed id, then whatever `request_checks` refuses, then an
// unknown id are answered before the call.
grpc::ServerUnaryReactor* OnSession(grpc::CallbackServerContext* context,
                                    const session::SessionManager& sessions,
                                    const std::string& session_id,
                                    const std::function<grpc::Status(session::Session&)>& call,
                                    const std::function<grpc::Status()>& request_checks = {}) {
  if (grpc::Status status = checks::CheckSessionId(session_id); !status.ok()) {
    return Answer(context, status);
  }
  if (request_checks) {
    if (grpc::Status status = request_checks(); !status.ok()) return Answer(context, status);
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
  return AnswerGuarded(context, "SessionService.Create", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status status = checks::CheckCreate(*request); !status.ok())
      return Answer(context, status);
    SessionPtr created;
    grpc::Status status = sessions_.Create(*request, &created);
    if (status.ok()) *response = created->Snapshot();
    return Answer(context, status);
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::Start(Context* context, const v1::SessionRef* request,
                                                    v1::Session* response) {
  return AnswerGuarded(context, "SessionService.Start", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    // A session does not start (or resume, below) on a disk too full to
    // record it; the disk watch pauses running ones (controller/disk_watch.h).
    if (grpc::Status status = sessions_.CheckFreeDisk(); !status.ok()) {
      return Answer(context, status);
    }
    return Lifecycle(context, sessions_, request->session_id(), response, &session::Session::Start);
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::Pause(Context* context, const v1::SessionRef* request,
                                                    v1::Session* response) {
  return AnswerGuarded(context, "SessionService.Pause", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    return Lifecycle(context, sessions_, request->session_id(), response, &session::Session::Pause);
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::Resume(Context* context,
                                                     const v1::SessionRef* request,
                                                     v1::Session* response) {
  return AnswerGuarded(context, "SessionService.Resume", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    SessionPtr held;
    if (checks::CheckSessionId(request->session_id()).ok() &&
        !sessions_.Find(request->session_id(), &held).ok()) {
      // Not in memory: a session a controller shutdown or crash
      // interrupted is restored, paused (session_service.proto).
      v1::Session stored;
      if (grpc::Status status = sessions_.Describe(request->session_id(), &stored); !status.ok()) {
        return Answer(context, status);
      }
      if (!MaySee(auth::CallerOf(*context), stored.participants())) {
        return Answer(context,
                      grpc::Status(grpc::StatusCode::NOT_FOUND,
                                   "session_id: no session '" + request->session_id() + "'"));
      }
      SessionPtr restored;
      grpc::Status status = sessions_.Restore(request->session_id(), &restored);
      if (status.ok()) *response = restored->Snapshot();
      return Answer(context, status);
    }
    if (grpc::Status status = sessions_.CheckFreeDisk(); !status.ok()) {
      return Answer(context, status);
    }
    return Lifecycle(context, sessions_, request->session_id(), response,
                     &session::Session::Resume);
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::Stop(Context* context, const v1::SessionRef* request,
                                                   v1::Session* response) {
  return AnswerGuarded(context, "SessionService.Stop", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    return Lifecycle(context, sessions_, request->session_id(), response, &session::Session::Stop);
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::SetSpeed(Context* context,
                                                       const v1::SetSpeedRequest* request,
                                                       v1::Session* response) {
  return AnswerGuarded(context, "SessionService.SetSpeed", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status status = checks::CheckSpeed(request->speed(), "speed"); !status.ok()) {
      return Answer(context, status);
    }
    return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
      grpc::Status status = session.SetSpeed(request->speed());
      if (status.ok()) *response = session.Snapshot();
      return status;
    });
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::SetRoomDisplay(
    Context* context, const v1::SetRoomDisplayRequest* request, v1::Session* response) {
  if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
  if (grpc::Status status = checks::CheckRoomDisplay(*request); !status.ok()) {
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
  return AnswerGuarded(context, "SessionService.GoToState", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status status = checks::CheckGoToState(*request); !status.ok())
      return Answer(context, status);
    return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
      return session.GoToState(request->state(), request->reason(), "", response);
    });
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::OverrideVitals(
    Context* context, const v1::OverrideVitalsRequest* request, v1::Event* response) {
  return AnswerGuarded(context, "SessionService.OverrideVitals", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status status = checks::CheckOverride(*request); !status.ok())
      return Answer(context, status);
    // The account as it signed in: who holds a vital is not a claim.
    const std::string author = auth::CallerOf(*context).name;
    return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
      return session.OverrideVitals(*request, author, "", response);
    });
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::LogAction(Context* context,
                                                        const v1::LogActionRequest* request,
                                                        v1::Event* response) {
  return AnswerGuarded(context, "SessionService.LogAction", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const v1::Agent agent =
        request->agent() == v1::AGENT_UNSPECIFIED ? v1::AGENT_LEARNER : request->agent();
    auto request_checks = [&]() -> grpc::Status {
      if (grpc::Status status = checks::CheckAction(request->action(), "action"); !status.ok()) {
        return status;
      }
      // The scenario and the system do not perform learner actions.
      if (agent != v1::AGENT_LEARNER && agent != v1::AGENT_INSTRUCTOR &&
          agent != v1::AGENT_DEVICE) {
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "agent: must be AGENT_LEARNER, AGENT_INSTRUCTOR or AGENT_DEVICE");
      }
      return grpc::Status::OK;
    };
    return OnSession(
        context, sessions_, request->session_id(),
        [&](session::Session& session) {
          return session.LogAction(request->action(), agent, request->source(), response);
        },
        request_checks);
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::AddBookmark(Context* context,
                                                          const v1::AddBookmarkRequest* request,
                                                          v1::Event* response) {
  return AnswerGuarded(context, "SessionService.AddBookmark", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status status = checks::CheckBookmark(*request); !status.ok())
      return Answer(context, status);
    return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
      return session.AddBookmark(request->label(), request->note(), request->category(), "",
                                 response);
    });
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::ReleaseDiagnosticResult(
    Context* context, const v1::ReleaseDiagnosticResultRequest* request, v1::Event* response) {
  return AnswerGuarded(context, "SessionService.ReleaseDiagnosticResult", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status status = checks::CheckReleaseDiagnosticResult(*request); !status.ok()) {
      return Answer(context, status);
    }
    // The account as it signed in: who released a result is not a claim.
    const std::string instructor = auth::CallerOf(*context).name;
    return OnSession(context, sessions_, request->session_id(), [&](session::Session& session) {
      return session.ReleaseDiagnosticResult(request->diagnostic(), instructor, response);
    });
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::Get(Context* context, const v1::SessionRef* request,
                                                  v1::Session* response) {
  return AnswerGuarded(context, "SessionService.Get", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status status = checks::CheckSessionId(request->session_id()); !status.ok()) {
      return Answer(context, status);
    }
    // In memory or, once it ended and was handed over, from its record.
    const auth::Caller caller = auth::CallerOf(*context);
    if (grpc::Status status = sessions_.Describe(request->session_id(), response); !status.ok()) {
      return Answer(context, status);
    }
    if (!MaySee(caller, response->participants())) {
      response->Clear();
      return Answer(context,
                    grpc::Status(grpc::StatusCode::NOT_FOUND,
                                 "session_id: no session '" + request->session_id() + "'"));
    }
    if (!caller.IsStaff()) ShowLearner(response);
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* SessionServiceImpl::List(Context* context,
                                                   const v1::ListSessionsRequest* request,
                                                   v1::ListSessionsResponse* response) {
  return AnswerGuarded(context, "SessionService.List", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const auth::Caller caller = auth::CallerOf(*context);
    for (v1::Session& session : sessions_.ListAll(request->include_archived())) {
      if (!MaySee(caller, session.participants())) continue;
      v1::Session* listed = response->add_sessions();
      *listed = std::move(session);
      if (!caller.IsStaff()) ShowLearner(listed);
    }
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerWriteReactor<v1::SessionUpdate>* SessionServiceImpl::Watch(
    Context* context, const v1::WatchRequest* request) {
  // Nothing thrown below escapes into gRPC (answer.h).
  try {
    if (auto* refused = RefuseStream<v1::SessionUpdate>(context)) return refused;
    grpc::Status status = checks::CheckSessionId(request->session_id());
    SessionPtr session;
    const auth::Caller caller = auth::CallerOf(*context);
    if (status.ok()) status = FindVisible(sessions_, caller, request->session_id(), &session);
    if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
      // Ended and handed over to the store: its final snapshot, then the end
      // (past events are replayed by DebriefService.Replay).
      v1::SessionUpdate final_update;
      if (sessions_.Describe(request->session_id(), final_update.mutable_snapshot()).ok() &&
          MaySee(caller, final_update.snapshot().participants())) {
        if (!caller.IsStaff()) ShowLearner(final_update.mutable_snapshot());
        return new FinalMessageReactor<v1::SessionUpdate>(std::move(final_update));
      }
    }
    if (status.ok() && request->has_after_event_id()) {
      status = session->CheckEventId(request->after_event_id(), "after_event_id");
    }
    if (status.ok()) status = session->ReserveWatcher();
    if (!status.ok()) {
      return new RefusalReactor<v1::SessionUpdate>(status);
    }
    return new WatchReactor(
        std::move(session),
        request->has_after_event_id() ? std::optional<uint64_t>(request->after_event_id())
                                      : std::nullopt,
        caller.IsStaff() ? WatchReactor::Viewer::kStaff : WatchReactor::Viewer::kLearner, caller);
  } catch (...) {
    return new RefusalReactor<v1::SessionUpdate>(
        FailureStatus("SessionService.Watch", std::current_exception()));
  }
}

}  // namespace pedisim::services
