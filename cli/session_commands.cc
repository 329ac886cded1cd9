#include "session_commands.h"

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "client/console/formatting.h"
#include "client/console/output.h"
#include "controller_client.h"
#include "core/text/enum_names.h"
#include "core/text/session_status.h"
#include "device_spec.h"
#include "local_file.h"

namespace pedisim::cli {
namespace {

struct CreateOptions {
  std::string scenario_id;
  uint64_t seed = 0;
  double speed = 0;
  std::vector<std::string> participants;
  std::vector<std::string> tags;
  std::vector<std::string> devices;
  std::string learner_script;
  bool quiet = false;
};

// Lifecycle calls all answer with the session; one line tells what changed.
void PrintSessionLine(const v1::Session& session) {
  std::cout << "session " << session.id() << ": " << text::EnumWords(session.status()) << ", state "
            << session.current_state() << ", clock " << console::FormatClock(session.sim_time_s())
            << ", " << console::FormatSpeed(session.speed()) << '\n';
}

void PrintSession(const v1::Session& session) { std::cout << console::FormatSession(session); }

int RunCreate(const GlobalOptions& global, const CreateOptions& options) {
  v1::CreateSessionRequest request;
  request.set_scenario_id(options.scenario_id);
  request.set_seed(options.seed);
  request.set_speed(options.speed);
  // The option validators (AddCreateCommand) already accepted every spec.
  for (const std::string& tag : options.tags) request.add_tags(tag);
  for (const auto& spec : options.participants) {
    ParseParticipantSpec(spec, request.add_participants());
  }
  for (const auto& spec : options.devices) ParseDeviceSpec(spec, request.add_devices());
  if (!options.learner_script.empty()) {
    std::string script;
    std::string error;
    if (!ReadLocalFile(options.learner_script, &script, &error)) {
      console::PrintError(error);
      return console::kExitNotFound;
    }
    AttachLearnerScript(std::filesystem::path(options.learner_script).filename().string(), script,
                        &request);
  }

  ControllerClient client(global);
  v1::Session session;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.sessions().Create(&context, request, &session);
  });
  if (status.ok() && options.quiet) {
    std::cout << session.id() << '\n';
    return console::kExitOk;
  }
  return client.Respond<v1::Session>(status, session, PrintSession);
}

using SessionCall = grpc::Status (v1::SessionService::Stub::*)(grpc::ClientContext*,
                                                               const v1::SessionRef&, v1::Session*);

int RunSessionCall(const GlobalOptions& global, SessionCall call, const std::string& session_id,
                   void (*print_human)(const v1::Session&)) {
  ControllerClient client(global);
  v1::SessionRef request;
  request.set_session_id(session_id);
  v1::Session session;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return (client.sessions().*call)(&context, request, &session);
  });
  return client.Respond<v1::Session>(status, session, print_human);
}

int RunSetSpeed(const GlobalOptions& global, const std::string& session_id, double speed) {
  ControllerClient client(global);
  v1::SetSpeedRequest request;
  request.set_session_id(session_id);
  request.set_speed(speed);
  v1::Session session;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.sessions().SetSpeed(&context, request, &session);
  });
  return client.Respond<v1::Session>(status, session, PrintSessionLine);
}

void PrintSessionTable(const v1::ListSessionsResponse& response) {
  if (response.sessions().empty()) {
    std::cout << "no sessions\n";
    return;
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", "SCENARIO", "STATUS", "STATE", "CLOCK", "SPEED", "CREATED"}};
  for (const auto& session : response.sessions()) {
    rows.push_back(
        {session.id(), session.scenario_id(), text::SessionStatusText(session),
         session.current_state(), console::FormatClock(session.sim_time_s()),
         console::FormatSpeed(session.speed()),
         session.has_created_at() ? console::FormatLocalTime(session.created_at()) : ""});
  }
  console::PrintTable(rows);
}

int RunList(const GlobalOptions& global, bool include_archived) {
  ControllerClient client(global);
  v1::ListSessionsResponse response;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    v1::ListSessionsRequest request;
    request.set_include_archived(include_archived);
    return client.sessions().List(&context, request, &response);
  });
  return client.Respond<v1::ListSessionsResponse>(status, response, PrintSessionTable);
}

// A CLI11 check built from one of the spec parsers of device_spec.h.
template <typename Message>
CLI::Validator SpecValidator(std::string (*parse)(std::string_view, Message*)) {
  return CLI::Validator(
      [parse](std::string& spec) {
        Message ignored;
        return parse(spec, &ignored);
      },
      "");
}

void AddCreateCommand(CLI::App& session, const GlobalOptions& global, CommandRunner& selected) {
  auto options = std::make_shared<CreateOptions>();
  CLI::App* create = session.add_subcommand("create", "Create a session of a scenario (CREATED)");
  create->add_option("--scenario", options->scenario_id, "Scenario id")
      ->type_name("ID")
      ->required();
  create->add_option("--seed", options->seed, "Noise seed, to repeat a run (0 = controller picks)")
      ->type_name("N");
  create
      ->add_option("--speed", options->speed,
                   "Simulated seconds per wall second, 0.25 to 8 (default 1)")
      ->type_name("X");
  create
      ->add_option("--participant", options->participants,
                   "Participant, e.g. \"Alice:team leader\" (repeatable)")
      ->type_name("NAME[:ROLE]")
      ->allow_extra_args(false)
      ->check(SpecValidator(&ParseParticipantSpec));
  create
      ->add_option("--tag", options->tags,
                   "A label to find the recording by later, e.g. \"course 12\" (repeatable)")
      ->type_name("TEXT")
      ->allow_extra_args(false);
  create
      ->add_option("--device", options->devices,
                   "Attach a device (repeatable).\n"
                   "NAME defaults to the adapter; KEY=VALUE pairs (no commas in values)\n"
                   "go to the adapter's config (docs/devices.md lists each adapter's keys),\n"
                   "e.g. --device virtual-monitor:bedside")
      ->type_name("ADAPTER[:NAME][,KEY=VALUE...]")
      ->allow_extra_args(false)
      ->check(SpecValidator(&ParseDeviceSpec));
  create
      ->add_option("--learner-script", options->learner_script,
                   "Action script replayed by a virtual manikin (attached as \"manikin\"\n"
                   "unless a virtual-manikin --device is given)")
      ->type_name("FILE");
  create->add_flag("-q,--quiet", options->quiet, "Print only the new session's id");
  create->callback(
      [&, options] { selected = [&, options] { return RunCreate(global, *options); }; });
}

void AddSessionRefCommand(CLI::App& session, const GlobalOptions& global, CommandRunner& selected,
                          const std::string& name, const std::string& description, SessionCall call,
                          void (*print_human)(const v1::Session&)) {
  auto session_id = std::make_shared<std::string>();
  CLI::App* command = session.add_subcommand(name, description);
  command->add_option("ID", *session_id, "Session id")->required();
  command->callback([&, session_id, call, print_human] {
    selected = [&, session_id, call, print_human] {
      return RunSessionCall(global, call, *session_id, print_human);
    };
  });
}

}  // namespace

void AddSessionLifecycleCommands(CLI::App& session, const GlobalOptions& global,
                                 CommandRunner& selected) {
  using Stub = v1::SessionService::Stub;
  AddCreateCommand(session, global, selected);
  AddSessionRefCommand(session, global, selected, "start", "Start the clock (CREATED -> RUNNING)",
                       &Stub::Start, PrintSessionLine);
  AddSessionRefCommand(session, global, selected, "pause", "Pause (RUNNING -> PAUSED)",
                       &Stub::Pause, PrintSessionLine);
  AddSessionRefCommand(session, global, selected, "resume", "Resume (PAUSED -> RUNNING)",
                       &Stub::Resume, PrintSessionLine);
  AddSessionRefCommand(session, global, selected, "stop", "End the session for good (STOPPED)",
                       &Stub::Stop, PrintSessionLine);
  AddSessionRefCommand(
      session, global, selected, "show",
      "Show a session: state, clock, patient, vitals, devices, pending transitions", &Stub::Get,
      PrintSession);

  auto speed_session_id = std::make_shared<std::string>();
  auto speed = std::make_shared<double>();
  CLI::App* speed_command = session.add_subcommand("speed", "Change the pace of simulated time");
  speed_command->add_option("ID", *speed_session_id, "Session id")->required();
  speed_command->add_option("X", *speed, "Simulated seconds per wall second, 0.25 to 8")
      ->required();
  speed_command->callback([&, speed_session_id, speed] {
    selected = [&, speed_session_id, speed] {
      return RunSetSpeed(global, *speed_session_id, *speed);
    };
  });

  auto archived = std::make_shared<bool>(false);
  CLI::App* list = session.add_subcommand("list", "List the controller's sessions, newest first");
  list->add_flag("--archived", *archived,
                 "Also list archived sessions (pedisimctl recordings archive)");
  list->callback(
      [&, archived] { selected = [&, archived] { return RunList(global, *archived); }; });
}

void AddSessionCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected) {
  CLI::App* session = app.add_subcommand("session", "Run and control sessions");
  session->require_subcommand(1);
  AddSessionLifecycleCommands(*session, global, selected);
  AddSessionControlCommands(*session, global, selected);
  AddSessionWatchCommand(*session, global, selected);
  AddSessionAssessmentCommands(*session, global, selected);
}

}  // namespace pedisim::cli
