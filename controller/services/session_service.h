#pragma once

#include "controller/session/session_manager.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::services {

// SessionService: checks arguments, finds the session and hands the call to
// it. Watch streams are served by WatchReactor.
class SessionServiceImpl final : public v1::SessionService::CallbackService {
 public:
  explicit SessionServiceImpl(session::SessionManager& sessions) : sessions_(sessions) {}

  using Context = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* Create(Context*, const v1::CreateSessionRequest*, v1::Session*) override;
  Reactor* Start(Context*, const v1::SessionRef*, v1::Session*) override;
  Reactor* Pause(Context*, const v1::SessionRef*, v1::Session*) override;
  Reactor* Resume(Context*, const v1::SessionRef*, v1::Session*) override;
  Reactor* Stop(Context*, const v1::SessionRef*, v1::Session*) override;
  Reactor* SetSpeed(Context*, const v1::SetSpeedRequest*, v1::Session*) override;
  Reactor* GoToState(Context*, const v1::GoToStateRequest*, v1::Event*) override;
  Reactor* OverrideVitals(Context*, const v1::OverrideVitalsRequest*, v1::Event*) override;
  Reactor* SetRoomDisplay(Context*, const v1::SetRoomDisplayRequest*, v1::Session*) override;
  Reactor* LogAction(Context*, const v1::LogActionRequest*, v1::Event*) override;
  Reactor* AddBookmark(Context*, const v1::AddBookmarkRequest*, v1::Event*) override;
  Reactor* ReleaseDiagnosticResult(Context*, const v1::ReleaseDiagnosticResultRequest*,
                                   v1::Event*) override;
  Reactor* Get(Context*, const v1::SessionRef*, v1::Session*) override;
  Reactor* List(Context*, const v1::ListSessionsRequest*, v1::ListSessionsResponse*) override;
  grpc::ServerWriteReactor<v1::SessionUpdate>* Watch(Context*, const v1::WatchRequest*) override;

 private:
  session::SessionManager& sessions_;
};

}  // namespace pedisim::services
