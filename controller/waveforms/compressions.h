#pragma once

// What chest compressions add to each waveform, as functions of the
// compression phase (0 = start of the downstroke). Each shape is 0 at phases 0
// and 1, so compressions start and stop without a step.

namespace pedisim::waveforms {

// Depth relative to a typical child compression (5 cm, about a third of the
// chest's depth), capped so that absurd inputs stay on screen.
double CompressionDepthFactor(double depth_mm);

// ECG artifact in mV: a large deflection during the downstroke and a smaller
// opposite one on release; about 1.5 mV at 50 mm, at most 2 mV.
double CompressionEcgArtifact(double phase, double depth_mm);

// Pleth in 0..1: the small pulse that compressions push to the finger, late in
// the cycle because it has to travel there. 0.25 at 50 mm.
double CompressionPlethPulse(double phase, double depth_mm);

// 0..1: the puff of CO2 each compression moves past the sensor. The capnogram
// blends it in (see capnogram.cc).
double CompressionCo2Puff(double phase);

}  // namespace pedisim::waveforms
