#include "controller/engine/age_norms.h"

namespace pedisim::engine {

namespace {
struct AgeBand {
  double up_to_years;  // exclusive upper bound of the band
  double heart_rate_bpm;
  double respiratory_rate_bpm;
  double systolic_mmhg;
  double diastolic_mmhg;
};

// Midpoints of the PALS awake heart-rate, respiratory-rate and blood-pressure
// ranges by age band: ../shared/reference/clinical.md §1a and §1b [S1, S2].
constexpr AgeBand kBands[] = {
    {28.0 / 365.0, 150, 42, 76, 44},  // neonate
    {1, 140, 42, 88, 47},             // infant
    {3, 119, 30, 96, 53},             // toddler
    {6, 100, 24, 101, 59},            // preschool
    {12, 97, 22, 106, 67},            // school age
    {1e9, 80, 16, 120, 74},           // adolescent
};
}  // namespace

v1::Vitals NormalVitalsForAge(double age_years) {
  const AgeBand* band = &kBands[0];
  for (const AgeBand& candidate : kBands) {
    band = &candidate;
    if (age_years < candidate.up_to_years) break;
  }
  v1::Vitals vitals;
  vitals.set_heart_rate_bpm(band->heart_rate_bpm);
  vitals.set_spo2_pct(98);
  vitals.set_respiratory_rate_bpm(band->respiratory_rate_bpm);
  vitals.set_nibp_systolic_mmhg(band->systolic_mmhg);
  vitals.set_nibp_diastolic_mmhg(band->diastolic_mmhg);
  // Mean arterial pressure approximated as DBP + (SBP - DBP) / 3.
  vitals.set_nibp_mean_mmhg(band->diastolic_mmhg +
                            (band->systolic_mmhg - band->diastolic_mmhg) / 3);
  vitals.set_etco2_mmhg(38);
  vitals.set_temperature_c(37.0);
  vitals.set_rhythm(v1::RHYTHM_SINUS);
  return vitals;
}

}  // namespace pedisim::engine
