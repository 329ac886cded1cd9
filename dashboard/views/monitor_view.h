// The patient monitor: four sweeping traces (ECG lead II and pleth at
// 25 mm/s, capnogram and respiration at 6.25 mm/s), large numerics in
// monitor colours with the age band's alarm limits, and the alarm bar.
#pragma once

#include <array>

#include "views/view_context.h"

namespace pedisim::dashboard {

// Screen pixels per millimetre of trace, as on a 96 dpi display.
inline constexpr double kPixelsPerMm = 96.0 / 25.4;
inline constexpr double kEcgSweepMmPerS = 25.0;
inline constexpr double kSlowSweepMmPerS = 6.25;

// Seconds across a trace `width_px` wide at `mm_per_s`, in half seconds so
// that a resize by a few pixels does not restart the sweep.
double SweepWindowS(float width_px, double mm_per_s);

// Draws the monitor into the current window's remaining space; returns the
// sweep windows its traces need (the model's buffers must match them).
std::array<double, kTraceCount> DrawMonitor(const ViewContext& context);

}  // namespace pedisim::dashboard
