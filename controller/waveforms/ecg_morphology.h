#pragma once

// The waves of one heartbeat in ECG lead II, as bumps in simulated time.
//
// Amplitudes are typical of a child's lead II (R about 1.3 mV, P 0.15 mV,
// T 0.3 mV); durations follow the R-R interval the way real intervals shorten
// at fast rates: the PR interval shortens mildly and QT follows Bazett's
// formula (QTc 0.40 s). Each beat's shape is fixed when it is scheduled, so a
// rate change never distorts a beat already under way.

#include <vector>

#include "controller/waveforms/bump.h"

namespace pedisim::waveforms {

// Where ventricular depolarization starts and how it spreads.
enum class QrsShape {
  // Supraventricular (through the His-Purkinje system): narrow, about 70 ms.
  kNarrow,
  // Junctional or high ventricular escape below a complete block: 120 ms.
  kEscape,
  // Ventricular origin (VT, torsades): wide, about 170 ms, tall R, deep S and
  // a T wave of opposite polarity.
  kVentricular,
};

// P onset to QRS onset for conducted sinus beats: 90-160 ms, shorter at fast
// rates, as in children.
double SinusPrInterval(double rr_s);

// QRS onset to T end: Bazett with QTc 0.40 s, within 0.20-0.45 s.
double QtInterval(double rr_s);

// Time from QRS onset to the R-wave peak, the instant a monitor detects as the
// beat and the pleth pulse follows.
double RPeakOffset(QrsShape shape);

// Appends a P wave (about 80 ms, 0.15 mV) starting at onset_s.
void AppendPWave(double onset_s, std::vector<Bump>* waves);

// Appends QRS and T starting at qrs_onset_s for a beat with R-R interval rr_s.
// scale multiplies every wave (torsades modulation, polarity flips included).
void AppendVentricularComplex(double qrs_onset_s, double rr_s, QrsShape shape, double scale,
                              std::vector<Bump>* waves);

}  // namespace pedisim::waveforms
