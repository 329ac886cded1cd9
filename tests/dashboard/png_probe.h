// Reads a dashboard screenshot (stb_image) and counts what is drawn in a
// region: pixels near a colour, the columns they cover, pixels that differ
// from the region's most common colour.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace pedisim::testing {

struct Rgb {
  uint8_t r, g, b;
};

// A region as fractions of the image (0..1), so tests do not depend on size.
struct Region {
  double left, top, right, bottom;
};

class PngProbe {
 public:
  // Throws std::runtime_error when the file cannot be read.
  explicit PngProbe(const std::filesystem::path& file);

  int width() const { return width_; }
  int height() const { return height_; }
  // Pixels within `tolerance` (per channel) of `color`.
  int CountNear(Region region, Rgb color, int tolerance = 40) const;
  // Distinct x columns with at least one such pixel.
  int ColumnsNear(Region region, Rgb color, int tolerance = 40) const;
  // Pixels that are not the region's most common colour (its background).
  int CountNonBackground(Region region) const;

 private:
  template <typename Visit>
  void ForEach(Region region, Visit&& visit) const;

  int width_ = 0;
  int height_ = 0;
  std::vector<uint8_t> rgb_;
};

}  // namespace pedisim::testing
