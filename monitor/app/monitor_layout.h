#pragma once

// Where everything goes on the monitor's screen, from the screen's size
// alone: a status bar at the top, one row per waveform with its numeric to
// the right, a strip for NIBP and temperature, and the keys at the bottom
// (large enough to touch). Proportional, so the same screen reads from
// 1280x720 to 3840x2160.

#include <imgui.h>

#include <array>

#include "monitor/model/monitor_model.h"

namespace pedisim::monitor {

struct Box {
  ImVec2 min;
  ImVec2 max;
  float width() const { return max.x - min.x; }
  float height() const { return max.y - min.y; }
  bool Contains(ImVec2 point) const {
    return point.x >= min.x && point.x < max.x && point.y >= min.y && point.y < max.y;
  }
};

inline constexpr int kKeyCount = 10;

struct MonitorLayout {
  // Text size unit: 1 at 1280x720.
  float unit = 1;
  Box status_bar;
  std::array<Box, kWaveCount> traces;
  std::array<Box, kWaveCount> numerics;
  Box nibp;
  Box temperature;
  std::array<Box, kKeyCount> keys;
};

MonitorLayout LayOut(ImVec2 screen);

// Seconds across a trace: ECG and pleth sweep four times faster than the
// capnogram and respiration (25 and 6.25 mm/s on a bedside monitor,
// docs/monitor.md), whatever the screen's size.
inline constexpr double kFastSweepWindowS = 6.0;
inline constexpr double kSlowSweepWindowS = 24.0;
double SweepWindowS(Wave wave);

}  // namespace pedisim::monitor
