#include "views/trace_drawing.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace pedisim::dashboard {

// Each pixel column shows the lowest and highest sample it covers, so a QRS
// spike of two samples survives being drawn in one pixel.
void DrawSweepTrace(ImDrawList* draw, ImVec2 min, ImVec2 max, const SweepBuffer& trace, ImU32 color,
                    const TraceScale& scale, float thickness, TraceSpan span) {
  const size_t all_slots = trace.slot_count();
  if (all_slots == 0) return;
  // The span's slots are [offset, offset + slots).
  const auto offset = static_cast<size_t>(std::clamp(span.from, 0.0, 1.0) * all_slots);
  const auto end = static_cast<size_t>(std::clamp(span.to, 0.0, 1.0) * all_slots);
  if (end <= offset) return;
  const size_t slots = end - offset;
  float low = scale.low;
  float high = scale.high;
  if (scale.widen_to_fit) {
    float shown_low = 0;
    float shown_high = 0;
    if (trace.Range(shown_low, shown_high)) {
      low = std::min(low, shown_low - 0.1f);
      high = std::max(high, shown_high + 0.1f);
    }
  }
  const float margin = 1 + thickness;
  const float top = min.y + margin;
  const float height = max.y - min.y - 2 * margin;
  auto y_of = [&](float value) {
    return top + height - (std::clamp(value, low, high) - low) / (high - low) * height;
  };
  const int columns = std::max(1, static_cast<int>(max.x - min.x));
  std::vector<ImVec2> run;
  run.reserve(static_cast<size_t>(columns) * 2);
  auto flush = [&] {
    if (run.size() >= 2) {
      draw->AddPolyline(run.data(), static_cast<int>(run.size()), color, 0, thickness);
    }
    run.clear();
  };
  // A flat stretch (baseline, plateau) is one segment, not one per pixel.
  auto add = [&](float x, float y) {
    const size_t n = run.size();
    if (n >= 2 && std::abs(run[n - 1].y - y) < 0.5f && std::abs(run[n - 2].y - y) < 0.5f) {
      run[n - 1].x = x;
      return;
    }
    run.emplace_back(x, y);
  };
  for (int column = 0; column < columns; ++column) {
    const size_t first = slots * static_cast<size_t>(column) / static_cast<size_t>(columns);
    const size_t last =
        std::max(first + 1, slots * static_cast<size_t>(column + 1) / static_cast<size_t>(columns));
    std::optional<float> first_value;
    float column_low = 0;
    float column_high = 0;
    float last_value = 0;
    for (size_t slot = first; slot < last && slot < slots; ++slot) {
      const std::optional<float> value = trace.At(offset + slot);
      if (!value) continue;
      if (!first_value) {
        first_value = *value;
        column_low = column_high = *value;
      }
      column_low = std::min(column_low, *value);
      column_high = std::max(column_high, *value);
      last_value = *value;
    }
    if (!first_value) {
      flush();
      continue;
    }
    const float x = min.x + static_cast<float>(column);
    // A column spanning less than a few pixels is one point: drawing its
    // extremes would turn sample noise into hair.
    if (y_of(column_low) - y_of(column_high) < 3) {
      add(x, y_of(last_value));
      continue;
    }
    // Enter at the extreme nearer where the signal came from, leave at the other.
    const bool rising = last_value >= *first_value;
    add(x, y_of(rising ? column_low : column_high));
    add(x, y_of(rising ? column_high : column_low));
  }
  flush();
}

}  // namespace pedisim::dashboard
