#include "render/headless_platform.h"

#include <imgui.h>

#include <stdexcept>
#include <string>

namespace pedisim::dashboard {

HeadlessPlatform::HeadlessPlatform(int width, int height) : width_(width), height_(height) {
  surface_ = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
  if (!surface_) throw std::runtime_error(std::string("cannot create surface: ") + SDL_GetError());
  renderer_ = SDL_CreateSoftwareRenderer(surface_);
  if (!renderer_) {
    SDL_FreeSurface(surface_);
    throw std::runtime_error(std::string("cannot create software renderer: ") + SDL_GetError());
  }
  ImGui::GetIO().BackendPlatformName = "pedisim_headless";
}

HeadlessPlatform::~HeadlessPlatform() {
  SDL_DestroyRenderer(renderer_);
  SDL_FreeSurface(surface_);
}

bool HeadlessPlatform::NewFrame() {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(width_), static_cast<float>(height_));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  io.DeltaTime = 1.0f / 60.0f;
  return true;
}

}  // namespace pedisim::dashboard
