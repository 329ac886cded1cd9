#pragma once

#include <optional>
#include <vector>

#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/assessment.pb.h"
#include "pedisim/v1/guidelines.pb.h"

namespace pedisim::assessment {

// What happened during a resuscitation, as simulated times: the stream
// CPR quality is measured from.
struct CprRecord {
  struct Compression {
    double time_s;
    v1::CompressionSample sample;
  };
  struct Shock {
    double time_s;
    double energy_j;
    // A commission rule judged it wrong (too much energy, a shock in a
    // rhythm not to shock): that item reports it, not the CPR metrics.
    bool harmful = false;
  };
  // [start_s, end_s) the patient had no pulse; end_s unset while it lasts.
  struct Pulseless {
    double start_s;
    std::optional<double> end_s;
  };
  std::vector<Compression> compressions;
  std::vector<double> ventilations;
  std::vector<Shock> shocks;
  std::vector<Pulseless> pulseless;
};

// Compressions closer than this belong to one run; a longer gap is a pause.
inline constexpr double kPauseThresholdS = 2.0;

// CPR quality up to `now_s` (definitions in docs/assessment.md): means of
// the samples' rate, depth and recoil; compression fraction and pauses over
// the pulseless time (or, when the patient never lost the pulse, from the
// first compression on); ventilation rate over the time compressions went
// on; times to first compression and shock from the first loss of pulse
// (else scenario start); energies per kg of the arrest's shocks. A shock is
// the arrest's when it came while the patient had no pulse and no
// commission rule judged it harmful: each shock is reported once, where it
// belongs. With `targets`, the metrics off target are listed in off_target.
v1::CprQuality MeasureCpr(const CprRecord& record, double now_s, double weight_kg,
                          const v1::CprTargets* targets);

// The targets for a patient of this age, if the set has them.
const v1::CprTargets* CprTargetsFor(const v1::GuidelineSet& guidelines, double age_years);

}  // namespace pedisim::assessment
