#include "controller/services/debrief_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "controller/assessment/assessment_view.h"
#include "controller/auth/caller.h"
#include "controller/engine/engine.h"
#include "controller/recording/session_digest.h"
#include "controller/services/answer.h"
#include "controller/services/debrief_visibility.h"
#include "controller/services/refusal_reactor.h"
#include "controller/services/replay_reactor.h"
#include "core/checks/request_checks.h"
#include "core/record_file/record_writer.h"
#include "core/wall_clock.h"

namespace pedisim::services {

namespace {

grpc::Status Invalid(const std::string& message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message);
}

grpc::Status StaffOnly(const auth::Caller& caller, const char* what) {
  if (caller.IsStaff()) return grpc::Status::OK;
  return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                      fmt::format("only instructors may {}", what));
}

bool TookPart(const auth::Caller& caller, const v1::Recording& recording) {
  return std::any_of(recording.participants().begin(), recording.participants().end(),
                     [&](const v1::Participant& person) { return person.name() == caller.name; });
}

bool ReleasedByTheEnd(const std::filesystem::path& record) {
  const recording::RecordSummary summary = recording::ScanRecord(record, /*repair=*/false);
  return summary.last_assessment && summary.last_assessment->released();
}

// A recording keeps at most this many annotations (bookmarks not counted),
// so that GetRecording's answer stays far below the message size limit.
constexpr int kMaxAnnotations = 1000;

}  // namespace

grpc::Status DebriefServiceImpl::Find(const auth::Caller& caller, const std::string& session_id,
                                      v1::Recording* found) const {
  if (grpc::Status status = checks::CheckSessionId(session_id); !status.ok()) return status;
  if (caller.role == auth::Role::kDevice) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "devices have no debrief access");
  }
  std::optional<v1::Recording> recording = recordings_.Get(session_id);
  if (!recording || (!caller.IsStaff() && !TookPart(caller, *recording))) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "session_id: no recording '" + session_id + "'");
  }
  *found = std::move(*recording);
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* DebriefServiceImpl::ListRecordings(
    Context* context, const v1::ListRecordingsRequest* request,
    v1::ListRecordingsResponse* response) {
  return AnswerGuarded(context, "DebriefService.ListRecordings", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const auth::Caller caller = auth::CallerOf(*context);
    if (caller.role == auth::Role::kDevice) {
      return Answer(context, grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                                          "devices have no debrief access"));
    }
    recording::CatalogFilter filter;
    filter.learner = request->learner();
    filter.scenario_id = request->scenario_id();
    filter.limit = request->limit();
    filter.include_archived = request->include_archived();
    if (request->has_since()) filter.since_unix_s = request->since().seconds();
    if (!caller.IsStaff()) {
      // A learner's list is their own sessions, whatever they ask for.
      if (!filter.learner.empty() && filter.learner != caller.name) return Answer(context, {});
      filter.learner = caller.name;
    }
    for (v1::Recording& recording : recordings_.List(filter)) {
      *response->add_recordings() = std::move(recording);
    }
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* DebriefServiceImpl::GetRecording(Context* context,
                                                           const v1::RecordingRef* request,
                                                           v1::Recording* response) {
  return AnswerGuarded(context, "DebriefService.GetRecording", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    if (grpc::Status status = Find(auth::CallerOf(*context), request->session_id(), response);
        !status.ok()) {
      return Answer(context, status);
    }
    try {
      const std::optional<std::filesystem::path> path =
          recordings_.RecordPath(request->session_id());
      if (path) {
        for (v1::Annotation& note : recording::ScanRecord(*path, /*repair=*/false).annotations) {
          *response->add_annotations() = std::move(note);
        }
      }
    } catch (const recording::RecordError& error) {
      return Answer(context, grpc::Status(grpc::StatusCode::DATA_LOSS, error.what()));
    }
    if (retention_days_ > 0 && !response->locked()) {
      response->mutable_delete_after()->set_seconds(response->created_at().seconds() +
                                                    int64_t{retention_days_} * 86400);
    }
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerWriteReactor<v1::SessionUpdate>* DebriefServiceImpl::Replay(
    Context* context, const v1::ReplayRequest* request) {
  // Nothing thrown below escapes into gRPC (answer.h).
  try {
    if (auto* refused = RefuseStream<v1::SessionUpdate>(context)) return refused;
    using Refusal = RefusalReactor<v1::SessionUpdate>;
    const auth::Caller caller = auth::CallerOf(*context);
    v1::Recording recording;
    if (grpc::Status status = Find(caller, request->session_id(), &recording); !status.ok()) {
      return new Refusal(status);
    }
    if (request->speed() != 0) {
      if (grpc::Status status = checks::CheckSpeed(request->speed(), "speed"); !status.ok()) {
        return new Refusal(status);
      }
    }
    if (request->has_from_s() && !(request->from_s() >= 0)) {
      return new Refusal(Invalid("from_s: must be zero or more"));
    }
    if (!(request->until_s() >= 0)) {
      return new Refusal(Invalid("until_s: must be zero (the end) or more"));
    }
    if (request->until_s() > 0 && request->has_from_s() && request->until_s() < request->from_s()) {
      return new Refusal(Invalid("until_s: before from_s"));
    }
    const std::optional<std::filesystem::path> path = recordings_.RecordPath(request->session_id());
    if (!path) return new Refusal(grpc::Status(grpc::StatusCode::NOT_FOUND, "session_id: gone"));
    recording::RecordPlayer::Options options;
    options.from_s = request->from_s();
    if (request->has_from_event_id()) options.from_event_id = request->from_event_id();
    options.waveforms = request->waveforms();
    if (request->until_s() > 0) options.until_s = request->until_s();
    if (!ReplayReactor::Reserve()) {
      return new Refusal(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          fmt::format("{} replays are running, the most this controller serves at once",
                      ReplayReactor::kMaxReplays)));
    }
    const bool learner = !caller.IsStaff();
    auto open = [path = *path, options, learner](ReplayReactor::Source* source) {
      try {
        source->player = std::make_unique<recording::RecordPlayer>(path, options);
      } catch (const std::out_of_range& error) {
        return Invalid(error.what());
      } catch (const std::exception& error) {
        return grpc::Status(grpc::StatusCode::DATA_LOSS, error.what());
      }
      if (options.waveforms &&
          source->player->header().engine_version() != engine::kEngineVersion) {
        return grpc::Status(
            grpc::StatusCode::FAILED_PRECONDITION,
            fmt::format("waveforms: recorded by '{}', which this controller ('{}') cannot "
                        "regenerate; replay without waveforms",
                        source->player->header().engine_version(), engine::kEngineVersion));
      }
      if (learner) {
        source->filter = [released = ReleasedByTheEnd(path)](v1::SessionUpdate* update) {
          return ShowLearner(update, released);
        };
      }
      return grpc::Status::OK;
    };
    return new ReplayReactor(std::move(open), request->speed(), caller);
  } catch (...) {
    return new RefusalReactor<v1::SessionUpdate>(
        FailureStatus("DebriefService.Replay", std::current_exception()));
  }
}

grpc::ServerUnaryReactor* DebriefServiceImpl::Annotate(Context* context,
                                                       const v1::AnnotateRequest* request,
                                                       v1::Annotation* response) {
  return AnswerGuarded(context, "DebriefService.Annotate", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const auth::Caller caller = auth::CallerOf(*context);
    v1::Recording recording;
    if (grpc::Status status = Find(caller, request->session_id(), &recording); !status.ok()) {
      return Answer(context, status);
    }
    if (grpc::Status status = StaffOnly(caller, "annotate sessions"); !status.ok()) {
      return Answer(context, status);
    }
    if (request->label().empty() && request->comment().empty()) {
      return Answer(context, Invalid("label: a label or a comment is needed"));
    }
    if (request->label().size() > 200) return Answer(context, Invalid("label: at most 200 bytes"));
    if (request->comment().size() > 4000) {
      return Answer(context, Invalid("comment: at most 4000 bytes"));
    }
    if (request->category().size() > 64) {
      return Answer(context, Invalid("category: at most 64 bytes"));
    }
    std::shared_ptr<session::Session> live;
    if (!sessions_.Find(request->session_id(), &live).ok()) live.reset();
    if (live && !live->IsFinal()) {
      if (request->has_sim_time_s()) {
        return Answer(context, Invalid("sim_time_s: a live session is annotated at its current "
                                       "time; leave it unset"));
      }
      v1::Event event;
      grpc::Status status = live->AddBookmark(request->label(), request->comment(),
                                              request->category(), caller.name, &event);
      if (!status.ok()) return Answer(context, status);
      response->set_event_id(event.id());
      response->set_sim_time_s(event.sim_time_s());
      response->set_category(request->category());
      response->set_label(request->label());
      response->set_comment(request->comment());
      response->set_author(caller.name);
      *response->mutable_created_at() = event.wall_time();
      return Answer(context, grpc::Status::OK);
    }
    const double at_s = request->sim_time_s();
    if (!(at_s >= 0) || at_s > recording.duration_s() + 1e-6) {
      return Answer(context,
                    Invalid(fmt::format("sim_time_s: {} is outside the recording (0 to {})", at_s,
                                        recording.duration_s())));
    }
    response->set_sim_time_s(at_s);
    response->set_category(request->category());
    response->set_label(request->label());
    response->set_comment(request->comment());
    response->set_author(caller.name);
    *response->mutable_created_at() = NowTimestamp();
    // One writer per record: while this controller holds the session, its
    // recorder appends; after a restart, a writer of our own, one at a time,
    // once the tail is checked.
    if (live) return Answer(context, live->AnnotateRecord(*response));
    try {
      std::lock_guard lock(annotate_mu_);
      const std::optional<std::filesystem::path> path =
          recordings_.RecordPath(request->session_id());
      if (!path)
        return Answer(context, grpc::Status(grpc::StatusCode::NOT_FOUND, "session_id: gone"));
      const recording::RecordSummary summary = recording::ScanRecord(*path, /*repair=*/true);
      const auto added =
          std::count_if(summary.annotations.begin(), summary.annotations.end(),
                        [](const v1::Annotation& note) { return note.event_id() == 0; });
      if (added >= kMaxAnnotations) {
        return Answer(context, grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                            fmt::format("session_id: the recording has its "
                                                        "maximum of {} annotations",
                                                        kMaxAnnotations)));
      }
      v1::RecordEntry entry;
      entry.set_step(static_cast<uint64_t>(std::llround(at_s / engine::Engine::kStepS)));
      *entry.mutable_annotation() = *response;
      recording::RecordWriter writer = recording::RecordWriter::Reopen(*path);
      writer.Append(entry);
      if (!writer.Flush()) {
        return Answer(context,
                      grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                   "the annotation could not be written: " + writer.last_error()));
      }
    } catch (const std::exception& error) {
      return Answer(context, grpc::Status(grpc::StatusCode::INTERNAL, error.what()));
    }
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* DebriefServiceImpl::Fork(Context* context, const v1::ForkRequest* request,
                                                   v1::Session* response) {
  return AnswerGuarded(context, "DebriefService.Fork", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const auth::Caller caller = auth::CallerOf(*context);
    v1::Recording recording;
    if (grpc::Status status = Find(caller, request->session_id(), &recording); !status.ok()) {
      return Answer(context, status);
    }
    if (grpc::Status status = StaffOnly(caller, "fork sessions"); !status.ok()) {
      return Answer(context, status);
    }
    if (request->bookmark_event_id() == 0) {
      return Answer(context, Invalid("bookmark_event_id: required"));
    }
    for (int i = 0; i < request->participants_size(); ++i) {
      if (request->participants(i).name().empty()) {
        return Answer(context, Invalid(fmt::format("participants[{}].name: required", i)));
      }
    }
    const std::optional<std::filesystem::path> path = recordings_.RecordPath(request->session_id());
    if (!path)
      return Answer(context, grpc::Status(grpc::StatusCode::NOT_FOUND, "session_id: gone"));
    std::shared_ptr<session::Session> created;
    const std::vector<v1::Participant> participants(request->participants().begin(),
                                                    request->participants().end());
    grpc::Status status =
        sessions_.Fork(*path, request->bookmark_event_id(), participants, &created);
    if (status.ok()) *response = created->Snapshot();
    return Answer(context, status);
  });
}

grpc::ServerUnaryReactor* DebriefServiceImpl::ExportReport(Context* context,
                                                           const v1::ExportReportRequest* request,
                                                           v1::Report* response) {
  return AnswerGuarded(context, "DebriefService.ExportReport", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const auth::Caller caller = auth::CallerOf(*context);
    v1::Recording recording;
    if (grpc::Status status = Find(caller, request->session_id(), &recording); !status.ok()) {
      return Answer(context, status);
    }
    if (request->format() == v1::REPORT_FORMAT_UNSPECIFIED ||
        !v1::ReportFormat_IsValid(request->format())) {
      return Answer(context, Invalid("format: one of HTML, JSON, CSV, WEBVTT"));
    }
    const std::optional<std::filesystem::path> path = recordings_.RecordPath(request->session_id());
    if (!path)
      return Answer(context, grpc::Status(grpc::StatusCode::NOT_FOUND, "session_id: gone"));
    try {
      recording::SessionDigest digest = recording::DigestRecord(*path);
      if (!caller.IsStaff()) ShowLearner(&digest);
      const std::string base = request->session_id() + "-report";
      switch (request->format()) {
        case v1::REPORT_FORMAT_HTML:
          response->set_content_type("text/html; charset=utf-8");
          response->set_file_name(base + ".html");
          response->set_content(recording::RenderHtmlReport(digest));
          break;
        case v1::REPORT_FORMAT_JSON:
          response->set_content_type("application/json");
          response->set_file_name(base + ".json");
          response->set_content(recording::RenderJsonReport(digest));
          break;
        case v1::REPORT_FORMAT_CSV:
          response->set_content_type("text/csv");
          response->set_file_name(base + ".csv");
          response->set_content(recording::RenderCsvReport(digest));
          break;
        case v1::REPORT_FORMAT_WEBVTT:
          response->set_content_type("text/vtt");
          response->set_file_name(request->session_id() + "-chapters.vtt");
          response->set_content(recording::RenderWebVtt(digest));
          break;
        default:
          return Answer(context, Invalid("format: one of HTML, JSON, CSV, WEBVTT"));
      }
    } catch (const std::exception& error) {
      return Answer(context, grpc::Status(grpc::StatusCode::DATA_LOSS, error.what()));
    }
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* DebriefServiceImpl::SetLocked(Context* context,
                                                        const v1::SetLockedRequest* request,
                                                        v1::Recording* response) {
  return AnswerGuarded(context, "DebriefService.SetLocked", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const auth::Caller caller = auth::CallerOf(*context);
    if (grpc::Status status = Find(caller, request->session_id(), response); !status.ok()) {
      return Answer(context, status);
    }
    if (grpc::Status status = StaffOnly(caller, "lock recordings"); !status.ok()) {
      return Answer(context, status);
    }
    recordings_.SetLocked(request->session_id(), request->locked());
    spdlog::info("{} {} recording {}", caller.name, request->locked() ? "locked" : "unlocked",
                 request->session_id());
    response->set_locked(request->locked());
    return Answer(context, grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* DebriefServiceImpl::SetArchived(Context* context,
                                                          const v1::SetArchivedRequest* request,
                                                          v1::Recording* response) {
  // Nothing thrown below escapes into gRPC (answer.h).
  try {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const auth::Caller caller = auth::CallerOf(*context);
    if (grpc::Status status = Find(caller, request->session_id(), response); !status.ok()) {
      return Answer(context, status);
    }
    if (grpc::Status status = StaffOnly(caller, "archive recordings"); !status.ok()) {
      return Answer(context, status);
    }
    // The manager, not the row (which may wait for its end to be written),
    // knows whether the session runs.
    std::shared_ptr<session::Session> live;
    if (request->archived() && sessions_.Find(request->session_id(), &live).ok() &&
        !live->IsFinal()) {
      return Answer(context,
                    grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                 "session_id: the session is still running; stop it first"));
    }
    // A session that ended on a full disk may wait to be marked ended.
    sessions_.catalog_writes().Retry();
    if (grpc::Status status = recordings_.SetArchived(request->session_id(), request->archived());
        !status.ok()) {
      return Answer(context, status);
    }
    spdlog::info("{} {} recording {}", caller.name, request->archived() ? "archived" : "restored",
                 request->session_id());
    response->set_archived(request->archived());
    return Answer(context, grpc::Status::OK);
  } catch (...) {
    return AnswerFailure(context, "DebriefService.SetArchived", std::current_exception());
  }
}

grpc::ServerUnaryReactor* DebriefServiceImpl::DeleteRecording(Context* context,
                                                              const v1::RecordingRef* request,
                                                              v1::DeleteRecordingResponse*) {
  return AnswerGuarded(context, "DebriefService.DeleteRecording", [&] {
    if (grpc::ServerUnaryReactor* refused = AnswerRefusal(context)) return refused;
    const auth::Caller caller = auth::CallerOf(*context);
    v1::Recording recording;
    if (grpc::Status status = Find(caller, request->session_id(), &recording); !status.ok()) {
      return Answer(context, status);
    }
    if (grpc::Status status = StaffOnly(caller, "delete recordings"); !status.ok()) {
      return Answer(context, status);
    }
    grpc::Status status = Delete(request->session_id());
    if (status.ok()) spdlog::info("{} deleted recording {}", caller.name, request->session_id());
    return Answer(context, status);
  });
}

grpc::Status DebriefServiceImpl::DeletableWithoutCatalogWrite(const std::string& session_id) {
  const std::optional<v1::Recording> row = recordings_.Get(session_id);
  if (!row) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "session_id: no recording '" + session_id + "'");
  }
  // The manager, not the row (which may wait for its end to be written),
  // knows whether the session runs.
  std::shared_ptr<session::Session> live;
  if (sessions_.Find(session_id, &live).ok() && !live->IsFinal()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "session_id: the session is still running; stop it first");
  }
  if (row->locked()) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "session_id: the recording is locked; unlock it first");
  }
  return grpc::Status::OK;
}

grpc::Status DebriefServiceImpl::Delete(const std::string& session_id) {
  // A session that ended on a full disk may wait to be marked ended.
  sessions_.catalog_writes().Retry();
  const std::optional<std::filesystem::path> path = recordings_.RecordPath(session_id);
  try {
    if (grpc::Status status = recordings_.RemoveIfDeletable(session_id); !status.ok()) {
      return status;
    }
  } catch (const std::exception& error) {
    // The catalog cannot be written (a full disk). Deleting is how room is
    // made, so it must work now: checked from what can be read, the files
    // go first (freeing the room) and the row follows once it can.
    if (grpc::Status status = DeletableWithoutCatalogWrite(session_id); !status.ok()) {
      return status;
    }
    spdlog::warn("recording {}: files deleted first, the catalog row follows ({})", session_id,
                 error.what());
    sessions_.catalog_writes().Remove(session_id);
  }
  // An ended session still held in memory keeps its record open; let go of
  // it so that removing the files frees the disk at once.
  sessions_.Release(session_id);
  // The row is gone first: files left by a failed removal are listed again
  // at the next start, never a row without its files.
  std::error_code error;
  if (path) std::filesystem::remove_all(path->parent_path(), error);
  if (error) {
    return grpc::Status(grpc::StatusCode::INTERNAL,
                        "cannot delete the recording's files: " + error.message());
  }
  return grpc::Status::OK;
}

}  // namespace pedisim::services
