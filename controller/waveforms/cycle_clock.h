#pragma once

// Phase accumulators in simulated time, one per periodic process (sinus node,
// ventricular pacemaker, flutter circuit, breathing, chest compressions).
//
// Within one Generate call the rate is constant, so phase is a straight line
// in time; the clock keeps only the phase at the end of the call. A rate
// change therefore bends the line without a jump: the rest of the current
// cycle simply runs at the new rate. Every waveform reads the same line at its
// own sample times, which keeps, say, pleth pulses and CPR artifact aligned
// across sample rates.

#include <vector>

namespace pedisim::waveforms {

// The phase of one clock over one call: phase(t) = start_phase + (t - start_s)
// * cycles_per_s, wrapped to [0, 1).
struct CycleSpan {
  double start_s = 0;
  double start_phase = 0;
  // The rate over the span; while finishing, the last rate before it stopped.
  double cycles_per_s = 0;
  // The rate dropped to zero and the cycle in progress is completing; once it
  // has, the phase rests at 0 (no new cycle starts).
  bool finishing = false;

  // True while the process moves at all (running, or finishing its cycle).
  bool moving() const { return cycles_per_s > 0; }
  double period_s() const { return 1.0 / cycles_per_s; }
  // Phase in [0, 1) at time t inside the span.
  double PhaseAt(double t) const;
};

class CycleClock {
 public:
  explicit CycleClock(double initial_phase = 0.0) : phase_(initial_phase) {}

  // Moves the clock across [start_s, end_s) at cycles_per_s and returns the
  // span describing the phase over that interval. A rate <= 0 stops the clock
  // at the end of the cycle in progress, so waveforms come to rest at their
  // natural resting point (end of expiration, end of a compression) instead of
  // freezing mid-cycle. If cycle_starts is given, it receives each time in
  // [start_s, end_s) at which a new cycle begins, in order.
  CycleSpan Advance(double start_s, double end_s, double cycles_per_s,
                    std::vector<double>* cycle_starts = nullptr);

  double phase() const { return phase_; }

 private:
  double phase_;
  double last_cycles_per_s_ = 0.0;
};

}  // namespace pedisim::waveforms
