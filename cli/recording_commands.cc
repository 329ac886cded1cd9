// `pedisimctl recordings ...`: DebriefService (recorded sessions).
#include "recording_commands.h"

#include <google/protobuf/util/time_util.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>

#include "client/console/formatting.h"
#include "client/console/output.h"
#include "controller_client.h"
#include "follow_updates.h"
#include "validators.h"

namespace pedisim::cli {

std::optional<double> ParseSimTime(const std::string& text) {
  double total = 0;
  size_t start = 0;
  int parts = 0;
  while (start <= text.size()) {
    const size_t colon = std::min(text.find(':', start), text.size());
    const std::string part = text.substr(start, colon - start);
    if (part.empty() || ++parts > 3) return std::nullopt;
    double value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (error != std::errc() || end != part.data() + part.size() || value < 0) return std::nullopt;
    total = total * 60 + value;
    start = colon + 1;
  }
  return parts == 0 ? std::nullopt : std::optional<double>(total);
}

namespace {

std::string StatusText(v1::RecordingStatus status) {
  switch (status) {
    case v1::RECORDING_STATUS_LIVE:
      return "live";
    case v1::RECORDING_STATUS_COMPLETE:
      return "complete";
    case v1::RECORDING_STATUS_INTERRUPTED:
      return "INTERRUPTED";
    default:
      return "?";
  }
}

std::string Team(const v1::Recording& recording) {
  std::string team;
  for (const v1::Participant& person : recording.participants()) {
    team += (team.empty() ? "" : ", ") + person.name() +
            (person.role().empty() ? "" : " (" + person.role() + ")");
  }
  return team;
}

void PrintRecordingList(const v1::ListRecordingsResponse& response) {
  if (response.recordings().empty()) {
    std::cout << "no recordings\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"SESSION", "SCENARIO", "CREATED", "LENGTH", "STATUS", "OUTCOME", "TEAM"}};
  for (const v1::Recording& recording : response.recordings()) {
    rows.push_back({recording.session_id() + (recording.locked() ? " [locked]" : "") +
                        (recording.archived() ? " [archived]" : ""),
                    recording.scenario_id(), console::FormatLocalTime(recording.created_at()),
                    console::FormatClock(recording.duration_s()), StatusText(recording.status()),
                    recording.outcome(), Team(recording)});
  }
  console::PrintTable(rows);
}

void PrintRecording(const v1::Recording& recording) {
  std::cout << recording.session_id() << "  " << recording.scenario_title() << " ("
            << recording.scenario_id() << ")\n"
            << "  created   " << console::FormatLocalTime(recording.created_at()) << "\n"
            << "  length    " << console::FormatClock(recording.duration_s()) << " simulated, "
            << StatusText(recording.status()) << ", ended in '" << recording.outcome() << "'\n"
            << "  team      " << Team(recording) << "\n"
            << "  size      " << recording.size_bytes() << " bytes"
            << (recording.locked() ? ", locked" : "") << "\n";
  if (recording.has_delete_after()) {
    std::cout << "  deleted   after " << console::FormatLocalTime(recording.delete_after()) << "\n";
  }
  if (recording.has_origin()) {
    std::cout << "  forked    from " << recording.origin().session_id() << " at bookmark "
              << recording.origin().bookmark_event_id() << " '"
              << recording.origin().bookmark_label() << "' ("
              << console::FormatClock(recording.origin().sim_time_s()) << ")\n";
  }
  if (!recording.tags().empty()) {
    std::cout << "  tags     ";
    for (const std::string& tag : recording.tags()) std::cout << " " << tag;
    std::cout << "\n";
  }
  for (const v1::Annotation& note : recording.annotations()) {
    std::cout << "  [" << console::FormatClock(note.sim_time_s()) << "] "
              << (note.event_id() != 0 ? "bookmark " + std::to_string(note.event_id())
                                       : std::string("note"))
              << (note.category().empty() ? "" : " [" + note.category() + "]") << " "
              << note.label() << (note.comment().empty() ? "" : ": " + note.comment())
              << (note.author().empty() ? "" : " (" + note.author() + ")") << "\n";
  }
}

struct ListOptions {
  std::string learner, scenario, since;
  uint32_t limit = 0;
  bool archived = false;
};

int RunList(const GlobalOptions& global, const ListOptions& options) {
  v1::ListRecordingsRequest request;
  request.set_learner(options.learner);
  request.set_scenario_id(options.scenario);
  request.set_limit(options.limit);
  request.set_include_archived(options.archived);
  if (!options.since.empty()) {
    std::tm day = {};
    if (strptime(options.since.c_str(), "%Y-%m-%d", &day) == nullptr) {
      console::PrintError("--since: expected a date as YYYY-MM-DD");
      return console::kExitUsage;
    }
    // Midnight local time, as a person means "since the 3rd".
    day.tm_isdst = -1;
    request.mutable_since()->set_seconds(std::mktime(&day));
  }
  ControllerClient client(global);
  v1::ListRecordingsResponse response;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.debrief().ListRecordings(&context, request, &response);
  });
  return client.Respond<v1::ListRecordingsResponse>(status, response, PrintRecordingList);
}

struct ReplayOptions {
  std::string session_id, from;
  uint64_t from_bookmark = 0;
  double speed = 0;
  std::string until;
  bool waveforms = false;
};

int RunReplay(const GlobalOptions& global, const ReplayOptions& options) {
  v1::ReplayRequest request;
  request.set_session_id(options.session_id);
  request.set_speed(options.speed);
  request.set_waveforms(options.waveforms);
  if (options.from_bookmark != 0) {
    request.set_from_event_id(options.from_bookmark);
  } else if (!options.from.empty()) {
    const std::optional<double> from = ParseSimTime(options.from);
    if (!from) {
      console::PrintError("--from: expected seconds or mm:ss");
      return console::kExitUsage;
    }
    request.set_from_s(*from);
  }
  if (!options.until.empty()) {
    const std::optional<double> until = ParseSimTime(options.until);
    if (!until) {
      console::PrintError("--until: expected seconds or mm:ss");
      return console::kExitUsage;
    }
    request.set_until_s(*until);
  }
  ControllerClient client(global);
  return FollowUpdates(client, 10, [&](grpc::ClientContext* context) {
    return client.debrief().Replay(context, request);
  });
}

template <typename Request, typename Response, typename Call>
int RunUnary(const GlobalOptions& global, const Request& request, Call call,
             const std::function<void(const Response&)>& print) {
  ControllerClient client(global);
  Response response;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return (client.debrief().*call)(&context, request, &response);
  });
  return client.Respond<Response>(status, response, print);
}

void AddListCommand(CLI::App& group, const GlobalOptions& global, CommandRunner& selected) {
  auto options = std::make_shared<ListOptions>();
  CLI::App* command = group.add_subcommand("list", "Recorded sessions, newest first");
  command->add_option("--learner", options->learner, "Only sessions this person took part in");
  command->add_option("--scenario", options->scenario, "Only sessions of this scenario id");
  command->add_option("--since", options->since, "Only sessions created on or after this day")
      ->type_name("YYYY-MM-DD");
  command->add_option("--limit", options->limit, "At most this many");
  command->add_flag("--archived", options->archived, "Also list archived recordings");
  command->callback(
      [&, options] { selected = [&, options] { return RunList(global, *options); }; });
}

void AddReplayCommand(CLI::App& group, const GlobalOptions& global, CommandRunner& selected) {
  auto options = std::make_shared<ReplayOptions>();
  CLI::App* command = group.add_subcommand(
      "replay", "Play a recording like a live session (same output as session watch)");
  command->add_option("ID", options->session_id, "Session id")->required();
  command->add_option("--from", options->from, "Start here (seconds or mm:ss)")->type_name("TIME");
  command->add_option("--from-bookmark", options->from_bookmark, "Start at this bookmark's event")
      ->type_name("EVENT_ID")
      ->excludes("--from");
  command->add_option("--until", options->until, "Stop here (seconds or mm:ss)")->type_name("TIME");
  command->add_option("--speed", options->speed, "0.25 to 8 (default 0: as fast as possible)")
      ->check(NonNegativeNumber());
  command->add_flag("--waveforms", options->waveforms,
                    "Also regenerate the waveforms (with --json; counted otherwise)");
  command->callback(
      [&, options] { selected = [&, options] { return RunReplay(global, *options); }; });
}

void AddAnnotateCommand(CLI::App& group, const GlobalOptions& global, CommandRunner& selected) {
  auto request = std::make_shared<v1::AnnotateRequest>();
  auto at = std::make_shared<std::string>();
  CLI::App* command = group.add_subcommand(
      "annotate", "Add a comment to a moment of a session (live: now; recorded: --at)");
  command->add_option("ID", *request->mutable_session_id(), "Session id")->required();
  command->add_option("LABEL", *request->mutable_label(), "Short label")->required();
  command->add_option("--comment", *request->mutable_comment(), "The comment");
  command->add_option("--category", *request->mutable_category(),
                      "communication, leadership, cpr, medication, airway, other...");
  command->add_option("--at", *at, "The moment (seconds or mm:ss) of a recorded session")
      ->type_name("TIME");
  command->callback([&, request, at] {
    selected = [&, request, at] {
      if (!at->empty()) {
        const std::optional<double> when = ParseSimTime(*at);
        if (!when) {
          console::PrintError("--at: expected seconds or mm:ss");
          return static_cast<int>(console::kExitUsage);
        }
        request->set_sim_time_s(*when);
      }
      return RunUnary<v1::AnnotateRequest, v1::Annotation>(
          global, *request, &v1::DebriefService::Stub::Annotate, [](const v1::Annotation& note) {
            std::cout << "annotated " << console::FormatClock(note.sim_time_s()) << ": "
                      << note.label() << "\n";
          });
    };
  });
}

void AddForkCommand(CLI::App& group, const GlobalOptions& global, CommandRunner& selected) {
  auto request = std::make_shared<v1::ForkRequest>();
  auto bookmark = std::make_shared<uint64_t>(0);
  CLI::App* command = group.add_subcommand(
      "fork", "Start a new session, paused, from a bookmark of a live or recorded session");
  command->add_option("ID", *request->mutable_session_id(), "Session id")->required();
  command
      ->add_option("--bookmark", *bookmark, "The bookmark's event id (recordings show lists them)")
      ->required();
  command->callback([&, request, bookmark] {
    selected = [&, request, bookmark] {
      request->set_bookmark_event_id(*bookmark);
      return RunUnary<v1::ForkRequest, v1::Session>(
          global, *request, &v1::DebriefService::Stub::Fork, [](const v1::Session& session) {
            std::cout << "forked " << session.id() << ": paused in '" << session.current_state()
                      << "' at " << console::FormatClock(session.sim_time_s())
                      << "; resume it with: pedisimctl session resume " << session.id() << "\n";
          });
    };
  });
}

void AddSimpleCommands(CLI::App& group, const GlobalOptions& global, CommandRunner& selected) {
  auto show = std::make_shared<v1::RecordingRef>();
  CLI::App* show_command = group.add_subcommand("show", "A recording with its bookmarks and notes");
  show_command->add_option("ID", *show->mutable_session_id(), "Session id")->required();
  show_command->callback([&, show] {
    selected = [&, show] {
      return RunUnary<v1::RecordingRef, v1::Recording>(
          global, *show, &v1::DebriefService::Stub::GetRecording, PrintRecording);
    };
  });
  for (const bool locked : {true, false}) {
    auto request = std::make_shared<v1::SetLockedRequest>();
    request->set_locked(locked);
    CLI::App* command = group.add_subcommand(
        locked ? "lock" : "unlock",
        locked ? "Keep a recording from deletion (also by retention)" : "Allow deleting again");
    command->add_option("ID", *request->mutable_session_id(), "Session id")->required();
    command->callback([&, request] {
      selected = [&, request] {
        return RunUnary<v1::SetLockedRequest, v1::Recording>(
            global, *request, &v1::DebriefService::Stub::SetLocked,
            [](const v1::Recording& recording) {
              std::cout << recording.session_id()
                        << (recording.locked() ? " locked\n" : " unlocked\n");
            });
      };
    });
  }
  for (const bool archived : {true, false}) {
    auto request = std::make_shared<v1::SetArchivedRequest>();
    request->set_archived(archived);
    CLI::App* command = group.add_subcommand(
        archived ? "archive" : "unarchive",
        archived ? "Hide an ended recording from the lists (list --archived shows it)"
                 : "Restore an archived recording to the lists");
    command->add_option("ID", *request->mutable_session_id(), "Session id")->required();
    command->callback([&, request] {
      selected = [&, request] {
        return RunUnary<v1::SetArchivedRequest, v1::Recording>(
            global, *request, &v1::DebriefService::Stub::SetArchived,
            [](const v1::Recording& recording) {
              std::cout << recording.session_id()
                        << (recording.archived() ? " archived\n" : " restored\n");
            });
      };
    });
  }
  auto remove = std::make_shared<v1::RecordingRef>();
  CLI::App* delete_command = group.add_subcommand("delete", "Delete an ended, unlocked recording");
  delete_command->add_option("ID", *remove->mutable_session_id(), "Session id")->required();
  delete_command->callback([&, remove] {
    selected = [&, remove] {
      return RunUnary<v1::RecordingRef, v1::DeleteRecordingResponse>(
          global, *remove, &v1::DebriefService::Stub::DeleteRecording,
          [remove](const v1::DeleteRecordingResponse&) {
            std::cout << "deleted " << remove->session_id() << "\n";
          });
    };
  });
}

}  // namespace

int RunExportReport(const GlobalOptions& global, const std::string& session_id,
                    const std::string& format, const std::string& output) {
  v1::ExportReportRequest request;
  request.set_session_id(session_id);
  request.set_format(format == "html"   ? v1::REPORT_FORMAT_HTML
                     : format == "json" ? v1::REPORT_FORMAT_JSON
                     : format == "csv"  ? v1::REPORT_FORMAT_CSV
                                        : v1::REPORT_FORMAT_WEBVTT);
  ControllerClient client(global);
  v1::Report report;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.debrief().ExportReport(&context, request, &report);
  });
  if (!status.ok()) return client.Fail(status);
  if (output == "-") {
    std::cout << report.content();
    return console::kExitOk;
  }
  const std::string path = output.empty() ? report.file_name() : output;
  std::ofstream out(path, std::ios::binary);
  out << report.content();
  out.close();
  if (!out) {
    console::PrintError("cannot write " + path);
    return console::kExitError;
  }
  std::cerr << "wrote " << path << " (" << report.content().size() << " bytes)\n";
  return console::kExitOk;
}

void AddRecordingCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected) {
  CLI::App* group = app.add_subcommand(
      "recordings", "Recorded sessions: list, replay, annotate, fork, keep, archive");
  group->require_subcommand(1);
  AddListCommand(*group, global, selected);
  AddSimpleCommands(*group, global, selected);
  AddReplayCommand(*group, global, selected);
  AddAnnotateCommand(*group, global, selected);
  AddForkCommand(*group, global, selected);
}

}  // namespace pedisim::cli
