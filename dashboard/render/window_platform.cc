#include "render/window_platform.h"

#include <backends/imgui_impl_sdl.h>
#include <imgui.h>

#include <stdexcept>
#include <string>

namespace pedisim::dashboard {

WindowPlatform::WindowPlatform(const char* title, int width, int height) {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) {
    throw std::runtime_error(std::string("cannot start SDL video: ") + SDL_GetError());
  }
  window_ = SDL_CreateWindow(title, SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, width, height,
                             SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
  if (!window_) {
    const std::string why = SDL_GetError();
    SDL_Quit();
    throw std::runtime_error("cannot open a window: " + why);
  }
  renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
  if (!renderer_) renderer_ = SDL_CreateRenderer(window_, -1, SDL_RENDERER_SOFTWARE);
  if (!renderer_) {
    const std::string why = SDL_GetError();
    SDL_DestroyWindow(window_);
    SDL_Quit();
    throw std::runtime_error("cannot create a renderer: " + why);
  }
  ImGui_ImplSDL2_InitForSDLRenderer(window_);
}

WindowPlatform::~WindowPlatform() {
  ImGui_ImplSDL2_Shutdown();
  SDL_DestroyRenderer(renderer_);
  SDL_DestroyWindow(window_);
  SDL_Quit();
}

bool WindowPlatform::NewFrame() {
  bool keep_running = true;
  SDL_Event event;
  while (SDL_PollEvent(&event)) {
    ImGui_ImplSDL2_ProcessEvent(&event);
    if (event.type == SDL_QUIT) keep_running = false;
    if (event.type == SDL_WINDOWEVENT && event.window.event == SDL_WINDOWEVENT_CLOSE &&
        event.window.windowID == SDL_GetWindowID(window_)) {
      keep_running = false;
    }
  }
  ImGui_ImplSDL2_NewFrame();
  return keep_running;
}

void WindowPlatform::SetFullscreen() {
  SDL_SetWindowFullscreen(window_, SDL_WINDOW_FULLSCREEN_DESKTOP);
}

void WindowPlatform::Present() {
  SDL_RenderPresent(renderer_);
  // Without vsync (a software window renderer) nothing paces the loop:
  // keep to about 60 frames a second rather than spin a core.
  SDL_RendererInfo info;
  if (SDL_GetRendererInfo(renderer_, &info) == 0 && !(info.flags & SDL_RENDERER_PRESENTVSYNC)) {
    constexpr Uint64 kFrameMs = 16;
    const Uint64 now = SDL_GetTicks64();
    if (now < last_present_ms_ + kFrameMs)
      SDL_Delay(static_cast<Uint32>(last_present_ms_ + kFrameMs - now));
    last_present_ms_ = SDL_GetTicks64();
  }
}

}  // namespace pedisim::dashboard
