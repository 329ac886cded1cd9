#pragma once

// How long a non-invasive blood pressure measurement takes, from the NIBP
// key (or the automatic interval) to the reading: the monitor shows the
// reading then, and the HL7 gateway reports it then. No source gives a
// pediatric figure, so this is the model value of the monitor reference
// (docs/monitor.md, reference monitor.md §3): ~25 s for an infant, ~30 s
// for a child.
namespace pedisim::vitals {

inline double NibpMeasurementDurationS(double age_years) { return age_years < 1 ? 25.0 : 30.0; }

}  // namespace pedisim::vitals
