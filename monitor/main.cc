// pedisim-monitor: the room's bedside monitor, a network device like any
// third-party one. It joins a session over the device protocol (gRPC or
// TCP, TLS, token or device certificate, by pairing code or session id),
// runs full screen, and reconnects by itself. See docs/monitor.md.

#include <SDL.h>
#include <imgui.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "client/connection_flags.h"
#include "client/controller_channel.h"
#include "client/network_address.h"
#include "core/version.h"
#include "monitor/app/monitor_app.h"
#include "monitor/audio/audio_output.h"
#include "monitor/defib/defib_app.h"
#include "monitor/link/monitor_link.h"
#include "render/headless_platform.h"
#include "render/imgui_sdl_renderer.h"
#include "render/platform.h"
#include "render/window_platform.h"

namespace {

namespace v1 = pedisim::v1;
using pedisim::devices::DeviceClient;
using pedisim::monitor::LinkState;

struct Options {
  std::string session_id;
  std::string pairing_code;
  std::string controller = "127.0.0.1:50051";
  pedisim::client::ConnectionFlags connection;
  std::string tcp;
  std::string name;
  std::string role = "monitor";
  std::string serial;
  bool headless = false;
  bool windowed = false;
  std::string size;
  std::string screenshot;
  int frames = 0;
  double content_timeout_s = 60;
  bool layout_report = false;
  std::string status_file;
  bool no_audio = false;
  int wave_rows = pedisim::monitor::kDefaultWaveRows;
  std::vector<std::string> presses;
};

struct ScheduledPress {
  std::string key;
  double after_live_s;
};

v1::DeviceHello MakeHello(const Options& options) {
  v1::DeviceHello hello;
  hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
  const bool defibrillator = options.role == "defibrillator";
  hello.set_name(options.name.empty() ? options.role : options.name);
  v1::DeviceIdentity& identity = *hello.mutable_identity();
  identity.set_manufacturer("PediSim");
  identity.set_model(defibrillator ? "pedisim-monitor defibrillator" : "pedisim-monitor");
  identity.set_firmware_version("1");
  std::string serial = options.serial;
  if (serial.empty()) {
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    serial = std::string(host) + "-" + std::to_string(getpid());
  }
  identity.set_serial(serial);
  v1::DeviceCapabilities& capabilities = *hello.mutable_capabilities();
  if (defibrillator) {
    capabilities.add_renders_vitals("heart_rate_bpm");
    for (v1::ActionKind kind :
         {v1::ACTION_KIND_DEFIBRILLATION, v1::ACTION_KIND_SYNCHRONIZED_CARDIOVERSION,
          v1::ACTION_KIND_DEFIBRILLATOR_PADS_ON, v1::ACTION_KIND_DEFIBRILLATOR_CHARGED}) {
      capabilities.add_senses_actions(v1::ActionKind_Name(kind));
    }
    capabilities.add_senses_measures("defibrillation_energy_j");
    capabilities.add_renders_waveforms(v1::WAVEFORM_KIND_ECG_II);
    hello.add_waveforms(v1::WAVEFORM_KIND_ECG_II);
    // The CPR feedback bar reads the manikin's compression samples.
    hello.set_cpr_samples(true);
  } else {
    for (const char* vital :
         {"heart_rate_bpm", "spo2_pct", "respiratory_rate_bpm", "nibp_systolic_mmhg",
          "nibp_diastolic_mmhg", "nibp_mean_mmhg", "etco2_mmhg", "temperature_c"}) {
      capabilities.add_renders_vitals(vital);
    }
    for (v1::ActionKind kind :
         {v1::ACTION_KIND_SENSOR_ATTACHED, v1::ACTION_KIND_SENSOR_REMOVED,
          v1::ACTION_KIND_NIBP_MEASUREMENT, v1::ACTION_KIND_NIBP_CANCELLED,
          v1::ACTION_KIND_ALARM_ACKNOWLEDGED, v1::ACTION_KIND_ALARM_AUDIO_PAUSED}) {
      capabilities.add_senses_actions(v1::ActionKind_Name(kind));
    }
    for (v1::WaveformKind kind : {v1::WAVEFORM_KIND_ECG_II, v1::WAVEFORM_KIND_PLETH,
                                  v1::WAVEFORM_KIND_CAPNOGRAM, v1::WAVEFORM_KIND_RESPIRATION}) {
      capabilities.add_renders_waveforms(kind);
      hello.add_waveforms(kind);
    }
  }
  if (!options.pairing_code.empty()) {
    hello.set_pairing_code(options.pairing_code);
  } else {
    hello.set_session_id(options.session_id);
  }
  return hello;
}

const char* LinkName(LinkState state) {
  switch (state) {
    case LinkState::kConnecting:
      return "connecting";
    case LinkState::kLive:
      return "live";
    case LinkState::kNoData:
      return "no-data";
  }
  return "?";
}

int Run(const Options& options, int width, int height, std::vector<ScheduledPress> presses) {
  DeviceClient::Options connect;
  connect.transport =
      options.tcp.empty() ? DeviceClient::Transport::kGrpc : DeviceClient::Transport::kTcp;
  connect.address = options.tcp.empty() ? options.controller : options.tcp;
  const pedisim::client::ResolvedConnection resolved =
      pedisim::client::ResolveConnection(options.connection, connect.address);
  switch (resolved.error) {
    case pedisim::client::ConnectionFlagError::kUnreadableToken:
      std::cerr << "pedisim-monitor: " << resolved.message << "\n";
      return 66;  // EX_NOINPUT, as pedisimctl and pedisim-device
    case pedisim::client::ConnectionFlagError::kPlaintextRefused:
      std::cerr << "pedisim-monitor: " << resolved.message << "\n";
      return 64;  // EX_USAGE
    case pedisim::client::ConnectionFlagError::kNone:
      break;
  }
  connect.UseConnection(resolved.options);
  connect.hello = MakeHello(options);
  // A short connect timeout: a monitor that cannot reach the controller
  // says so and tries again rather than wait.
  connect.connect_timeout = std::chrono::seconds(3);

  pedisim::monitor::MonitorModel model;
  pedisim::monitor::MonitorLink link(connect, model);

  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  std::unique_ptr<pedisim::dashboard::Platform> platform;
  try {
    if (options.headless) {
      platform = std::make_unique<pedisim::dashboard::HeadlessPlatform>(width, height);
    } else {
      auto window =
          std::make_unique<pedisim::dashboard::WindowPlatform>("PediSim monitor", width, height);
      if (!options.windowed) window->SetFullscreen();
      platform = std::move(window);
    }
  } catch (const std::exception& error) {
    std::cerr << "pedisim-monitor: " << error.what() << "\n";
    ImGui::DestroyContext();
    return 69;
  }
  int exit_code = 0;
  {
    std::ofstream status_out;
    if (!options.status_file.empty()) status_out.open(options.status_file, std::ios::app);
    const auto started = std::chrono::steady_clock::now();
    pedisim::monitor::ToneSynth synth(pedisim::monitor::AudioOutput::kSampleRateHz);
    std::unique_ptr<pedisim::monitor::AudioOutput> audio;
    if (!options.no_audio) {
      audio = std::make_unique<pedisim::monitor::AudioOutput>(synth);
      if (!audio->ok()) {
        std::cerr << "pedisim-monitor: no sound: " << audio->error() << "\n";
        audio.reset();
      } else if (status_out.is_open()) {
        // Where the sound's timeline starts on the monitor's clock, so that
        // a recording of it (SDL's disk driver) lines up with the presses.
        status_out
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
            << " audio " << audio->driver() << std::endl;
      }
    }
    const auto report = [&link](const v1::LearnerAction& action) { link.Report(action); };
    std::unique_ptr<pedisim::monitor::RoomScreen> screen;
    // The AED's spoken prompts go out with the device's other sounds.
    std::unique_ptr<pedisim::monitor::PromptSpeaker> speaker;
    if (options.role == "defibrillator") {
      if (audio) {
        speaker = std::make_unique<pedisim::monitor::PromptSpeaker>(
            synth, pedisim::monitor::AudioOutput::kSampleRateHz);
      }
      screen = std::make_unique<pedisim::monitor::DefibApp>(model, report, speaker.get(),
                                                            audio ? &synth : nullptr);
    } else {
      auto monitor =
          std::make_unique<pedisim::monitor::MonitorApp>(model, report, audio ? &synth : nullptr);
      monitor->SetWaveRows(options.wave_rows);
      screen = std::move(monitor);
    }
    pedisim::monitor::RoomScreen& app = *screen;
    // A window's size is known only once it is open.
    int output_w = width;
    int output_h = height;
    SDL_GetRendererOutputSize(platform->renderer(), &output_w, &output_h);
    app.LoadFonts(ImVec2(static_cast<float>(output_w), static_cast<float>(output_h)));
    pedisim::dashboard::ImGuiSdlRenderer renderer(platform->renderer());

    std::optional<LinkState> last_link;
    std::optional<double> live_since_s;
    bool content = !platform->headless();
    int frames_left = options.frames;
    int worst_overflow = 0;
    int worst_overlap = 0;
    auto next_frame = std::chrono::steady_clock::now();
    while (true) {
      const bool keep_running = platform->NewFrame();
      renderer.NewFrame();
      ImGui::NewFrame();
      const double now_s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      app.Frame(now_s);
      ImGui::Render();
      renderer.Render(ImGui::GetDrawData());
      platform->Present();
      if (!keep_running) break;
      if (!live_since_s && app.view().link == LinkState::kLive) live_since_s = now_s;
      if (live_since_s) {
        // Scripted touches (--press), in order, once their time has come.
        while (!presses.empty() && now_s - *live_since_s >= presses.front().after_live_s) {
          const bool done = app.Press(presses.front().key);
          if (status_out.is_open()) {
            status_out << now_s << " pressed " << presses.front().key
                       << (done ? "" : " (no effect)") << std::endl;
          }
          presses.erase(presses.begin());
        }
      }
      if (app.view().link != last_link) {
        last_link = app.view().link;
        if (status_out.is_open()) {
          status_out << now_s << " " << LinkName(*last_link) << std::endl;
        }
      }
      if (content) {
        worst_overflow = std::max(worst_overflow, app.audit().overflowing);
        worst_overlap = std::max(worst_overlap, app.audit().overlapping);
      }
      if (!content) {
        content = app.ReadyForScreenshot() || now_s > options.content_timeout_s;
        if (content && !app.ReadyForScreenshot()) {
          std::cerr << "pedisim-monitor: no content after " << options.content_timeout_s
                    << " s; saving what there is\n";
        }
      } else if (options.frames > 0 && --frames_left <= 0) {
        break;
      }
      if (platform->headless()) {
        // Headless frames at the monitor's own pace (60 a second), not as
        // fast as the CPU allows: the traces sweep in real time anyway.
        next_frame += std::chrono::microseconds(16667);
        std::this_thread::sleep_until(next_frame);
      }
    }
    if (options.layout_report) {
      std::cout << "layout: " << app.audit().placed << " texts, " << app.audit().shrunk
                << " shrunk to fit, " << worst_overflow << " overflowing, " << worst_overlap
                << " overlapping\n";
      for (const std::string& problem : app.audit().problems) std::cout << "  " << problem << "\n";
    }
    if (!options.screenshot.empty()) {
      std::string error;
      if (!pedisim::dashboard::WriteRendererPng(platform->renderer(), options.screenshot, error)) {
        std::cerr << "pedisim-monitor: " << error << "\n";
        exit_code = 1;
      } else {
        std::cout << "pedisim-monitor: wrote " << options.screenshot << "\n";
      }
    }
  }
  platform.reset();
  ImGui::DestroyContext();
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{
      "pedisim-monitor: the simulation room's patient monitor. Joins a PediSim session as a "
      "network device (gRPC, or TCP with --tcp) and shows waveforms and numerics full screen; "
      "learners attach its sensors and measure NIBP on its touch keys."};
  app.set_version_flag("--version", pedisim::VersionText("pedisim-monitor"));
  auto* join = app.add_option_group("join", "Which session to join");
  join->add_option("--session", options.session_id, "Session id");
  join->add_option("--pairing-code", options.pairing_code,
                   "The code the instructor reads out (pedisimctl session show)");
  join->require_option(1);
  app.add_option("--controller", options.controller,
                 "Controller's gRPC address (else $PEDISIM_CONTROLLER)")
      ->envname("PEDISIM_CONTROLLER")
      ->capture_default_str();
  pedisim::client::AddConnectionFlags(app, options.connection,
                                      pedisim::client::WithClientCertificate::kYes);
  app.add_option("--tcp", options.tcp,
                 "Use the plain TCP transport at this host:port instead of gRPC");
  app.add_option("--role", options.role,
                 "What it is in the room: the patient monitor, or the defibrillator (manual, "
                 "synchronised and AED modes, CPR feedback)")
      ->check(CLI::IsMember({"monitor", "defibrillator"}))
      ->capture_default_str();
  app.add_option("--name", options.name, "Name in the session, unique there (default: the role)");
  app.add_option("--serial", options.serial,
                 "Serial number (default: from the host name and process id)");
  app.add_flag("--headless", options.headless,
               "Draw off screen (no display needed): for --screenshot and tests");
  app.add_flag("--windowed", options.windowed, "A window instead of full screen");
  app.add_option("--size", options.size,
                 "WxH: the headless surface, or the window's size (default 1280x720)");
  app.add_option("--screenshot", options.screenshot,
                 "Save a PNG of the screen on exit (headless: once the traces are full)");
  app.add_option("--frames", options.frames,
                 "Frames to draw once there is content, then exit (0 = until closed)");
  app.add_option("--content-timeout-s", options.content_timeout_s,
                 "Headless: how long to wait for content before drawing what there is")
      ->capture_default_str();
  app.add_flag("--layout-report", options.layout_report,
               "Print how many texts were placed, shrunk, overflowing or overlapping");
  app.add_option("--status-file", options.status_file,
                 "Append each change of the link's state (seconds since start, state)");
  app.add_flag("--no-audio", options.no_audio, "No sound (alarms and pulse tone)");
  app.add_option("--rows", options.wave_rows,
                 "Waveform rows, 2-6: ECG II, pleth, capnogram, respiration; 5 and 6 cascade "
                 "ECG II over two and three rows (the instructor's room display overrides it)")
      ->check(CLI::Range(pedisim::monitor::kMinWaveRows, pedisim::monitor::kMaxWaveRows))
      ->capture_default_str();
  app.add_option("--press", options.presses,
                 "KEY@SECONDS: press a key this many seconds after the data first arrived; "
                 "repeatable. Monitor: ecg, spo2, co2, temp, cuff, nibp, auto, ack, pause, volume. "
                 "Defibrillator: pads-infant, pads-child, mode, energy-down, energy-up, charge, "
                 "shock, analyze, metronome. For demos and tests");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? 0 : 64;
  }
  int width = 1280;
  int height = 720;
  if (!options.size.empty() && std::sscanf(options.size.c_str(), "%dx%d", &width, &height) != 2) {
    std::cerr << "pedisim-monitor: --size: expected WxH, e.g. 1920x1080\n";
    return 64;
  }
  if (width < 320 || height < 240 || width > 7680 || height > 4320) {
    std::cerr << "pedisim-monitor: --size: from 320x240 to 7680x4320\n";
    return 64;
  }
  std::vector<ScheduledPress> presses;
  for (const std::string& press : options.presses) {
    const size_t at = press.find('@');
    char* end = nullptr;
    const double seconds = at == std::string::npos ? -1 : std::strtod(press.c_str() + at + 1, &end);
    if (at == std::string::npos || end == nullptr || *end != '\0' || seconds < 0) {
      std::cerr << "pedisim-monitor: --press: expected KEY@SECONDS, e.g. ack@12\n";
      return 64;
    }
    presses.push_back({press.substr(0, at), seconds});
  }
  std::stable_sort(presses.begin(), presses.end(),
                   [](const ScheduledPress& a, const ScheduledPress& b) {
                     return a.after_live_s < b.after_live_s;
                   });
  return Run(options, width, height, std::move(presses));
}
