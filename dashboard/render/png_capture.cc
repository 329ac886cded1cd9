// stb_image_write's implementation is compiled into Debian's libstb.
#include <stb_image_write.h>

#include <string>
#include <vector>

#include "render/platform.h"

namespace pedisim::dashboard {

bool WriteRendererPng(SDL_Renderer* renderer, const std::filesystem::path& file,
                      std::string& error) {
  int width = 0;
  int height = 0;
  if (SDL_GetRendererOutputSize(renderer, &width, &height) != 0) {
    error = SDL_GetError();
    return false;
  }
  std::vector<unsigned char> pixels(static_cast<size_t>(width) * height * 3);
  if (SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGB24, pixels.data(), width * 3) !=
      0) {
    error = SDL_GetError();
    return false;
  }
  if (!stbi_write_png(file.c_str(), width, height, 3, pixels.data(), width * 3)) {
    error = "cannot write " + file.string();
    return false;
  }
  return true;
}

}  // namespace pedisim::dashboard
