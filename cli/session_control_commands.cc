// goto, set, act, release, mark: the instructor's commands. Each is recorded by the
// controller as an event, which is what they print.
#include <algorithm>
#include <array>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "client/console/formatting.h"
#include "client/console/output.h"
#include "controller_client.h"
#include "core/text/enum_names.h"
#include "session_commands.h"
#include "validators.h"

namespace pedisim::cli {
namespace {

// Tells the controller who sent a logged action.
constexpr char kSource[] = "pedisimctl";

void PrintEvent(const v1::Event& event) { std::cout << console::FormatEvent(event) << '\n'; }

// A numeric vital as set by `session set`: flag, Vitals field, help.
struct VitalFlag {
  const char* short_name;
  const char* field;
  const char* help;
};

constexpr std::array<VitalFlag, 8> kVitalFlags = {{
    {"hr", "heart_rate_bpm", "Heart rate, beats/min"},
    {"spo2", "spo2_pct", "SpO2, %"},
    {"rr", "respiratory_rate_bpm", "Respiratory rate, breaths/min"},
    {"sys", "nibp_systolic_mmhg", "NIBP systolic, mmHg"},
    {"dia", "nibp_diastolic_mmhg", "NIBP diastolic, mmHg"},
    {"map", "nibp_mean_mmhg", "NIBP mean, mmHg"},
    {"etco2", "etco2_mmhg", "End-tidal CO2, mmHg"},
    {"temp", "temperature_c", "Temperature, °C"},
}};

constexpr char kRhythmField[] = "rhythm";

// Value lists in --help wrap at this width, after CLI11's 30-column indent.
constexpr size_t kHelpListWidth = 70;

struct SetOptions {
  std::string session_id;
  std::array<double, kVitalFlags.size()> values{};
  std::array<CLI::Option*, kVitalFlags.size()> given{};
  std::string rhythm;
  double over_s = 0;
  std::vector<std::string> release;
  std::string reason;
};

// Accepts a Vitals field name or its `set` flag name ("hr") and rewrites it
// to the field name the contract expects.
CLI::Validator VitalsFieldValidator() {
  return CLI::Validator(
      [](std::string& name) -> std::string {
        if (name == kRhythmField) return "";
        std::string valid;
        for (const VitalFlag& flag : kVitalFlags) {
          if (name == flag.short_name || name == flag.field) {
            name = flag.field;
            return "";
          }
          valid += std::string(flag.short_name) + ", ";
        }
        valid += kRhythmField;
        return "unknown vital '" + name + "'; valid: " + valid + " (or their Vitals field names)";
      },
      "");
}

int RunSet(const GlobalOptions& global, const SetOptions& options) {
  v1::OverrideVitalsRequest request;
  request.set_session_id(options.session_id);
  v1::Vitals* vitals = request.mutable_vitals();
  const auto* descriptor = vitals->GetDescriptor();
  const auto* reflection = vitals->GetReflection();
  for (size_t i = 0; i < kVitalFlags.size(); ++i) {
    if (options.given[i]->count() == 0) continue;
    reflection->SetDouble(vitals, descriptor->FindFieldByName(kVitalFlags[i].field),
                          options.values[i]);
  }
  if (!options.rhythm.empty()) {
    v1::Rhythm rhythm = v1::RHYTHM_UNSPECIFIED;
    v1::Rhythm_Parse(options.rhythm, &rhythm);  // validated while parsing
    vitals->set_rhythm(rhythm);
  }
  request.set_trend_duration_s(options.over_s);
  for (const auto& field : options.release) request.add_release(field);
  request.set_reason(options.reason);

  ControllerClient client(global);
  v1::Event event;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.sessions().OverrideVitals(&context, request, &event);
  });
  return client.Respond<v1::Event>(status, event, PrintEvent);
}

void AddSetCommand(CLI::App& session, const GlobalOptions& global, CommandRunner& selected) {
  auto options = std::make_shared<SetOptions>();
  CLI::App* set = session.add_subcommand(
      "set", "Hold vitals at values (instructor override), or hand them back to the script");
  set->add_option("ID", options->session_id, "Session id")->required();
  for (size_t i = 0; i < kVitalFlags.size(); ++i) {
    options->given[i] = set->add_option(std::string("--") + kVitalFlags[i].short_name,
                                        options->values[i], kVitalFlags[i].help)
                            ->type_name("X");
  }
  set->add_option("--rhythm", options->rhythm,
                  "Cardiac rhythm, short or full name:\n" +
                      text::ListShortEnumNames(v1::Rhythm_descriptor(), kHelpListWidth))
      ->type_name("NAME")
      ->transform(EnumNameValidator(v1::Rhythm_descriptor()));
  set->add_option("--over-s", options->over_s,
                  "Seconds to trend to the values, or back to the script (default: at once)")
      ->type_name("SECONDS")
      ->check(NonNegativeNumber());
  set->add_option("--release", options->release,
                  "Hand a vital back to the script (repeatable): hr, spo2, rr, sys, dia,\n"
                  "map, etco2, temp, rhythm")
      ->type_name("FIELD")
      ->allow_extra_args(false)
      ->transform(VitalsFieldValidator());
  set->add_option("--reason", options->reason, "Why, for the debrief")->type_name("TEXT");
  set->callback([&, options] {
    const bool sets_something =
        !options->rhythm.empty() || !options->release.empty() ||
        std::any_of(options->given.begin(), options->given.end(),
                    [](const CLI::Option* option) { return option->count() > 0; });
    if (!sets_something) {
      throw CLI::ValidationError("set", "give at least one vital to hold or a --release");
    }
    selected = [&, options] { return RunSet(global, *options); };
  });
}

struct ActOptions {
  std::string session_id;
  std::string kind;
  std::string drug;
  double dose_mg = 0;
  std::string route;
  double energy_j = 0;
  double volume_ml = 0;
  double oxygen_l_per_min = 0;
  std::string performer;
  std::string note;
  std::string diagnostic;
  std::string sensor;
  std::string confirmation;
  CLI::Option* dose_given = nullptr;
  CLI::Option* energy_given = nullptr;
  CLI::Option* volume_given = nullptr;
  CLI::Option* oxygen_given = nullptr;
};

int RunAct(const GlobalOptions& global, const ActOptions& options) {
  v1::LogActionRequest request;
  request.set_session_id(options.session_id);
  request.set_source(kSource);
  v1::LearnerAction* action = request.mutable_action();
  v1::ActionKind kind = v1::ACTION_KIND_UNSPECIFIED;
  v1::ActionKind_Parse(options.kind, &kind);  // validated while parsing
  action->set_kind(kind);
  action->set_performer(options.performer);
  action->set_drug(options.drug);
  if (options.dose_given->count() > 0) action->set_dose_mg(options.dose_mg);
  action->set_route(options.route);
  if (options.energy_given->count() > 0) action->set_energy_j(options.energy_j);
  if (options.volume_given->count() > 0) action->set_volume_ml(options.volume_ml);
  if (options.oxygen_given->count() > 0) {
    action->set_oxygen_flow_l_per_min(options.oxygen_l_per_min);
  }
  action->set_note(options.note);
  action->set_diagnostic(options.diagnostic);
  // Both validated while parsing; empty leaves them unset.
  v1::MonitorSensor sensor = v1::MONITOR_SENSOR_UNSPECIFIED;
  if (!options.sensor.empty()) v1::MonitorSensor_Parse(options.sensor, &sensor);
  action->set_sensor(sensor);
  v1::TubeConfirmation confirmation = v1::TUBE_CONFIRMATION_UNSPECIFIED;
  if (!options.confirmation.empty())
    v1::TubeConfirmation_Parse(options.confirmation, &confirmation);
  action->set_confirmation(confirmation);

  ControllerClient client(global);
  v1::Event event;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.sessions().LogAction(&context, request, &event);
  });
  return client.Respond<v1::Event>(status, event, PrintEvent);
}

void AddActCommand(CLI::App& session, const GlobalOptions& global, CommandRunner& selected) {
  auto options = std::make_shared<ActOptions>();
  CLI::App* act = session.add_subcommand(
      "act", "Log a learner action; it may fire a transition (RUNNING or PAUSED)");
  act->add_option("ID", options->session_id, "Session id")->required();
  act->add_option("KIND", options->kind,
                  "Action, case-insensitive, short (oxygen) or full (ACTION_KIND_OXYGEN):\n" +
                      text::ListShortEnumNames(v1::ActionKind_descriptor(), kHelpListWidth))
      ->required()
      ->transform(EnumNameValidator(v1::ActionKind_descriptor()));
  CLI::Option* drug =
      act->add_option("--drug", options->drug, "Drug name (KIND drug)")->type_name("NAME");
  options->dose_given =
      act->add_option("--dose-mg", options->dose_mg, "Drug dose, mg")->type_name("X")->needs(drug);
  act->add_option("--diagnostic", options->diagnostic,
                  "Test ordered (KIND diagnostic_ordered): blood_culture, blood_gas, lactate,\n"
                  "glucose, chest_xray, ecg_12_lead, or a test the scenario defines")
      ->type_name("TEST");
  act->add_option("--sensor", options->sensor,
                  "Monitor sensor (KIND sensor_attached, sensor_removed):\n" +
                      text::ListShortEnumNames(v1::MonitorSensor_descriptor(), kHelpListWidth))
      ->type_name("SENSOR")
      ->transform(EnumNameValidator(v1::MonitorSensor_descriptor()));
  act->add_option("--confirmation", options->confirmation,
                  "How the tube was confirmed (KIND intubation_confirmed):\n" +
                      text::ListShortEnumNames(v1::TubeConfirmation_descriptor(), kHelpListWidth))
      ->type_name("HOW")
      ->transform(EnumNameValidator(v1::TubeConfirmation_descriptor()));
  act->add_option("--route", options->route, "Drug route: IV, IO, IM, IN, ET, PR, NEB, INH")
      ->type_name("R")
      ->needs(drug);
  options->energy_given = act->add_option("--energy-j", options->energy_j,
                                          "Energy, J (defibrillation, synchronized_cardioversion)")
                              ->type_name("X");
  options->volume_given =
      act->add_option("--volume-ml", options->volume_ml, "Volume, ml (fluid_bolus)")
          ->type_name("X");
  options->oxygen_given =
      act->add_option("--o2-lpm", options->oxygen_l_per_min, "Oxygen flow, l/min (oxygen)")
          ->type_name("X");
  act->add_option("--performer", options->performer, "Who did it (name or role)")
      ->type_name("NAME");
  act->add_option("--note", options->note, "Free-text note");
  act->callback([&, options] { selected = [&, options] { return RunAct(global, *options); }; });
}

struct GoToOptions {
  std::string session_id;
  std::string state;
  std::string reason;
};

int RunGoTo(const GlobalOptions& global, const GoToOptions& options) {
  v1::GoToStateRequest request;
  request.set_session_id(options.session_id);
  request.set_state(options.state);
  request.set_reason(options.reason);
  ControllerClient client(global);
  v1::Event event;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.sessions().GoToState(&context, request, &event);
  });
  return client.Respond<v1::Event>(status, event, PrintEvent);
}

struct ReleaseOptions {
  std::string session_id;
  std::string diagnostic;
};

int RunRelease(const GlobalOptions& global, const ReleaseOptions& options) {
  v1::ReleaseDiagnosticResultRequest request;
  request.set_session_id(options.session_id);
  request.set_diagnostic(options.diagnostic);
  ControllerClient client(global);
  v1::Event event;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.sessions().ReleaseDiagnosticResult(&context, request, &event);
  });
  return client.Respond<v1::Event>(status, event, PrintEvent);
}

struct MarkOptions {
  std::string session_id;
  std::string label;
  std::string note;
  std::string category;
};

int RunMark(const GlobalOptions& global, const MarkOptions& options) {
  v1::AddBookmarkRequest request;
  request.set_session_id(options.session_id);
  request.set_label(options.label);
  request.set_note(options.note);
  request.set_category(options.category);
  ControllerClient client(global);
  v1::Event event;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.sessions().AddBookmark(&context, request, &event);
  });
  return client.Respond<v1::Event>(status, event, PrintEvent);
}

struct DisplayOptions {
  std::string session_id;
  std::string screen = "live";
  std::vector<std::string> hide;
  std::vector<std::string> limits;
  int volume_pct = -1;
  int wave_rows = 0;  // 0: each monitor's own
};

int RunDisplay(const GlobalOptions& global, const DisplayOptions& options) {
  v1::SetRoomDisplayRequest request;
  request.set_session_id(options.session_id);
  v1::RoomDisplay& display = *request.mutable_display();
  display.set_screen(options.screen == "blank"    ? v1::ROOM_SCREEN_BLANK
                     : options.screen == "frozen" ? v1::ROOM_SCREEN_FROZEN
                                                  : v1::ROOM_SCREEN_LIVE);
  for (const std::string& vital : options.hide) display.add_hidden_vitals(vital);
  for (const std::string& limit : options.limits) {
    // VITAL:LOW:HIGH
    const size_t first = limit.find(':');
    const size_t second = first == std::string::npos ? first : limit.find(':', first + 1);
    if (second == std::string::npos) {
      std::cerr << "pedisimctl: --limit: expected VITAL:LOW:HIGH, e.g. heart_rate_bpm:60:180\n";
      return console::kExitUsage;
    }
    v1::VitalRange& range = *display.add_alarm_limits();
    range.set_vital(limit.substr(0, first));
    try {
      range.set_low(std::stod(limit.substr(first + 1, second - first - 1)));
      range.set_high(std::stod(limit.substr(second + 1)));
    } catch (const std::exception&) {
      std::cerr << "pedisimctl: --limit: LOW and HIGH must be numbers in '" << limit << "'\n";
      return console::kExitUsage;
    }
  }
  if (options.volume_pct >= 0) display.set_volume_pct(static_cast<uint32_t>(options.volume_pct));
  if (options.wave_rows > 0) display.set_wave_rows(static_cast<uint32_t>(options.wave_rows));
  ControllerClient client(global);
  v1::Session session;
  const grpc::Status status = client.CallUnary([&](grpc::ClientContext& context) {
    return client.sessions().SetRoomDisplay(&context, request, &session);
  });
  return client.Respond<v1::Session>(status, session, [](const v1::Session& answer) {
    std::cout << "room monitors set for session " << answer.id() << '\n';
  });
}

}  // namespace

void AddSessionControlCommands(CLI::App& session, const GlobalOptions& global,
                               CommandRunner& selected) {
  auto display = std::make_shared<DisplayOptions>();
  CLI::App* display_command = session.add_subcommand(
      "display",
      "Set what the room's monitors show: live, blank or frozen, parameters hidden, alarm "
      "limits, volume (replaces the whole setting)");
  display_command->add_option("ID", display->session_id, "Session id")->required();
  display_command->add_option("--screen", display->screen, "live, blank or frozen")
      ->check(CLI::IsMember({"live", "blank", "frozen"}))
      ->capture_default_str();
  display_command->add_option("--hide", display->hide,
                              "Vitals field to leave out (repeatable): etco2_mmhg, ...");
  display_command->add_option("--limit", display->limits,
                              "VITAL:LOW:HIGH alarm limits for this session (repeatable)");
  display_command
      ->add_option("--volume", display->volume_pct,
                   "Alarm and pulse-tone volume, 0-100 % (default: each monitor's)")
      ->check(CLI::Range(0, 100));
  display_command
      ->add_option("--rows", display->wave_rows,
                   "Waveform rows, 2-6 (5 and 6 cascade ECG II; default: each monitor's)")
      ->check(CLI::Range(2, 6));
  display_command->callback(
      [&, display] { selected = [&, display] { return RunDisplay(global, *display); }; });

  auto go_to = std::make_shared<GoToOptions>();
  CLI::App* go_to_command =
      session.add_subcommand("goto", "Force a transition to a state (RUNNING or PAUSED)");
  go_to_command->add_option("ID", go_to->session_id, "Session id")->required();
  go_to_command->add_option("STATE", go_to->state, "Target state name")->required();
  go_to_command->add_option("--reason", go_to->reason, "Why, for the debrief")->type_name("TEXT");
  go_to_command->callback(
      [&, go_to] { selected = [&, go_to] { return RunGoTo(global, *go_to); }; });

  auto release = std::make_shared<ReleaseOptions>();
  CLI::App* release_command = session.add_subcommand(
      "release-result", "Release an ordered test's result to the learners (RUNNING or PAUSED)");
  release_command->add_option("ID", release->session_id, "Session id")->required();
  release_command->add_option("TEST", release->diagnostic, "The test, as ordered: blood_gas, ...")
      ->required();
  release_command->callback(
      [&, release] { selected = [&, release] { return RunRelease(global, *release); }; });

  AddSetCommand(session, global, selected);
  AddActCommand(session, global, selected);

  auto mark = std::make_shared<MarkOptions>();
  CLI::App* mark_command =
      session.add_subcommand("mark", "Bookmark the current moment for the debrief");
  mark_command->add_option("ID", mark->session_id, "Session id")->required();
  mark_command->add_option("LABEL", mark->label, "Short label")->required();
  mark_command->add_option("--note", mark->note, "Longer note");
  mark_command->add_option("--category", mark->category,
                           "For the debrief: communication, leadership, cpr, medication...");
  mark_command->callback([&, mark] { selected = [&, mark] { return RunMark(global, *mark); }; });
}

}  // namespace pedisim::cli
