// A desktop window: SDL's video subsystem, ImGui's SDL2 platform backend
// (from libimgui.a) for input, and an accelerated renderer when there is
// one (the software renderer otherwise).
#pragma once

#include "render/platform.h"

namespace pedisim::dashboard {

class WindowPlatform : public Platform {
 public:
  WindowPlatform(const char* title, int width, int height);
  ~WindowPlatform() override;

  bool NewFrame() override;
  void Present() override;
  SDL_Renderer* renderer() const override { return renderer_; }
  bool headless() const override { return false; }
  // Fills the display it is on (a monitor on a TV or touch screen).
  void SetFullscreen();

 private:
  SDL_Window* window_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
  Uint64 last_present_ms_ = 0;
};

}  // namespace pedisim::dashboard
