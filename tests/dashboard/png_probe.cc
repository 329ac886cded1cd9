#include "png_probe.h"

#include <stb_image.h>

#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>

namespace pedisim::testing {

PngProbe::PngProbe(const std::filesystem::path& file) {
  int channels = 0;
  unsigned char* pixels = stbi_load(file.c_str(), &width_, &height_, &channels, 3);
  if (!pixels) throw std::runtime_error("cannot read " + file.string());
  rgb_.assign(pixels, pixels + static_cast<size_t>(width_) * height_ * 3);
  stbi_image_free(pixels);
}

template <typename Visit>
void PngProbe::ForEach(Region region, Visit&& visit) const {
  const int x0 = static_cast<int>(region.left * width_);
  const int x1 = static_cast<int>(region.right * width_);
  const int y0 = static_cast<int>(region.top * height_);
  const int y1 = static_cast<int>(region.bottom * height_);
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const uint8_t* p = &rgb_[(static_cast<size_t>(y) * width_ + x) * 3];
      visit(x, Rgb{p[0], p[1], p[2]});
    }
  }
}

namespace {
bool Near(Rgb a, Rgb b, int tolerance) {
  return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
         std::abs(a.b - b.b) <= tolerance;
}
}  // namespace

int PngProbe::CountNear(Region region, Rgb color, int tolerance) const {
  int count = 0;
  ForEach(region, [&](int, Rgb pixel) { count += Near(pixel, color, tolerance); });
  return count;
}

int PngProbe::ColumnsNear(Region region, Rgb color, int tolerance) const {
  std::set<int> columns;
  ForEach(region, [&](int x, Rgb pixel) {
    if (Near(pixel, color, tolerance)) columns.insert(x);
  });
  return static_cast<int>(columns.size());
}

int PngProbe::CountNonBackground(Region region) const {
  std::map<uint32_t, int> histogram;
  int total = 0;
  ForEach(region, [&](int, Rgb pixel) {
    ++histogram[(pixel.r << 16) | (pixel.g << 8) | pixel.b];
    ++total;
  });
  int most = 0;
  for (const auto& [color, count] : histogram) most = std::max(most, count);
  return total - most;
}

}  // namespace pedisim::testing
