#pragma once

#include <grpcpp/support/status.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "controller/recording/recording_catalog.h"
#include "controller/session/session.h"
#include "core/scenario/scenario_catalog.h"
#include "devices/registry.h"
#include "pedisim/v1/session_service.pb.h"

namespace pedisim::session {

// Owns every session of the controller and creates new ones from the
// scenario catalog and the device adapter registry.
class SessionManager {
 public:
  // `session_devices` are attached to every session after the ones its
  // Create request asks for (a request's device of the same name wins).
  SessionManager(const scenario::ScenarioCatalog& catalog, const devices::AdapterRegistry& adapters,
                 recording::RecordingCatalog& recordings, std::filesystem::path data_dir,
                 limits::LimitCounters& limits,
                 std::vector<v1::DeviceAttachment> session_devices = {});

  // `request` has passed the service's argument checks. RESOURCE_EXHAUSTED
  // naming the limit at --max-sessions, or for more devices (asked for plus
  // configured for every session) than --max-devices-per-session.
  grpc::Status Create(const v1::CreateSessionRequest& request, std::shared_ptr<Session>* created);

  // A new session continuing the recorded session `record` from its bookmark
  // `bookmark_event_id` (see DebriefService.Fork); `participants` replace the
  // original team unless empty.
  grpc::Status Fork(const std::filesystem::path& record, uint64_t bookmark_event_id,
                    const std::vector<v1::Participant>& participants,
                    std::shared_ptr<Session>* created);

  // NOT_FOUND naming the id when there is no such session.
  grpc::Status Find(const std::string& id, std::shared_ptr<Session>* found) const;

  // The session still going whose pairing code is `code`; NOT_FOUND naming
  // hello.pairing_code otherwise.
  grpc::Status FindByPairingCode(const std::string& code, std::shared_ptr<Session>* found) const;

  // Newest first.
  std::vector<std::shared_ptr<Session>> List() const;

  // Ends every session that is still going (controller shutdown); their
  // records are complete when it returns.
  void StopAll();

  const std::filesystem::path& data_dir() const { return data_dir_; }

 private:
  std::string NewSessionIdLocked();
  std::string NewPairingCodeLocked();
  // The record's header: everything needed to replay or fork the session.
  v1::RecordHeader MakeRecordHeader(
      const SessionSetup& setup, const google::protobuf::RepeatedPtrField<std::string>& tags) const;
  // Gives `setup` an id, pairing code and recorder, makes the session and
  // lists it; RESOURCE_EXHAUSTED at the session limit.
  grpc::Status Launch(SessionSetup setup,
                      const google::protobuf::RepeatedPtrField<std::string>& tags,
                      std::shared_ptr<Session>* created);
  grpc::Status AttachDevices(const v1::CreateSessionRequest& request,
                             std::vector<AttachedDevice>* attached) const;

  const scenario::ScenarioCatalog& catalog_;
  const devices::AdapterRegistry& adapters_;
  recording::RecordingCatalog& recordings_;
  const std::filesystem::path data_dir_;
  // Each session holds a thread and its event log for the controller's
  // lifetime, so their number is bounded (max_sessions), as are its devices
  // and watchers.
  limits::LimitCounters& limits_;
  const std::vector<v1::DeviceAttachment> session_devices_;

  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Session>> sessions_;  // in creation order
  // Ids and pairing codes of sessions being built outside the lock.
  std::set<std::string> reserved_ids_;
  std::set<std::string> reserved_codes_;
};

}  // namespace pedisim::session
