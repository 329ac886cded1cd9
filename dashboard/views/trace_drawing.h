#pragma once

// How a sweeping waveform is drawn, shared by the dashboard's monitor view
// and the room's pedisim-monitor: one polyline per unbroken stretch, each
// pixel column showing the lowest and highest sample it covers.

#include <imgui.h>

#include "model/sweep_buffer.h"

namespace pedisim::dashboard {

struct TraceScale {
  // Fixed vertical scale of the trace.
  float low = 0;
  float high = 1;
  // Widen the scale to fit what is shown (the ECG's amplitude varies).
  bool widen_to_fit = false;
};

// Which part of the trace's window to draw, as fractions of it: all of it,
// or one row of a trace cascaded over several rows (the room monitor's ECG).
struct TraceSpan {
  double from = 0;
  double to = 1;
};

// Draws `trace` in `color` inside [min, max] with lines `thickness` px wide.
void DrawSweepTrace(ImDrawList* draw, ImVec2 min, ImVec2 max, const SweepBuffer& trace, ImU32 color,
                    const TraceScale& scale, float thickness, TraceSpan span = {});

}  // namespace pedisim::dashboard
