// pedisim-dashboard: the instructor's station, a gRPC client of
// pedisim-controller. See docs/dashboard.md.
#include <imgui.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>

#include "app/dashboard_app.h"
#include "app/frame_loop.h"
#include "client/connection_flags.h"
#include "client/controller_channel.h"
#include "client/network_address.h"
#include "core/version.h"
#include "render/headless_platform.h"
#include "render/imgui_sdl_renderer.h"
#include "render/window_platform.h"
#include "views/theme.h"

namespace {

using namespace pedisim::dashboard;

struct Options {
  std::string controller;
  pedisim::client::ConnectionFlags connection;
  std::string session_id;
  std::string view = "live";
  bool headless = false;
  std::string screenshot;
  int frames = 0;
  std::string size = "1600x900";
  float scale = 1.0f;
  double content_timeout_s = 60;
  std::optional<double> debrief_at_s;
};

bool ParseSize(const std::string& text, int& width, int& height) {
  return std::sscanf(text.c_str(), "%dx%d", &width, &height) == 2 && width >= 320 && height >= 240;
}

int Run(const Options& options) {
  const pedisim::client::ResolvedConnection resolved =
      pedisim::client::ResolveConnection(options.connection, options.controller);
  if (resolved.error != pedisim::client::ConnectionFlagError::kNone) {
    std::cerr << "pedisim-dashboard: " << resolved.message << "\n";
    return 2;
  }
  const pedisim::client::ConnectionOptions& connection = resolved.options;
  int width = 0;
  int height = 0;
  if (!ParseSize(options.size, width, height)) {
    std::cerr << "pedisim-dashboard: --size: expected WIDTHxHEIGHT (at least 320x240), got '"
              << options.size << "'\n";
    return 2;
  }
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  // Every panel has a fixed place: nothing for an imgui.ini to remember,
  // and a screenshot must not depend on what an earlier run saved.
  ImGui::GetIO().IniFilename = nullptr;
  int exit_code = 0;
  try {
    const Fonts fonts = LoadFontsAndStyle(options.scale);
    std::unique_ptr<Platform> platform;
    if (options.headless) {
      platform = std::make_unique<HeadlessPlatform>(width, height);
    } else {
      platform = std::make_unique<WindowPlatform>("PediSim dashboard", width, height);
    }
    {
      ImGuiSdlRenderer renderer(platform->renderer());
      AppOptions app_options{options.controller, connection, options.session_id,
                             options.session_id.empty()  ? Screen::kConnect
                             : options.view == "debrief" ? Screen::kDebrief
                                                         : Screen::kLive,
                             options.debrief_at_s};
      DashboardApp app(app_options, fonts);
      exit_code = RunFrames(*platform, renderer, app,
                            {options.screenshot, options.frames, options.content_timeout_s});
    }
    platform.reset();
  } catch (const std::exception& error) {
    std::cerr << "pedisim-dashboard: " << error.what() << "\n";
    exit_code = 1;
  }
  ImGui::DestroyContext();
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  const char* env_controller = std::getenv("PEDISIM_CONTROLLER");
  options.controller = env_controller && *env_controller ? env_controller : "127.0.0.1:50051";
  CLI::App cli{"PediSim instructor dashboard: run a session, watch the patient, score the team"};
  cli.set_version_flag("--version", pedisim::VersionText("pedisim-dashboard"));
  cli.add_option("--controller", options.controller,
                 "Controller address (default: $PEDISIM_CONTROLLER or 127.0.0.1:50051)");
  pedisim::client::AddConnectionFlags(cli, options.connection);
  cli.add_option("--session", options.session_id, "Open this session at once");
  cli.add_option("--view", options.view,
                 "What --session opens: live (the running session) or debrief (its recording)")
      ->check(CLI::IsMember({"live", "debrief"}));
  cli.add_option("--at", options.debrief_at_s, "Debrief: start playing at this simulated second");
  cli.add_flag("--headless", options.headless, "Render off screen with SDL's software renderer");
  cli.add_option("--screenshot", options.screenshot, "Save the last frame as this PNG file");
  cli.add_option("--frames", options.frames,
                 "Frames to render once the content is in, then exit (0 = until closed)")
      ->check(CLI::NonNegativeNumber);
  cli.add_option("--size", options.size, "Window or surface size, WIDTHxHEIGHT (default 1600x900)");
  cli.add_option("--scale", options.scale, "Interface scale for large displays (default 1)")
      ->check(CLI::Range(0.5, 4.0));
  cli.add_option("--content-timeout", options.content_timeout_s,
                 "Headless: seconds to wait for the session's data before saving anyway");
  CLI11_PARSE(cli, argc, argv);
  if (options.headless && options.frames == 0) options.frames = 3;
  return Run(options);
}
