#pragma once

#include <grpcpp/support/status.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "controller/limits/limit_counters.h"
#include "controller/recording/session_recorder.h"
#include "controller/session/simulation.h"
#include "controller/session/update_subscriber.h"
#include "pedisim/v1/recording.pb.h"
#include "pedisim/v1/session.pb.h"
#include "pedisim/v1/session_service.pb.h"

namespace pedisim::session {

struct SessionSetup {
  std::string id;
  v1::Scenario scenario;
  uint64_t seed = 0;
  double speed = 1.0;
  std::vector<v1::Participant> participants;
  std::vector<AttachedDevice> devices;
  // How `devices` were asked for (adapter, name, settings), for the record's
  // header: a fork attaches them again.
  std::vector<v1::DeviceAttachment> attachments;
  std::unique_ptr<recording::SessionRecorder> recorder;
  std::string pairing_code;
  // Called under the session's lock with the final session when it ends or
  // is interrupted (the catalog hears of it this way), and again when its
  // record, held back by a failed write (a full disk), is whole.
  std::function<void(const v1::Session&)> on_ended;
  // A fork: the events of the original session up to and including the
  // bookmark it forks from. The session re-runs their inputs, checks that
  // it arrived at the same bookmark, and waits PAUSED.
  std::optional<v1::ForkOrigin> origin;
  std::vector<v1::Event> history;
  // A session resumed after the controller was stopped or died while it
  // ran: `history` is its whole record's events, re-run up to engine step
  // `restore_to_step` (its last flushed one) without being recorded again;
  // the recorder then goes on after them and it waits PAUSED.
  bool restore = false;
  uint64_t restore_to_step = 0;
  // The controller's limits (devices and watchers per session) and where
  // their hits are counted; null: none.
  limits::LimitCounters* limits = nullptr;
};

// One live session: paces its Simulation against the wall clock, takes
// instructor input, records every event and fans updates out to subscribers.
//
// All state is guarded by one mutex; the pacing thread holds it while it
// steps the engine, so RPCs always see the engine between two steps and
// their input lands exactly on a step boundary. Methods return the gRPC
// status the caller should answer with.
class Session {
 public:
  // Throws std::runtime_error when a fork's history does not re-run to its
  // bookmark (a record from another engine).
  explicit Session(SessionSetup setup);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  grpc::Status Start();
  grpc::Status Pause();
  grpc::Status Resume();
  // Pauses a running session for a reason of the system's (the data
  // folder's disk is nearly full), recorded as a pause by the system with
  // `why`; an instructor resumes it. False when it was not running.
  bool PauseBySystem(const std::string& why);
  grpc::Status Stop();
  // The controller is going away (a service restart, an upgrade): pauses
  // the session and records why, without ending it. Its grades stay open,
  // its record has no end (the catalog lists it interrupted) and it takes
  // no more input; it is final for this controller (IsFinal).
  grpc::Status Interrupt(const std::string& why);
  grpc::Status SetSpeed(double speed);
  // What the room's monitors show (the display was checked); recorded with
  // who set it and sent to every device in a new snapshot.
  grpc::Status SetRoomDisplay(const v1::RoomDisplay& display, const std::string& instructor);
  grpc::Status GoToState(const std::string& state, const std::string& reason,
                         const std::string& source, v1::Event* recorded);
  // `author`: the account making the change, as it signed in; recorded in
  // the event and shown as the holder of what it holds.
  grpc::Status OverrideVitals(const v1::OverrideVitalsRequest& request, const std::string& author,
                              const std::string& source, v1::Event* recorded);
  grpc::Status LogAction(const v1::LearnerAction& action, v1::Agent agent,
                         const std::string& source, v1::Event* recorded);
  grpc::Status AddBookmark(const std::string& label, const std::string& note,
                           const std::string& category, const std::string& source,
                           v1::Event* recorded);
  // Releases to the learners the scenario's result of an ordered test for
  // the current state; `instructor`: the account, as it signed in.
  grpc::Status ReleaseDiagnosticResult(const std::string& test, const std::string& instructor,
                                       v1::Event* recorded);

  v1::Session Snapshot() const;
  const std::string& id() const { return id_; }
  const std::string& pairing_code() const { return pairing_code_; }
  const google::protobuf::Timestamp& created_at() const { return created_at_; }
  // Who takes part (fixed when the session is made).
  const std::vector<v1::Participant>& participants() const { return participants_; }
  // Stopped, completed or interrupted: it takes no more input.
  bool IsFinal() const;
  // Interrupted by a controller shutdown (not ended): a next controller on
  // the data folder resumes it.
  bool IsInterrupted() const;

  // A device joined over the network (its hello has passed the checks):
  // attaches it, or puts it back in its place when it reconnects under the
  // same name and serial (closing its previous link, whose end is logged
  // first), and queues the welcome with the snapshot on `channel` before any
  // update. ALREADY_EXISTS when another device holds the name;
  // RESOURCE_EXHAUSTED for a new name when the session has its maximum of
  // devices; FAILED_PRECONDITION once the session ended. The device sees
  // the learners' view of the session (welcome snapshot and every update)
  // unless `instructor_view` (DeviceGateway decides it from the account).
  grpc::Status AttachNetworkDevice(const v1::DeviceHello& hello,
                                   std::shared_ptr<device_gateway::DeviceChannel> channel,
                                   uint32_t heartbeat_interval_ms, bool instructor_view);
  // The link of network device `name` ended (see Simulation::MarkDisconnected).
  void NetworkDeviceGone(const std::string& name, const device_gateway::DeviceChannel* channel,
                         const std::string& reason);

  // Appends `annotation` to the record of this ended session (its recorder
  // is the record's only writer). FAILED_PRECONDITION while it runs (a
  // bookmark is the way then); UNAVAILABLE when it cannot be written.
  grpc::Status AnnotateRecord(const v1::Annotation& annotation);

  // The session's grades as they stand: all of them for staff, the
  // learners' view (released grades only) when `learner_view`.
  v1::Assessment Grades(bool learner_view) const;

  // An instructor's change to the grades (an override, a score, the mode,
  // the release), made by the assessor between two engine steps.
  struct GradeChange {
    // What the change does, for the refusal before the session has started
    // ("release scores"); empty when it is allowed before (the mode).
    std::string needs_started;
    std::function<assessment::Change(assessment::Assessor&)> make;
  };
  // Applies `change` and records its event, which reaches watchers and the
  // record like any other, also after the session has ended; `recorded` is
  // that event. A refusal is NOT_FOUND (no such item), INVALID_ARGUMENT or
  // FAILED_PRECONDITION (not started).
  grpc::Status ChangeGrades(const GradeChange& change, v1::Event* recorded);

  // Sends `subscriber` a snapshot, then the past events with an id greater
  // than `after_event_id` (none when unset), then every update until the
  // session ends or Unsubscribe returns; after that it is never called again.
  void Subscribe(UpdateSubscriber* subscriber, std::optional<uint64_t> after_event_id);
  void Unsubscribe(UpdateSubscriber* subscriber);
  // A place for one more Watch stream, to be given back by ReleaseWatcher
  // when it ends; RESOURCE_EXHAUSTED naming the limit when all are taken.
  grpc::Status ReserveWatcher();
  // OK when the session has an event `event_id` (or it is 0); otherwise
  // INVALID_ARGUMENT naming `field`.
  grpc::Status CheckEventId(uint64_t event_id, const std::string& field) const;
  void ReleaseWatcher();

 private:
  using Clock = std::chrono::steady_clock;

  // A step due longer ago than this means the host stalled (see
  // PauseForStallLocked), not that the engine fell behind.
  static constexpr std::chrono::seconds kMaxPacingGap{2};

  void RunPacer();
  void PauseForStallLocked(Clock::duration stalled);
  void TickLocked();
  // A fork's start: re-runs `history` up to the bookmark of `origin`.
  void ReplayHistoryLocked(const std::vector<v1::Event>& history, const v1::ForkOrigin& origin);
  // Re-runs `history`'s inputs (the engine makes their consequences again)
  // and then steps on to `to_step`.
  void RerunLocked(const std::vector<v1::Event>& history, uint64_t to_step);
  // A resumed session's start: the re-run, then the recorder and the devices.
  void RestoreLocked(SessionSetup& setup);
  // A fork's or a resumed session's devices, after the re-run, recorded
  // as attached `how`.
  void AttachAgainLocked(std::vector<AttachedDevice>& devices, const std::string& how);
  void ReapplyLocked(const v1::Event& event);
  // Who holds which vital after `change`.
  void NoteHoldersLocked(const v1::VitalsOverride& change);
  void PublishSnapshotLocked();
  // Records a lifecycle event (created, started, paused...).
  void RecordLocked(v1::EventKind kind, v1::Agent agent, const std::string& source,
                    std::string summary);
  void EndLocked(v1::SessionStatus final_status, const std::string& why);
  v1::Session SnapshotLocked() const;
  grpc::Status RequireActiveLocked(const char* what) const;
  bool IsFinalLocked() const;
  // Hands what the record holds to the operating system: before an RPC that
  // changed the session answers, so nothing acknowledged is lost.
  void FlushRecordLocked();
  void NoteRecordingErrorLocked();
  // What network devices sent since the last step, applied now (between
  // steps, as LogAction applies an action).
  void ApplyDeviceObservationsLocked();

  // Rung by network devices' channels, on their transports' threads, when
  // an observation arrives: the pacer applies it at once rather than at the
  // next 10 Hz step (a shock's rhythm change reaches the room's monitors
  // sooner). The channels' hooks may outlive the session, so they hold the
  // bell, never the session; the destructor unhooks the session from it.
  struct ObservationBell {
    std::mutex mu;
    Session* session = nullptr;
  };
  const std::shared_ptr<ObservationBell> observation_bell_ = std::make_shared<ObservationBell>();
  std::atomic<bool> observations_arrived_{false};

  const std::string id_;
  const std::string pairing_code_;
  const std::vector<v1::Participant> participants_;
  const google::protobuf::Timestamp created_at_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::unique_ptr<recording::SessionRecorder> recorder_;
  Simulation simulation_;
  v1::SessionStatus status_ = v1::SESSION_STATUS_CREATED;
  std::string end_reason_;  // set when it ends or is interrupted
  // The drug names LogAction accepts (dosing::KnownDrugNames), found on
  // the first drug action.
  std::optional<std::vector<std::string>> known_drugs_;
  // Vitals field name -> the account whose override holds it.
  std::map<std::string, std::string> vital_holders_;
  bool interrupted_ = false;
  double speed_;
  Clock::time_point anchor_wall_;
  int64_t steps_since_anchor_ = 0;
  std::function<void(const v1::Session&)> on_ended_;
  uint64_t last_recorded_step_ = 0;
  std::string recording_error_;
  limits::LimitCounters* const limits_;
  size_t watchers_ = 0;
  // The destructor is waiting for the pacer.
  bool closing_ = false;
  std::thread pacer_;
};

}  // namespace pedisim::session
