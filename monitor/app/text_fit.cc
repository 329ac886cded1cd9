#include "monitor/app/text_fit.h"

#include <algorithm>
#include <cmath>

namespace pedisim::monitor {

namespace {
// Below this a text is unreadable from across a room; it then overflows
// rather than vanish, and the audit says so.
constexpr float kSmallestPx = 9;
}  // namespace

void TextPlacer::BeginFrame(ImDrawList* draw) {
  draw_ = draw;
  placed_.clear();
  audit_ = {};
}

TextRect TextPlacer::Place(ImFont* font, float size_px, ImVec2 min, ImVec2 max, Align align,
                           ImU32 color, const std::string& text) {
  ++audit_.placed;
  const float box_w = std::max(0.0f, max.x - min.x);
  const float box_h = std::max(0.0f, max.y - min.y);
  ImVec2 size = font->CalcTextSizeA(size_px, 1e9f, 0, text.c_str());
  float px = size_px;
  if (size.x > box_w || size.y > box_h) {
    // Text size is linear in the font size.
    const float ratio = std::min(size.x > 0 ? box_w / size.x : 1, size.y > 0 ? box_h / size.y : 1);
    px = std::max(kSmallestPx, std::floor(size_px * ratio));
    size = font->CalcTextSizeA(px, 1e9f, 0, text.c_str());
    ++audit_.shrunk;
  }
  if (size.x > box_w + 0.5f || size.y > box_h + 0.5f) {
    ++audit_.overflowing;
    audit_.problems.push_back("'" + text + "' does not fit its box");
  }
  float x = min.x;
  if (align == Align::kCenter) x = min.x + (box_w - size.x) / 2;
  if (align == Align::kRight) x = max.x - size.x;
  const float y = min.y + (box_h - size.y) / 2;
  draw_->AddText(font, px, ImVec2(std::floor(x), std::floor(y)), color, text.c_str());
  const TextRect rect{ImVec2(x, y), ImVec2(x + size.x, y + size.y)};
  placed_.push_back({rect, text});
  return rect;
}

const TextAudit& TextPlacer::EndFrame() {
  for (size_t i = 0; i < placed_.size(); ++i) {
    for (size_t j = i + 1; j < placed_.size(); ++j) {
      TextRect a = placed_[i].rect;
      const TextRect& b = placed_[j].rect;
      // Touching edges are not an overlap.
      a.min = ImVec2(a.min.x + 0.5f, a.min.y + 0.5f);
      a.max = ImVec2(a.max.x - 0.5f, a.max.y - 0.5f);
      if (a.Overlaps(b)) {
        ++audit_.overlapping;
        audit_.problems.push_back("'" + placed_[i].text + "' overlaps '" + placed_[j].text + "'");
      }
    }
  }
  return audit_;
}

}  // namespace pedisim::monitor
