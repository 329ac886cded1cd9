#include "client/controller_catalog.h"

namespace pedisim::dashboard {

void ControllerCatalog::Refresh(ControllerLink& link) {
  link.Post([this](Stubs& stubs) {
    CatalogView fresh;
    {
      grpc::ClientContext context;
      ControllerLink::SetUnaryDeadline(context);
      v1::ListSessionsResponse sessions;
      const grpc::Status status = stubs.sessions->List(&context, {}, &sessions);
      if (!status.ok()) fresh.error = status.error_message();
      fresh.sessions.assign(sessions.sessions().begin(), sessions.sessions().end());
    }
    {
      grpc::ClientContext context;
      ControllerLink::SetUnaryDeadline(context);
      v1::ListScenariosResponse scenarios;
      const grpc::Status status = stubs.scenarios->List(&context, {}, &scenarios);
      if (!status.ok() && fresh.error.empty()) fresh.error = status.error_message();
      fresh.scenarios.assign(scenarios.scenarios().begin(), scenarios.scenarios().end());
    }
    {
      grpc::ClientContext context;
      ControllerLink::SetUnaryDeadline(context);
      v1::ListRecordingsResponse recordings;
      const grpc::Status status = stubs.debrief->ListRecordings(&context, {}, &recordings);
      if (!status.ok()) fresh.recordings_error = status.error_message();
      fresh.recordings.assign(recordings.recordings().begin(), recordings.recordings().end());
    }
    fresh.loaded = fresh.error.empty();
    std::lock_guard lock(mutex_);
    view_ = std::move(fresh);
  });
}

void ControllerCatalog::Create(ControllerLink& link, const v1::CreateSessionRequest& request) {
  link.Post([this, &link, request](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::Session session;
    const grpc::Status status = stubs.sessions->Create(&context, request, &session);
    link.Report(status, "create session", "created session " + session.id());
    if (!status.ok()) return;
    std::lock_guard lock(mutex_);
    created_ = session.id();
  });
}

CatalogView ControllerCatalog::Copy() const {
  std::lock_guard lock(mutex_);
  return view_;
}

std::optional<std::string> ControllerCatalog::TakeCreated() {
  std::lock_guard lock(mutex_);
  return std::exchange(created_, std::nullopt);
}

}  // namespace pedisim::dashboard
