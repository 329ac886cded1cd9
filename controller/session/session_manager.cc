#include "controller/session/session_manager.h"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <system_error>
#include <utility>

#include "controller/session/stored_session.h"
#include "core/record_file/record_reader.h"
#include "core/wall_clock.h"

namespace pedisim::session {

namespace {
uint64_t FreshSeed() {
  std::random_device device;
  const uint64_t seed = (static_cast<uint64_t>(device()) << 32) | device();
  return seed == 0 ? 1 : seed;
}

bool CreatedLater(const google::protobuf::Timestamp& a, const google::protobuf::Timestamp& b) {
  return std::make_pair(a.seconds(), a.nanos()) > std::make_pair(b.seconds(), b.nanos());
}
}  // namespace

SessionManager::SessionManager(const scenario::ScenarioCatalog& catalog,
                               const devices::AdapterRegistry& adapters,
                               recording::RecordingCatalog& recordings,
                               std::filesystem::path data_dir, limits::LimitCounters& limits,
                               std::vector<v1::DeviceAttachment> session_devices)
    : catalog_(catalog),
      adapters_(adapters),
      recordings_(recordings),
      data_dir_(std::move(data_dir)),
      catalog_writes_(recordings),
      limits_(limits),
      session_devices_(std::move(session_devices)) {}

grpc::Status SessionManager::Create(const v1::CreateSessionRequest& request,
                                    std::shared_ptr<Session>* created) {
  std::optional<v1::Scenario> scenario = catalog_.Find(request.scenario_id());
  if (!scenario) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "scenario_id: no scenario '" + request.scenario_id() + "'");
  }
  // Counted before any adapter is made: a request for ten thousand devices
  // must not open ten thousand connections to find out.
  const size_t max_devices = limits_.settings().max_devices_per_session;
  if (static_cast<size_t>(request.devices_size()) > max_devices) {
    limits_.Hit(limits::Limit::kDevicesPerSession);
    return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                        fmt::format("devices: {} devices is over this controller's maximum of {} "
                                    "per session (--max-devices-per-session)",
                                    request.devices_size(), max_devices));
  }
  SessionSetup setup;
  if (grpc::Status status = AttachDevices(request, &setup.devices); !status.ok()) return status;
  for (const v1::DeviceAttachment& configured : session_devices_) {
    const std::string name = configured.name().empty() ? configured.adapter() : configured.name();
    if (std::any_of(setup.devices.begin(), setup.devices.end(),
                    [&](const AttachedDevice& device) { return device.info.name() == name; })) {
      continue;
    }
    // Checked at start-up, so only a resource failure can stop it now.
    v1::CreateSessionRequest one;
    *one.add_devices() = configured;
    std::vector<AttachedDevice> made;
    if (grpc::Status status = AttachDevices(one, &made); !status.ok()) {
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "configured session device '" + name + "': " + status.error_message());
    }
    for (AttachedDevice& device : made) setup.devices.push_back(std::move(device));
  }
  if (setup.devices.size() > max_devices) {
    limits_.Hit(limits::Limit::kDevicesPerSession);
    return grpc::Status(
        grpc::StatusCode::RESOURCE_EXHAUSTED,
        fmt::format("devices: {} devices with the {} every session gets is over this "
                    "controller's maximum of {} per session (--max-devices-per-session)",
                    setup.devices.size(), session_devices_.size(), max_devices));
  }
  for (const AttachedDevice& device : setup.devices) {
    const v1::DeviceAttachment* wanted = nullptr;
    for (const v1::DeviceAttachment& asked : request.devices()) {
      if ((asked.name().empty() ? asked.adapter() : asked.name()) == device.info.name()) {
        wanted = &asked;
      }
    }
    for (const v1::DeviceAttachment& configured : session_devices_) {
      if (wanted == nullptr &&
          (configured.name().empty() ? configured.adapter() : configured.name()) ==
              device.info.name()) {
        wanted = &configured;
      }
    }
    if (wanted != nullptr) {
      v1::DeviceAttachment& kept = setup.attachments.emplace_back(*wanted);
      kept.set_name(device.info.name());
    }
  }
  setup.scenario = std::move(*scenario);
  setup.seed = request.seed() != 0 ? request.seed() : FreshSeed();
  setup.speed = request.speed() != 0 ? request.speed() : 1.0;
  setup.participants.assign(request.participants().begin(), request.participants().end());

  return Launch(std::move(setup), request.tags(), created);
}

std::optional<std::string> SessionManager::FreeDiskShortfall() const {
  const uint64_t min_free_mb = limits_.settings().min_free_disk_mb;
  if (min_free_mb == 0) return std::nullopt;
  std::error_code space_error;
  const std::filesystem::space_info space = std::filesystem::space(data_dir_, space_error);
  if (space_error || (space.available >> 20) >= min_free_mb) return std::nullopt;
  return fmt::format(
      "the data folder's disk has {} MB free, under this controller's minimum of {} MB "
      "(--min-free-disk-mb)",
      space.available >> 20, min_free_mb);
}

grpc::Status SessionManager::CheckFreeDisk() const {
  const std::optional<std::string> shortfall = FreeDiskShortfall();
  if (!shortfall) return grpc::Status::OK;
  limits_.Hit(limits::Limit::kMinFreeDisk);
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      *shortfall + ": delete recordings or free space first");
}

int SessionManager::PauseAllForLowDisk(const std::string& why) {
  int paused = 0;
  for (const std::shared_ptr<Session>& session : List()) {
    if (session->PauseBySystem(why)) ++paused;
  }
  return paused;
}

grpc::Status SessionManager::Launch(SessionSetup setup,
                                    const google::protobuf::RepeatedPtrField<std::string>& tags,
                                    std::shared_ptr<Session>* created) {
  // The id, the pairing code and a place under the limit are reserved under
  // the lock; the session is built outside it, since a fork re-runs a whole
  // record first and no other call should wait for that.
  // A record on a disk about to fill fails within minutes: refused now,
  // with the reason, rather than half recorded.
  if (grpc::Status status = CheckFreeDisk(); !status.ok()) return status;
  std::vector<std::shared_ptr<Session>> released;
  {
    std::lock_guard lock(mu_);
    released = SweepEndedLocked();
    const size_t max_sessions = limits_.settings().max_sessions;
    if (live_.size() + reserved_ids_.size() >= max_sessions) {
      limits_.Hit(limits::Limit::kSessions);
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          fmt::format("this controller runs its maximum of {} live sessions "
                                      "(--max-sessions); end one to make room",
                                      max_sessions));
    }
    setup.limits = &limits_;
    if (setup.restore) {
      // The same session again, under its id and, when no live session
      // took it meanwhile, its pairing code (devices rejoin as they were).
      if (reserved_ids_.contains(setup.id)) {
        return grpc::Status(grpc::StatusCode::ABORTED,
                            "session_id: session " + setup.id + " is being resumed already");
      }
      if (PairingCodeUsedLocked(setup.pairing_code)) setup.pairing_code = NewPairingCodeLocked();
    } else {
      setup.id = NewSessionIdLocked();
      setup.pairing_code = NewPairingCodeLocked();
    }
    reserved_ids_.insert(setup.id);
    reserved_codes_.insert(setup.pairing_code);
  }
  const std::string id = setup.id;
  const std::string code = setup.pairing_code;
  const bool fork = setup.origin.has_value();
  const bool restore = setup.restore;
  const std::filesystem::path folder = recording::RecordingCatalog::SessionsDir(data_dir_) / id;
  std::shared_ptr<Session> session;
  bool listed = false;
  try {
    if (restore) {
      setup.recorder = std::make_unique<recording::SessionRecorder>(
          folder, recording::SessionRecorder::Continue{});
    } else {
      const v1::RecordHeader header = MakeRecordHeader(setup, tags);
      setup.recorder = std::make_unique<recording::SessionRecorder>(folder, header);
      recordings_.AddLive(header, setup.recorder->record_path());
      listed = true;
    }
    setup.on_ended = [this, recorder = setup.recorder.get()](const v1::Session& final_session) {
      // Under the session's lock, maybe on its pacer thread. A record
      // without its end (an interrupted session, a full disk) is listed
      // interrupted; a catalog that cannot be written (a full disk) takes
      // the row once there is room.
      catalog_writes_.MarkEnded(final_session, recorder->bytes_written(),
                                recorder->finished() && recorder->error().empty()
                                    ? v1::RECORDING_STATUS_COMPLETE
                                    : v1::RECORDING_STATUS_INTERRUPTED);
    };
    session = std::make_shared<Session>(std::move(setup));
    if (restore) recordings_.MarkLive(id);
  } catch (const std::exception& error) {
    // A full disk, a missing permission, no thread left for the pacer, or a
    // fork whose record does not re-run. Nothing of it is left behind.
    if (const auto* system = dynamic_cast<const std::system_error*>(&error);
        system != nullptr && system->code() == std::errc::resource_unavailable_try_again) {
      limits_.Hit(limits::Limit::kThreads);
      // Once a minute at most: a controller out of threads is asked again
      // and again, and the log must not fill the disk too.
      const auto now = std::chrono::steady_clock::now();
      std::lock_guard lock(mu_);
      if (!thread_failure_logged_ || now - *thread_failure_logged_ >= std::chrono::minutes(1)) {
        thread_failure_logged_ = now;
        spdlog::error("out of threads: a session could not start its own ({}); {} sessions live",
                      error.what(), live_.size());
      }
    }
    try {
      if (listed) recordings_.Remove(id);
    } catch (const std::exception&) {
      // The next start drops a row whose folder is gone.
    }
    // A resumed session's record is the class itself: it stays, as it was
    // (what the failed attempt appended ends where a crash would).
    std::error_code ignored;
    if (!restore) std::filesystem::remove_all(folder, ignored);
    std::lock_guard lock(mu_);
    reserved_ids_.erase(id);
    reserved_codes_.erase(code);
    if (restore) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          std::string("cannot resume the session: ") + error.what());
    }
    return grpc::Status(
        fork ? grpc::StatusCode::FAILED_PRECONDITION : grpc::StatusCode::INTERNAL,
        std::string(fork ? "cannot fork the session: " : "cannot create the session: ") +
            error.what());
  }
  std::lock_guard lock(mu_);
  reserved_ids_.erase(id);
  reserved_codes_.erase(code);
  live_.push_back(session);
  *created = std::move(session);
  return grpc::Status::OK;
}

grpc::Status SessionManager::Fork(const std::filesystem::path& record, uint64_t bookmark_event_id,
                                  const std::vector<v1::Participant>& participants,
                                  std::shared_ptr<Session>* created) {
  SessionSetup setup;
  v1::ForkOrigin origin;
  try {
    recording::RecordReader reader(record);
    const v1::RecordHeader& header = reader.header();
    if (header.engine_version() != engine::kEngineVersion) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          fmt::format("session_id: recorded by '{}'; this controller runs '{}'",
                                      header.engine_version(), engine::kEngineVersion));
    }
    v1::RecordEntry entry;
    bool found = false;
    while (!found && reader.Next(&entry)) {
      if (!entry.has_event()) continue;
      setup.history.push_back(entry.event());
      found = entry.event().id() == bookmark_event_id;
    }
    if (!found || !setup.history.back().has_bookmark()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          fmt::format("bookmark_event_id: event {} of session {} is not a bookmark",
                                      bookmark_event_id, header.session_id()));
    }
    const v1::Event& bookmark = setup.history.back();
    origin.set_session_id(header.session_id());
    origin.set_bookmark_event_id(bookmark_event_id);
    origin.set_sim_time_s(bookmark.sim_time_s());
    origin.set_bookmark_label(bookmark.bookmark().label());
    setup.scenario = header.scenario();
    setup.seed = header.seed();
    setup.speed = header.speed();
    // The room as it was: the original's virtual devices and adapters
    // (network devices join the fork by its own pairing code).
    v1::CreateSessionRequest devices;
    devices.mutable_devices()->CopyFrom(header.devices());
    if (grpc::Status status = AttachDevices(devices, &setup.devices); !status.ok()) {
      return grpc::Status(
          grpc::StatusCode::FAILED_PRECONDITION,
          "the original's devices cannot be attached again: " + status.error_message());
    }
    setup.attachments.assign(header.devices().begin(), header.devices().end());
    if (participants.empty()) {
      setup.participants.assign(header.participants().begin(), header.participants().end());
    } else {
      setup.participants = participants;
    }
    setup.origin = origin;
    return Launch(std::move(setup), header.tags(), created);
  } catch (const recording::RecordError& error) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, error.what());
  }
}

grpc::Status SessionManager::Restore(const std::string& id, std::shared_ptr<Session>* restored) {
  const std::optional<v1::Recording> row = recordings_.Get(id);
  const std::optional<std::filesystem::path> record = recordings_.RecordPath(id);
  if (!row || !record) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "session_id: no session '" + id + "'");
  }
  if (row->status() != v1::RECORDING_STATUS_INTERRUPTED) {
    return grpc::Status(
        grpc::StatusCode::FAILED_PRECONDITION,
        fmt::format("session_id: session {} ended; only an interrupted session can be resumed "
                    "(fork this one from a bookmark)",
                    id));
  }
  SessionSetup setup;
  try {
    // Cut a torn tail (kill -9 mid-write): the session goes on after the
    // last whole entry.
    const recording::RecordSummary summary = recording::ScanRecord(*record, /*repair=*/true);
    if (summary.ended) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "session_id: session " + id + " ended; fork it from a bookmark");
    }
    recording::RecordReader reader(*record);
    const v1::RecordHeader& header = reader.header();
    if (header.engine_version() != engine::kEngineVersion) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          fmt::format("session_id: recorded by '{}'; this controller runs '{}'",
                                      header.engine_version(), engine::kEngineVersion));
    }
    v1::RecordEntry entry;
    while (reader.Next(&entry)) {
      if (!entry.has_event()) continue;
      // Its end was recorded but not its closing (a full disk): it ended.
      if (entry.event().kind() == v1::EVENT_KIND_SESSION_STOPPED ||
          entry.event().kind() == v1::EVENT_KIND_SESSION_COMPLETED) {
        return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                            "session_id: session " + id + " ended; fork it from a bookmark");
      }
      setup.history.push_back(entry.event());
    }
    setup.id = header.session_id();
    setup.pairing_code = header.pairing_code();
    setup.scenario = header.scenario();
    setup.seed = header.seed();
    setup.speed = header.speed();
    setup.participants.assign(header.participants().begin(), header.participants().end());
    v1::CreateSessionRequest devices;
    devices.mutable_devices()->CopyFrom(header.devices());
    if (grpc::Status status = AttachDevices(devices, &setup.devices); !status.ok()) {
      return grpc::Status(
          grpc::StatusCode::FAILED_PRECONDITION,
          "the session's devices cannot be attached again: " + status.error_message());
    }
    setup.attachments.assign(header.devices().begin(), header.devices().end());
    setup.restore = true;
    setup.restore_to_step = summary.last_step;
    return Launch(std::move(setup), header.tags(), restored);
  } catch (const recording::RecordError& error) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, error.what());
  }
}

grpc::Status SessionManager::AttachDevices(const v1::CreateSessionRequest& request,
                                           std::vector<AttachedDevice>* attached) const {
  for (int i = 0; i < request.devices_size(); ++i) {
    const v1::DeviceAttachment& wanted = request.devices(i);
    const std::string name = wanted.name().empty() ? wanted.adapter() : wanted.name();
    for (const AttachedDevice& other : *attached) {
      if (other.info.name() == name) {
        return grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            fmt::format("devices[{}].name: '{}' is already used in this session", i, name));
      }
    }
    devices::AdapterConfig config(wanted.config().begin(), wanted.config().end());
    devices::AdapterRegistry::CreateResult made = adapters_.Create(wanted.adapter(), config);
    using Error = devices::AdapterRegistry::CreateResult::Error;
    if (made.error == Error::kUnknownAdapter) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          fmt::format("devices[{}].adapter: {}", i, made.message));
    }
    if (made.error == Error::kBadConfig) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                          fmt::format("devices[{}].config: {}", i, made.message));
    }
    AttachedDevice& device = attached->emplace_back();
    device.info.set_name(name);
    device.info.set_adapter(wanted.adapter());
    *device.info.mutable_identity() = made.adapter->Identity();
    *device.info.mutable_capabilities() = made.adapter->Capabilities();
    device.info.set_status(v1::DEVICE_STATUS_CONNECTED);
    device.adapter = std::move(made.adapter);
  }
  return grpc::Status::OK;
}

grpc::Status SessionManager::Find(const std::string& id, std::shared_ptr<Session>* found) const {
  std::lock_guard lock(mu_);
  auto same_id = [&](const std::shared_ptr<Session>& session) { return session->id() == id; };
  if (auto it = std::find_if(live_.begin(), live_.end(), same_id); it != live_.end()) {
    *found = *it;
    return grpc::Status::OK;
  }
  if (auto it = std::find_if(held_ended_.begin(), held_ended_.end(), same_id);
      it != held_ended_.end()) {
    *found = *it;
    return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::NOT_FOUND, "session_id: no session '" + id + "'");
}

grpc::Status SessionManager::Describe(const std::string& id, v1::Session* session) const {
  if (std::shared_ptr<Session> held; Find(id, &held).ok()) {
    *session = held->Snapshot();
    return grpc::Status::OK;
  }
  const std::optional<std::filesystem::path> path = recordings_.RecordPath(id);
  if (!path)
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "session_id: no session '" + id + "'");
  try {
    const recording::RecordSummary summary = recording::ScanRecord(*path, /*repair=*/false);
    *session = StoredSession(summary, *path);
  } catch (const std::exception& error) {
    return grpc::Status(
        grpc::StatusCode::DATA_LOSS,
        fmt::format("session_id: the record of session {} cannot be read: {}", id, error.what()));
  }
  return grpc::Status::OK;
}

grpc::Status SessionManager::StoredAssessment(const std::string& id,
                                              v1::Assessment* assessment) const {
  const std::optional<std::filesystem::path> path = recordings_.RecordPath(id);
  if (!path)
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "session_id: no session '" + id + "'");
  try {
    const recording::RecordSummary summary = recording::ScanRecord(*path, /*repair=*/false);
    if (!summary.last_assessment) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND,
                          "session_id: session " + id + " recorded no assessment");
    }
    *assessment = *summary.last_assessment;
  } catch (const std::exception& error) {
    return grpc::Status(
        grpc::StatusCode::DATA_LOSS,
        fmt::format("session_id: the record of session {} cannot be read: {}", id, error.what()));
  }
  return grpc::Status::OK;
}

std::vector<std::shared_ptr<Session>> SessionManager::List() const {
  std::vector<std::shared_ptr<Session>> released;
  std::lock_guard lock(mu_);
  released = SweepEndedLocked();
  std::vector<std::shared_ptr<Session>> all(live_.begin(), live_.end());
  all.insert(all.end(), held_ended_.begin(), held_ended_.end());
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    return CreatedLater(a->created_at(), b->created_at());
  });
  return all;
}

namespace {
recording::CatalogFilter EveryRecording() {
  recording::CatalogFilter filter;
  filter.include_archived = true;
  return filter;
}
}  // namespace

std::vector<v1::Session> SessionManager::ListAll(bool include_archived) const {
  std::vector<v1::Session> all;
  std::set<std::string> in_memory;
  const std::vector<v1::Recording> rows = recordings_.List(EveryRecording());
  std::set<std::string> archived;
  for (const v1::Recording& recording : rows) {
    if (recording.archived()) archived.insert(recording.session_id());
  }
  for (const std::shared_ptr<Session>& session : List()) {
    in_memory.insert(session->id());
    if (!include_archived && archived.contains(session->id())) continue;
    all.push_back(session->Snapshot());
  }
  for (const v1::Recording& recording : rows) {
    if (in_memory.contains(recording.session_id())) continue;
    if (!include_archived && recording.archived()) continue;
    all.push_back(ListedSession(recording));
  }
  std::stable_sort(all.begin(), all.end(), [](const v1::Session& a, const v1::Session& b) {
    return CreatedLater(a.created_at(), b.created_at());
  });
  return all;
}

void SessionManager::Release(const std::string& id) {
  std::vector<std::shared_ptr<Session>> released;
  std::lock_guard lock(mu_);
  released = SweepEndedLocked();
  for (auto it = held_ended_.begin(); it != held_ended_.end(); ++it) {
    if ((*it)->id() == id) {
      released.push_back(std::move(*it));
      held_ended_.erase(it);
      break;
    }
  }
}

size_t SessionManager::LiveCount() const {
  std::vector<std::shared_ptr<Session>> released;
  std::lock_guard lock(mu_);
  released = SweepEndedLocked();
  return live_.size();
}

std::vector<std::shared_ptr<Session>> SessionManager::SweepEndedLocked() const {
  for (auto it = live_.begin(); it != live_.end();) {
    if ((*it)->IsFinal()) {
      held_ended_.push_back(std::move(*it));
      it = live_.erase(it);
    } else {
      ++it;
    }
  }
  std::vector<std::shared_ptr<Session>> released;
  while (held_ended_.size() > kHeldEndedSessions) {
    released.push_back(std::move(held_ended_.front()));
    held_ended_.pop_front();
  }
  return released;
}

void SessionManager::InterruptAll(const std::string& why) {
  for (const std::shared_ptr<Session>& session : List()) {
    (void)session->Interrupt(why);  // FAILED_PRECONDITION for ended ones is expected
  }
}

grpc::Status SessionManager::FindByPairingCode(const std::string& code,
                                               std::shared_ptr<Session>* found) const {
  std::lock_guard lock(mu_);
  for (const std::shared_ptr<Session>& session : live_) {
    if (session->pairing_code() == code && !session->IsFinal()) {
      *found = session;
      return grpc::Status::OK;
    }
  }
  return grpc::Status(grpc::StatusCode::NOT_FOUND,
                      "hello.pairing_code: no running session has the code '" + code + "'");
}

std::string SessionManager::AwaitingResume(const v1::DeviceHello& hello) const {
  // Interrupted just now by this controller's shutdown: the next one on the
  // data folder resumes it.
  {
    auto interrupted = [&hello](const std::shared_ptr<Session>& session) {
      const bool named = hello.has_session_id() ? session->id() == hello.session_id()
                                                : session->pairing_code() == hello.pairing_code();
      return named && session->IsInterrupted();
    };
    std::lock_guard lock(mu_);
    if (auto it = std::find_if(live_.begin(), live_.end(), interrupted); it != live_.end()) {
      return (*it)->id();
    }
    if (auto it = std::find_if(held_ended_.begin(), held_ended_.end(), interrupted);
        it != held_ended_.end()) {
      return (*it)->id();
    }
  }
  std::vector<v1::Recording> candidates;
  if (hello.has_session_id()) {
    if (std::optional<v1::Recording> row = recordings_.Get(hello.session_id())) {
      candidates.push_back(std::move(*row));
    }
  } else if (hello.has_pairing_code() && !hello.pairing_code().empty()) {
    // Only interrupted rows: a wrong code must not cost a read of the
    // whole catalog.
    recording::CatalogFilter interrupted = EveryRecording();
    interrupted.status = v1::RECORDING_STATUS_INTERRUPTED;
    candidates = recordings_.List(interrupted);
  }
  for (const v1::Recording& row : candidates) {
    if (row.status() != v1::RECORDING_STATUS_INTERRUPTED) continue;
    if (std::shared_ptr<Session> held; Find(row.session_id(), &held).ok()) continue;
    if (hello.has_session_id()) return row.session_id();
    // Only the record knows its pairing code; interrupted sessions are few.
    const std::optional<std::filesystem::path> path = recordings_.RecordPath(row.session_id());
    if (!path) continue;
    try {
      const recording::RecordReader reader(*path);
      if (reader.header().pairing_code() == hello.pairing_code()) return row.session_id();
    } catch (const std::exception& error) {
      spdlog::debug("session {}: record header unreadable: {}", row.session_id(), error.what());
    }
  }
  return {};
}

v1::RecordHeader SessionManager::MakeRecordHeader(
    const SessionSetup& setup, const google::protobuf::RepeatedPtrField<std::string>& tags) const {
  v1::RecordHeader header;
  header.set_format_version(1);
  header.set_session_id(setup.id);
  *header.mutable_scenario() = setup.scenario;
  *header.mutable_patient() = setup.scenario.patient();
  for (const v1::Participant& participant : setup.participants) {
    *header.add_participants() = participant;
  }
  header.set_engine_version(engine::kEngineVersion);
  header.set_seed(setup.seed);
  header.set_guideline_set(setup.scenario.guideline_set());
  *header.mutable_created_at() = NowTimestamp();
  header.set_speed(setup.speed);
  header.mutable_tags()->CopyFrom(tags);
  if (setup.origin) *header.mutable_origin() = *setup.origin;
  header.set_pairing_code(setup.pairing_code);
  for (const v1::DeviceAttachment& attachment : setup.attachments) {
    *header.add_devices() = attachment;
  }
  return header;
}

bool SessionManager::PairingCodeUsedLocked(const std::string& code) const {
  return code.empty() || reserved_codes_.contains(code) ||
         std::any_of(live_.begin(), live_.end(), [&](const auto& session) {
           return session->pairing_code() == code && !session->IsFinal();
         });
}

std::string SessionManager::NewPairingCodeLocked() {
  // Six digits read out across a room; unique among the sessions still going.
  std::mt19937_64 random(FreshSeed());
  std::uniform_int_distribution<int> digits(0, 999999);
  for (;;) {
    std::string code = fmt::format("{:06d}", digits(random));
    if (!PairingCodeUsedLocked(code)) return code;
  }
}

std::string SessionManager::NewSessionIdLocked() {
  // Readable and sortable by creation time; the suffix keeps ids unique
  // across sessions created within the same second and across restarts.
  const auto now = std::chrono::system_clock::now();
  std::mt19937_64 random(FreshSeed());
  for (;;) {
    std::string id = fmt::format("{:%Y%m%d-%H%M%S}-{:04x}",
                                 std::chrono::floor<std::chrono::seconds>(now), random() & 0xffff);
    const bool used = reserved_ids_.contains(id) ||
                      std::any_of(live_.begin(), live_.end(),
                                  [&](const auto& session) { return session->id() == id; }) ||
                      std::any_of(held_ended_.begin(), held_ended_.end(),
                                  [&](const auto& session) { return session->id() == id; }) ||
                      std::filesystem::exists(data_dir_ / "sessions" / id);
    if (!used) return id;
  }
}

}  // namespace pedisim::session
