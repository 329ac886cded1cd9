#include "monitor/app/monitor_layout.h"

#include <algorithm>
#include <cmath>

namespace pedisim::monitor {

std::vector<WaveRow> WaveRows(int wave_rows) {
  wave_rows = std::clamp(wave_rows, kMinWaveRows, kMaxWaveRows);
  const int ecg_parts = std::max(1, wave_rows - kDefaultWaveRows + 1);
  std::vector<WaveRow> rows;
  for (int part = 0; part < ecg_parts; ++part) rows.push_back({Wave::kEcg, part, ecg_parts, {}});
  for (Wave wave : {Wave::kPleth, Wave::kCapnogram, Wave::kRespiration}) {
    if (static_cast<int>(rows.size()) < wave_rows) rows.push_back({wave, 0, 1, {}});
  }
  return rows;
}

MonitorLayout LayOut(ImVec2 screen, int wave_rows) {
  MonitorLayout layout;
  const float w = screen.x;
  const float h = screen.y;
  layout.unit = std::min(w / 1280.0f, h / 720.0f);
  const float gap = std::max(2.0f, 3 * layout.unit);
  const float status_h = std::round(h * 0.07f);
  const float keys_h = std::round(h * 0.10f);
  const float strip_h = std::round(h * 0.15f);
  const float rows_top = status_h;
  const float rows_bottom = h - keys_h - strip_h;
  const float numerics_w = std::round(w * 0.27f);
  const float trace_w = w - numerics_w;
  layout.status_bar = {ImVec2(0, 0), ImVec2(w, status_h)};
  layout.rows = WaveRows(wave_rows);
  const float row_h = (rows_bottom - rows_top) / static_cast<float>(layout.rows.size());
  for (size_t row = 0; row < layout.rows.size(); ++row) {
    const float top = rows_top + row_h * static_cast<float>(row);
    layout.rows[row].box = {ImVec2(0, top), ImVec2(trace_w, top + row_h)};
  }
  const float numeric_h = (rows_bottom - rows_top) / kWaveCount;
  for (int numeric = 0; numeric < kWaveCount; ++numeric) {
    const float top = rows_top + numeric_h * static_cast<float>(numeric);
    layout.numerics[numeric] = {ImVec2(trace_w + gap, top + gap),
                                ImVec2(w - gap, top + numeric_h - gap)};
  }
  const float nibp_w = std::round(w * 0.6f);
  layout.nibp = {ImVec2(gap, rows_bottom + gap), ImVec2(nibp_w - gap, h - keys_h - gap)};
  layout.temperature = {ImVec2(nibp_w + gap, rows_bottom + gap), ImVec2(w - gap, h - keys_h - gap)};
  const float key_w = w / kKeyCount;
  for (int key = 0; key < kKeyCount; ++key) {
    const float left = key_w * static_cast<float>(key);
    layout.keys[key] = {ImVec2(left + gap, h - keys_h + gap), ImVec2(left + key_w - gap, h - gap)};
  }
  return layout;
}

double SweepWindowS(Wave wave) {
  return wave == Wave::kEcg || wave == Wave::kPleth ? kFastSweepWindowS : kSlowSweepWindowS;
}

double SweepWindowS(Wave wave, int wave_rows) {
  if (wave != Wave::kEcg) return SweepWindowS(wave);
  return SweepWindowS(wave) * static_cast<double>(WaveRows(wave_rows).front().parts);
}

}  // namespace pedisim::monitor
