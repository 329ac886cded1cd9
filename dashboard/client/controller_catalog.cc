#include "client/controller_catalog.h"

namespace pedisim::dashboard {

void ControllerCatalog::Refresh(ControllerLink& link) {
  bool include_archived = false;
  {
    std::lock_guard lock(mutex_);
    include_archived = include_archived_;
  }
  link.Post([this, include_archived](Stubs& stubs) {
    CatalogView fresh;
    {
      grpc::ClientContext context;
      ControllerLink::SetUnaryDeadline(context);
      v1::ListSessionsResponse sessions;
      v1::ListSessionsRequest request;
      request.set_include_archived(include_archived);
      const grpc::Status status = stubs.sessions->List(&context, request, &sessions);
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
      v1::ListRecordingsRequest request;
      request.set_include_archived(include_archived);
      const grpc::Status status = stubs.debrief->ListRecordings(&context, request, &recordings);
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

void ControllerCatalog::SetIncludeArchived(bool include_archived) {
  std::lock_guard lock(mutex_);
  include_archived_ = include_archived;
}

void ControllerCatalog::SetArchived(ControllerLink& link, const std::string& session_id,
                                    bool archived) {
  link.Post([&link, session_id, archived](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::SetArchivedRequest request;
    request.set_session_id(session_id);
    request.set_archived(archived);
    v1::Recording recording;
    const grpc::Status status = stubs.debrief->SetArchived(&context, request, &recording);
    link.Report(status, archived ? "archive recording" : "restore recording",
                (archived ? "archived " : "restored ") + session_id);
  });
  Refresh(link);
}

void ControllerCatalog::Delete(ControllerLink& link, const std::string& session_id) {
  link.Post([&link, session_id](Stubs& stubs) {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::RecordingRef request;
    request.set_session_id(session_id);
    v1::DeleteRecordingResponse deleted;
    const grpc::Status status = stubs.debrief->DeleteRecording(&context, request, &deleted);
    link.Report(status, "delete recording", "deleted " + session_id);
  });
  Refresh(link);
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
