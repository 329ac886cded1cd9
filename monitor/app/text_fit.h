#pragma once

// Text placed so that it never clips or overlaps, at any screen size: each
// text gets a box; a text too large for its box is drawn at the largest
// size that fits. Every frame keeps an account of what it placed, so that a
// test (and --layout-report) can check that nothing overflowed its box and
// no two texts overlap.

#include <imgui.h>

#include <string>
#include <vector>

namespace pedisim::monitor {

enum class Align { kLeft, kCenter, kRight };

struct TextRect {
  ImVec2 min;
  ImVec2 max;
  bool Overlaps(const TextRect& other) const {
    return min.x < other.max.x && other.min.x < max.x && min.y < other.max.y && other.min.y < max.y;
  }
};

struct TextAudit {
  int placed = 0;
  // Drawn smaller than asked so as to fit.
  int shrunk = 0;
  // Still larger than their box at the smallest size allowed (clipped).
  int overflowing = 0;
  // Pairs of texts whose drawn rectangles intersect.
  int overlapping = 0;
  // What overflowed or overlapped, for the report.
  std::vector<std::string> problems;
};

class TextPlacer {
 public:
  void BeginFrame(ImDrawList* draw);
  // Draws `text` in `font` at up to `size_px`, inside [min, max], vertically
  // centred; returns the rectangle drawn.
  TextRect Place(ImFont* font, float size_px, ImVec2 min, ImVec2 max, Align align, ImU32 color,
                 const std::string& text);
  // Checks the frame's texts against each other; call after the last Place.
  const TextAudit& EndFrame();

 private:
  struct Placed {
    TextRect rect;
    std::string text;
  };
  ImDrawList* draw_ = nullptr;
  std::vector<Placed> placed_;
  TextAudit audit_;
};

}  // namespace pedisim::monitor
