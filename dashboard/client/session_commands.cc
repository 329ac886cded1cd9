#include "client/session_commands.h"

#include <fmt/format.h>

namespace pedisim::dashboard {
namespace {

// Calls capture the link and the id, not the SessionCommands, which the UI
// may drop (leaving the session) while its calls are still queued.
// Who the controller records as the source of the dashboard's commands.
constexpr const char* kSource = "pedisim-dashboard";

}  // namespace

void SessionCommands::PostStatusChange(
    const std::string& what,
    grpc::Status (v1::SessionService::Stub::*call)(grpc::ClientContext*, const v1::SessionRef&,
                                                   v1::Session*)) {
  link_.Post([&link = link_, session_id = session_id_, what, call](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::SessionRef ref;
    ref.set_session_id(session_id);
    v1::Session session;
    link.Report(((*stubs.sessions).*call)(&context, ref, &session), what);
  });
}

void SessionCommands::Start() { PostStatusChange("start", &v1::SessionService::Stub::Start); }
void SessionCommands::Pause() { PostStatusChange("pause", &v1::SessionService::Stub::Pause); }
void SessionCommands::Resume() { PostStatusChange("resume", &v1::SessionService::Stub::Resume); }
void SessionCommands::Stop() { PostStatusChange("stop", &v1::SessionService::Stub::Stop); }

void SessionCommands::SetSpeed(double speed) {
  link_.Post([&link = link_, session_id = session_id_, speed](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::SetSpeedRequest request;
    request.set_session_id(session_id);
    request.set_speed(speed);
    v1::Session session;
    link.Report(stubs.sessions->SetSpeed(&context, request, &session), "speed change");
  });
}

void SessionCommands::GoToState(const std::string& state) {
  link_.Post([&link = link_, session_id = session_id_, state](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::GoToStateRequest request;
    request.set_session_id(session_id);
    request.set_state(state);
    request.set_reason("forced from the dashboard");
    v1::Event event;
    link.Report(stubs.sessions->GoToState(&context, request, &event), "go to " + state,
                "forced: " + state);
  });
}

void SessionCommands::Override(const v1::Vitals& vitals, double trend_s) {
  link_.Post([&link = link_, session_id = session_id_, vitals, trend_s](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::OverrideVitalsRequest request;
    request.set_session_id(session_id);
    *request.mutable_vitals() = vitals;
    request.set_trend_duration_s(trend_s);
    request.set_reason("instructor override from the dashboard");
    v1::Event event;
    link.Report(stubs.sessions->OverrideVitals(&context, request, &event), "override",
                event.summary());
  });
}

void SessionCommands::Release(const std::vector<std::string>& vitals, double trend_s) {
  link_.Post([&link = link_, session_id = session_id_, vitals, trend_s](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::OverrideVitalsRequest request;
    request.set_session_id(session_id);
    for (const std::string& vital : vitals) request.add_release(vital);
    request.set_trend_duration_s(trend_s);
    request.set_reason("released from the dashboard");
    v1::Event event;
    link.Report(stubs.sessions->OverrideVitals(&context, request, &event), "release",
                event.summary());
  });
}

void SessionCommands::LogAction(const v1::LearnerAction& action, const std::string& description) {
  link_.Post([&link = link_, session_id = session_id_, action, description](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::LogActionRequest request;
    request.set_session_id(session_id);
    *request.mutable_action() = action;
    request.set_source(kSource);
    v1::Event event;
    link.Report(stubs.sessions->LogAction(&context, request, &event), description,
                "logged: " + description);
  });
}

void SessionCommands::Bookmark(const std::string& label) {
  link_.Post([&link = link_, session_id = session_id_, label](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::AddBookmarkRequest request;
    request.set_session_id(session_id);
    request.set_label(label);
    v1::Event event;
    link.Report(stubs.sessions->AddBookmark(&context, request, &event), "bookmark",
                fmt::format("bookmark at {:.0f} s", event.sim_time_s()));
  });
}

void SessionCommands::ReleaseScores() {
  link_.Post([&link = link_, session_id = session_id_](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::ReleaseScoresRequest request;
    request.set_session_id(session_id);
    request.set_instructor(kSource);
    v1::Event event;
    link.Report(stubs.assessments->ReleaseScores(&context, request, &event), "release scores",
                "scores released to learners");
  });
}

}  // namespace pedisim::dashboard
