// Where the dashboard draws: a desktop window, or an off-screen surface for
// tests, screenshots and the benchmark. Shaped like Dear ImGui's platform
// backends; both kinds give an SDL_Renderer to the one ImGuiSdlRenderer.
#pragma once

#include <SDL.h>

#include <filesystem>

namespace pedisim::dashboard {

class Platform {
 public:
  virtual ~Platform() = default;
  // Feeds input, display size and frame time to ImGui. False once the user
  // asked to quit.
  virtual bool NewFrame() = 0;
  // Shows what was rendered (a no-op off screen).
  virtual void Present() = 0;
  virtual SDL_Renderer* renderer() const = 0;
  virtual bool headless() const = 0;
};

// Saves what the renderer holds now as an RGB PNG; false with SDL's or the
// encoder's complaint in `error`.
bool WriteRendererPng(SDL_Renderer* renderer, const std::filesystem::path& file,
                      std::string& error);

}  // namespace pedisim::dashboard
