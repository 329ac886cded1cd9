#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controller/recording/recording_catalog.h"
#include "controller/session/pending_catalog_writes.h"
#include "controller/session/session.h"
#include "core/scenario/scenario_catalog.h"
#include "devices/registry.h"
#include "pedisim/v1/session_service.pb.h"

namespace pedisim::session {

// Owns the sessions of the controller and creates new ones from the
// scenario catalog and the device adapter registry.
//
// A controller runs for months, so a session that ended hands over to the
// recording catalog: its thread has already finished, and once
// kHeldEndedSessions newer sessions have ended (or its recording is deleted)
// its record files and memory are released too. From then on Describe and
// ListAll answer for it from the store. --max-sessions counts live sessions
// only.
class SessionManager {
 public:
  // Ended sessions kept in memory for the debrief that follows a class
  // (grades changed, watchers replaying): a few, so that memory, threads and
  // open files stay flat however many sessions the controller runs.
  static constexpr size_t kHeldEndedSessions = 4;

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

  // Resumes session `id`, interrupted by a controller shutdown or crash:
  // its record is re-run to its last flushed entry, its devices attached
  // again, and it waits PAUSED under its id and pairing code. NOT_FOUND,
  // FAILED_PRECONDITION for one that ended, DATA_LOSS for an unreadable
  // record.
  grpc::Status Restore(const std::string& id, std::shared_ptr<Session>* restored);

  // The session in memory: live, or ended and still held. NOT_FOUND naming
  // the id otherwise (an ended session may then be in the store: Describe).
  grpc::Status Find(const std::string& id, std::shared_ptr<Session>* found) const;

  // The session as it is (in memory) or as it ended (from its record, for
  // sessions released or recorded by an earlier run of the controller).
  // NOT_FOUND naming the id when there is none; DATA_LOSS when its record
  // cannot be read.
  grpc::Status Describe(const std::string& id, v1::Session* session) const;
  // The assessment as it stood last of a session no longer in memory, from
  // its record; NOT_FOUND when there is no such recording or no assessment.
  grpc::Status StoredAssessment(const std::string& id, v1::Assessment* assessment) const;

  // The session still going whose pairing code is `code`; NOT_FOUND naming
  // hello.pairing_code otherwise.
  grpc::Status FindByPairingCode(const std::string& code, std::shared_ptr<Session>* found) const;

  // The id of the session interrupted by a controller shutdown or crash,
  // and not yet resumed, that a device's hello names by its id or pairing
  // code; empty when there is none. A device told so tries again later
  // instead of giving up (the instructor resumes the class).
  std::string AwaitingResume(const v1::DeviceHello& hello) const;

  // Why the data folder's disk is too full to record (free space under
  // --min-free-disk-mb), or nothing. Reads the disk; no counting.
  std::optional<std::string> FreeDiskShortfall() const;
  // OK, or RESOURCE_EXHAUSTED saying FreeDiskShortfall (counted as
  // limits::Limit::kMinFreeDisk): before a session starts, runs on or is
  // created.
  grpc::Status CheckFreeDisk() const;
  // Counts a low disk found by the disk watch (limits::Limit::kMinFreeDisk).
  void CountLowDisk() { limits_.Hit(limits::Limit::kMinFreeDisk); }
  // Pauses every running session as a pause by the system for `why` (the
  // disk watch); the number paused.
  int PauseAllForLowDisk(const std::string& why);

  // The sessions in memory, newest first.
  std::vector<std::shared_ptr<Session>> List() const;
  // Every session: those in memory as they are and the recorded ones as
  // their catalog rows describe them (no record is read), newest first;
  // those whose recording is archived only when `include_archived`.
  std::vector<v1::Session> ListAll(bool include_archived = false) const;

  // Lets go of ended session `id` if it is still held, so that its record
  // files are closed (before they are deleted). A live session stays.
  void Release(const std::string& id);
  // How many sessions are live (not ended); what --max-sessions bounds.
  size_t LiveCount() const;

  // Interrupts every session that is still going (controller shutdown):
  // each is paused and recorded as interrupted for `why`, its grades left
  // open, its record flushed when it returns and listed interrupted.
  void InterruptAll(const std::string& why);

  const std::filesystem::path& data_dir() const { return data_dir_; }
  // Sessions' ends and deleted rows the catalog could not take yet.
  PendingCatalogWrites& catalog_writes() { return catalog_writes_; }

 private:
  std::string NewSessionIdLocked();
  std::string NewPairingCodeLocked();
  bool PairingCodeUsedLocked(const std::string& code) const;
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
  // Moves the sessions that ended from live_ to held_ended_ and takes the
  // oldest held beyond kHeldEndedSessions out; the caller lets go of them
  // outside the lock (destroying a session joins its thread).
  std::vector<std::shared_ptr<Session>> SweepEndedLocked() const;

  const scenario::ScenarioCatalog& catalog_;
  const devices::AdapterRegistry& adapters_;
  recording::RecordingCatalog& recordings_;
  const std::filesystem::path data_dir_;
  PendingCatalogWrites catalog_writes_;
  // A live session holds a thread, its record files and its event log, so
  // their number is bounded (max_sessions), as are its devices and watchers.
  limits::LimitCounters& limits_;
  const std::vector<v1::DeviceAttachment> session_devices_;

  mutable std::mutex mu_;
  // Swept lazily (SweepEndedLocked), from the calls that read them: a
  // session ends under its own lock, which must not wait for this one.
  mutable std::vector<std::shared_ptr<Session>> live_;       // in creation order
  mutable std::deque<std::shared_ptr<Session>> held_ended_;  // in order of ending
  // Ids and pairing codes of sessions being built outside the lock.
  std::set<std::string> reserved_ids_;
  std::set<std::string> reserved_codes_;
  // When running out of threads was last logged.
  std::optional<std::chrono::steady_clock::time_point> thread_failure_logged_;
};

}  // namespace pedisim::session
