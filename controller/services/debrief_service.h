#pragma once

#include <mutex>

#include "controller/auth/caller.h"
#include "controller/recording/recording_catalog.h"
#include "controller/session/session_manager.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"

namespace pedisim::services {

// DebriefService: recordings from the catalog, replays through
// ReplayReactor, forks through the session manager. What a caller may see
// is decided here, from auth::CallerOf: learners only what they took part
// in, and scores only once released.
class DebriefServiceImpl final : public v1::DebriefService::CallbackService {
 public:
  // `retention_days` > 0: unlocked recordings are deleted that many days
  // after they were made (see RetentionSweeper); shown in delete_after.
  DebriefServiceImpl(recording::RecordingCatalog& recordings, session::SessionManager& sessions,
                     int retention_days = 0)
      : recordings_(recordings), sessions_(sessions), retention_days_(retention_days) {}

  using Context = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* ListRecordings(Context*, const v1::ListRecordingsRequest*,
                          v1::ListRecordingsResponse*) override;
  Reactor* GetRecording(Context*, const v1::RecordingRef*, v1::Recording*) override;
  grpc::ServerWriteReactor<v1::SessionUpdate>* Replay(Context*, const v1::ReplayRequest*) override;
  Reactor* Annotate(Context*, const v1::AnnotateRequest*, v1::Annotation*) override;
  Reactor* Fork(Context*, const v1::ForkRequest*, v1::Session*) override;
  Reactor* ExportReport(Context*, const v1::ExportReportRequest*, v1::Report*) override;
  Reactor* SetLocked(Context*, const v1::SetLockedRequest*, v1::Recording*) override;
  Reactor* SetArchived(Context*, const v1::SetArchivedRequest*, v1::Recording*) override;
  Reactor* DeleteRecording(Context*, const v1::RecordingRef*,
                           v1::DeleteRecordingResponse*) override;

  // Deletes `session_id`'s recording unless it is live or locked: for the
  // RPC and for retention.
  grpc::Status Delete(const std::string& session_id);

 private:
  // Delete's checks when the catalog cannot be written: from its rows as
  // they can be read and from the sessions in memory.
  grpc::Status DeletableWithoutCatalogWrite(const std::string& session_id);
  // The recording `session_id` if `caller` may see it; NOT_FOUND otherwise
  // (a learner is not told that other sessions exist).
  grpc::Status Find(const auth::Caller& caller, const std::string& session_id,
                    v1::Recording* found) const;

  recording::RecordingCatalog& recordings_;
  session::SessionManager& sessions_;
  const int retention_days_;
  // Appending annotations to ended records, one at a time.
  std::mutex annotate_mu_;
};

}  // namespace pedisim::services
