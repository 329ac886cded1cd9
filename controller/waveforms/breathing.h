#pragma once

// Capnogram and respiration (impedance) at 62.5 Hz, both read from one breath
// clock whose phase 0 is the start of inspiration. Apnoea stops the clock at
// the end of the breath in progress, where both curves rest at 0.

#include <cstdint>
#include <span>

#include "controller/waveforms/cycle_clock.h"

namespace pedisim::waveforms {

inline constexpr double kBreathingSampleRateHz = 62.5;

// CO2 in mmHg at a breath phase for a breath lasting period_s: zero during
// inspiration, a steep expiratory upstroke, an alveolar plateau rising slightly
// to exactly etco2_mmhg at end-expiration, then the inspiratory downstroke.
double CapnogramAt(double phase, double period_s, double etco2_mmhg);

// Chest impedance, 0 at end-expiration and 1 at end-inspiration.
double RespirationAt(double phase);

// Writes capnogram samples first_index, first_index + 1, ... During CPR each
// compression moves a small puff of CO2 past the sensor; the breath clock
// keeps the main shape.
void RenderCapnogram(int64_t first_index, const CycleSpan& breaths, double etco2_mmhg,
                     const CycleSpan& compressions, double compression_depth_mm,
                     std::span<float> out);

void RenderRespiration(int64_t first_index, const CycleSpan& breaths, std::span<float> out);

}  // namespace pedisim::waveforms
