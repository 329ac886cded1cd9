#pragma once

// Where everything goes on the monitor's screen, from the screen's size and
// the number of waveform rows alone: a status bar at the top, 2 to 6
// waveform rows with the four numerics (HR, SpO2, EtCO2, RR) in a column to
// the right, a strip for NIBP and temperature, and the keys at the bottom
// (large enough to touch). Proportional, so the same screen reads from
// 1280x720 to 3840x2160.

#include <imgui.h>

#include <array>
#include <vector>

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

// Waveform rows a layout may have; 4 unless the monitor (--rows) or the
// instructor (RoomDisplay.wave_rows) says otherwise.
inline constexpr int kMinWaveRows = 2;
inline constexpr int kMaxWaveRows = 6;
inline constexpr int kDefaultWaveRows = 4;

// One waveform row: the wave it draws and which part of the wave's sweep.
// A cascaded ECG (5 and 6 rows) sweeps across `parts` rows one after the
// other, as bedside monitors cascade a lead over two channels: more seconds
// of the same lead, never a wave the generator does not make.
struct WaveRow {
  Wave wave = Wave::kEcg;
  int part = 0;
  int parts = 1;
  Box box;
};

struct MonitorLayout {
  // Text size unit: 1 at 1280x720.
  float unit = 1;
  Box status_bar;
  // Top to bottom: 2 rows ECG II, pleth; 3 adds the capnogram; 4 adds
  // respiration; 5 cascades ECG II over two rows, 6 over three.
  std::vector<WaveRow> rows;
  // HR, SpO2, EtCO2, RR, whatever the rows (a wave left out keeps its number).
  std::array<Box, kWaveCount> numerics;
  Box nibp;
  Box temperature;
  std::array<Box, kKeyCount> keys;
};

// `wave_rows` is clamped to kMinWaveRows..kMaxWaveRows.
MonitorLayout LayOut(ImVec2 screen, int wave_rows = kDefaultWaveRows);

// The rows of a layout of `wave_rows` rows, boxes left empty.
std::vector<WaveRow> WaveRows(int wave_rows);

// Seconds across a trace: ECG and pleth sweep four times faster than the
// capnogram and respiration (25 and 6.25 mm/s on a bedside monitor,
// docs/monitor.md), whatever the screen's size.
inline constexpr double kFastSweepWindowS = 6.0;
inline constexpr double kSlowSweepWindowS = 24.0;
double SweepWindowS(Wave wave);
// The whole sweep of `wave` in a layout of `wave_rows` rows: a cascaded
// ECG's window is as many times the one-row window as it has rows.
double SweepWindowS(Wave wave, int wave_rows);

}  // namespace pedisim::monitor
