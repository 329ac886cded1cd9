#pragma once

#include "core/patient/patient_size.h"
#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/assessment.pb.h"
#include "pedisim/v1/guidelines.pb.h"

// The one place a drug dose is judged against a child's weight and age: the
// controller's assessment records it, the dashboard previews it while the
// instructor types.
namespace pedisim::dosing {

// Checks one drug action against the guideline set's drug table: the first
// dose rule of the drug whose routes and ages fit gives the range per kg,
// which the single-dose caps bound for this patient's weight; a dose within
// the set's dose_tolerance of the range counts as in it. Verdicts, first
// that holds: unknown drug, no dose, route not listed, ten-fold over (above
// the range and at least ten times its lower end), ten-fold under (below
// the range and at most a tenth of its upper end), over (or above the
// largest single dose when only the cap is exceeded), under, in range.
// Fills everything but event_id, sim_time_s and flag_event_id.
v1::DoseCheck CheckDose(const v1::GuidelineSet& guidelines, const v1::LearnerAction& drug,
                        const patient::PatientSize& patient);

// Whether a verdict is a dosing error worth an EVENT_KIND_DOSE_FLAGGED.
bool IsDoseError(v1::DoseVerdict verdict);

}  // namespace pedisim::dosing
