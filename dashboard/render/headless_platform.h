// A dashboard with no display: SDL's software renderer drawing into a
// surface in memory. Needs no video driver, so it runs on CI machines and
// under the sanitizers; every frame lasts 1/60 s of dashboard time.
#pragma once

#include "render/platform.h"

namespace pedisim::dashboard {

class HeadlessPlatform : public Platform {
 public:
  HeadlessPlatform(int width, int height);
  ~HeadlessPlatform() override;

  bool NewFrame() override;
  void Present() override {}
  SDL_Renderer* renderer() const override { return renderer_; }
  bool headless() const override { return true; }

 private:
  int width_;
  int height_;
  SDL_Surface* surface_ = nullptr;
  SDL_Renderer* renderer_ = nullptr;
};

}  // namespace pedisim::dashboard
