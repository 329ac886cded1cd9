#include "app/frame_loop.h"

#include <imgui.h>

#include <chrono>
#include <iostream>
#include <thread>

namespace pedisim::dashboard {

bool RenderFrame(Platform& platform, ImGuiSdlRenderer& renderer, DashboardApp& app) {
  const bool keep_running = platform.NewFrame();
  renderer.NewFrame();
  ImGui::NewFrame();
  app.Frame(ImGui::GetTime());
  ImGui::Render();
  renderer.Render(ImGui::GetDrawData());
  platform.Present();
  return keep_running;
}

int RunFrames(Platform& platform, ImGuiSdlRenderer& renderer, DashboardApp& app,
              const LoopOptions& options) {
  const auto give_up = std::chrono::steady_clock::now() +
                       std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                           std::chrono::duration<double>(options.content_timeout_s));
  bool content = !platform.headless();
  int frames_left = options.frames;
  while (true) {
    if (!RenderFrame(platform, renderer, app)) break;
    if (!content) {
      content = app.ReadyForScreenshot();
      if (!content && std::chrono::steady_clock::now() > give_up) {
        std::cerr << "pedisim-dashboard: no content after " << options.content_timeout_s
                  << " s; saving what there is\n";
        content = true;
      }
      // Waiting on the controller: no need to spin.
      if (!content) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    if (options.frames > 0 && --frames_left <= 0) break;
  }
  if (!options.screenshot.empty()) {
    std::string error;
    if (!WriteRendererPng(platform.renderer(), options.screenshot, error)) {
      std::cerr << "pedisim-dashboard: " << error << "\n";
      return 1;
    }
    std::cout << "pedisim-dashboard: wrote " << options.screenshot << "\n";
  }
  return 0;
}

}  // namespace pedisim::dashboard
