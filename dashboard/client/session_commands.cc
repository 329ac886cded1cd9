#include "client/session_commands.h"

#include <fmt/format.h>

namespace pedisim::dashboard {
namespace {

// Who the controller records as the source of the dashboard's commands.
constexpr const char* kSource = "pedisim-dashboard";

// Queues one unary call of `method` on the stub `stub` of the link's
// worker; reports a failure as `what failed: ...`, a success as
// `done(response)` (no notice when that is empty). The call captures the
// link, not the SessionCommands, which the UI may drop while it is queued.
template <typename Stub, typename Request, typename Response>
void PostCall(ControllerLink& link, std::unique_ptr<Stub> Stubs::*stub,
              grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
              Request request, std::string what,
              std::function<std::string(const Response&)> done = nullptr) {
  link.Post([&link, stub, method, request = std::move(request), what = std::move(what),
             done = std::move(done)](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    Response response;
    const grpc::Status status = ((*(stubs.*stub)).*method)(&context, request, &response);
    link.Report(status, what, status.ok() && done ? done(response) : "");
  });
}

}  // namespace

v1::SessionRef SessionCommands::Ref() const {
  v1::SessionRef ref;
  ref.set_session_id(session_id_);
  return ref;
}

void SessionCommands::Start() {
  PostCall(link_, &Stubs::sessions, &v1::SessionService::Stub::Start, Ref(), "start");
}

void SessionCommands::Pause() {
  PostCall(link_, &Stubs::sessions, &v1::SessionService::Stub::Pause, Ref(), "pause");
}

void SessionCommands::Resume() {
  PostCall(link_, &Stubs::sessions, &v1::SessionService::Stub::Resume, Ref(), "resume");
}

void SessionCommands::Stop() {
  PostCall(link_, &Stubs::sessions, &v1::SessionService::Stub::Stop, Ref(), "stop");
}

void SessionCommands::SetRoomDisplay(const v1::RoomDisplay& display,
                                     const std::string& description) {
  v1::SetRoomDisplayRequest request;
  request.set_session_id(session_id_);
  *request.mutable_display() = display;
  PostCall(link_, &Stubs::sessions, &v1::SessionService::Stub::SetRoomDisplay, request,
           description);
}

void SessionCommands::SetSpeed(double speed) {
  v1::SetSpeedRequest request;
  request.set_session_id(session_id_);
  request.set_speed(speed);
  PostCall(link_, &Stubs::sessions, &v1::SessionService::Stub::SetSpeed, request, "speed change");
}

void SessionCommands::GoToState(const std::string& state) {
  v1::GoToStateRequest request;
  request.set_session_id(session_id_);
  request.set_state(state);
  request.set_reason("forced from the dashboard");
  PostCall<v1::SessionService::Stub, v1::GoToStateRequest, v1::Event>(
      link_, &Stubs::sessions, &v1::SessionService::Stub::GoToState, request, "go to " + state,
      [state](const v1::Event&) { return "forced: " + state; });
}

void SessionCommands::Override(const v1::Vitals& vitals, double trend_s) {
  v1::OverrideVitalsRequest request;
  request.set_session_id(session_id_);
  *request.mutable_vitals() = vitals;
  request.set_trend_duration_s(trend_s);
  request.set_reason("instructor override from the dashboard");
  PostCall<v1::SessionService::Stub, v1::OverrideVitalsRequest, v1::Event>(
      link_, &Stubs::sessions, &v1::SessionService::Stub::OverrideVitals, request, "override",
      [](const v1::Event& event) { return event.summary(); });
}

void SessionCommands::Release(const std::vector<std::string>& vitals, double trend_s) {
  v1::OverrideVitalsRequest request;
  request.set_session_id(session_id_);
  for (const std::string& vital : vitals) request.add_release(vital);
  request.set_trend_duration_s(trend_s);
  request.set_reason("released from the dashboard");
  PostCall<v1::SessionService::Stub, v1::OverrideVitalsRequest, v1::Event>(
      link_, &Stubs::sessions, &v1::SessionService::Stub::OverrideVitals, request, "release",
      [](const v1::Event& event) { return event.summary(); });
}

void SessionCommands::LogAction(const v1::LearnerAction& action, const std::string& description) {
  v1::LogActionRequest request;
  request.set_session_id(session_id_);
  *request.mutable_action() = action;
  request.set_source(kSource);
  PostCall<v1::SessionService::Stub, v1::LogActionRequest, v1::Event>(
      link_, &Stubs::sessions, &v1::SessionService::Stub::LogAction, request, description,
      [description](const v1::Event&) { return "logged: " + description; });
}

void SessionCommands::Bookmark(const std::string& label) {
  v1::AddBookmarkRequest request;
  request.set_session_id(session_id_);
  request.set_label(label);
  PostCall<v1::SessionService::Stub, v1::AddBookmarkRequest, v1::Event>(
      link_, &Stubs::sessions, &v1::SessionService::Stub::AddBookmark, request, "bookmark",
      [](const v1::Event& event) {
        return fmt::format("bookmark at {:.0f} s", event.sim_time_s());
      });
}

void SessionCommands::ReleaseScores() {
  v1::ReleaseScoresRequest request;
  request.set_session_id(session_id_);
  // Recorded under the account the dashboard signed in with.
  PostCall<v1::AssessmentService::Stub, v1::ReleaseScoresRequest, v1::Event>(
      link_, &Stubs::assessments, &v1::AssessmentService::Stub::ReleaseScores, request,
      "release scores", [](const v1::Event&) { return "scores released to learners"; });
}

}  // namespace pedisim::dashboard
