// Runs the dashboard frame by frame on a platform: until the window closes,
// or, headless, until the screen has content and then `frames` more, when
// it saves a screenshot.
#pragma once

#include <string>

#include "app/dashboard_app.h"
#include "render/imgui_sdl_renderer.h"
#include "render/platform.h"

namespace pedisim::dashboard {

struct LoopOptions {
  // Empty = no screenshot.
  std::string screenshot;
  // Frames to render once the content is there (0 = until closed).
  int frames = 0;
  // How long a headless run waits for content before it saves what it has.
  double content_timeout_s = 60;
};

// Renders one frame: input, the app's windows, drawing, presenting.
bool RenderFrame(Platform& platform, ImGuiSdlRenderer& renderer, DashboardApp& app);

// Returns the process exit code.
int RunFrames(Platform& platform, ImGuiSdlRenderer& renderer, DashboardApp& app,
              const LoopOptions& options);

}  // namespace pedisim::dashboard
