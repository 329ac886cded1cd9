// What the engine shows: the monitor's numerics and the manikin's findings,
// with the physiology that couples them, and what the script waits for.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "controller/engine/condition_eval.h"
#include "controller/engine/engine.h"
#include "controller/util/deterministic_noise.h"
#include "core/scenario/proto_scalar.h"
#include "core/text/enum_names.h"
#include "core/vitals/age_bands.h"

namespace pedisim::engine {

namespace {

using vitals::kVitalFieldCount;
using vitals::VitalField;
using vitals::VitalFields;

// A drug's change larger than this many times a vital's noise amplitude
// makes the drug the vital's cause.
constexpr double kDrugCauseNoiseMultiple = 3;

}  // namespace

double Engine::ValueWithoutDrugs(int field) const {
  const double now = sim_time_s();
  double value = trends_.Value(field, now);
  if (!overridden_[field]) {
    value += effects_.Change(field, now);
    if (field == vitals::FieldIndexOf("spo2_pct")) value -= ventilation_.desaturation_pct();
  }
  const VitalField& bounds = VitalFields()[field];
  return std::clamp(value, bounds.min, bounds.max);
}

double Engine::UnderlyingValue(int field) const {
  const double value = ValueWithoutDrugs(field);
  // A drug's effect adds to the script like a handler's; an instructor's
  // override holds the number whatever was given.
  if (overridden_[field]) return value;
  const VitalField& bounds = VitalFields()[field];
  return std::clamp(value + pharmacology_.Change(field, value), bounds.min, bounds.max);
}

v1::Rhythm Engine::ShownRhythm() const {
  if (rhythm_overridden_) return trends_.rhythm();
  if (transient_rhythm_ && step_ < transient_rhythm_->end_step) return transient_rhythm_->rhythm;
  // A drug's toxic rhythm shows over a beating heart's; an arrest's rhythm
  // stays the script's.
  if (PulsePresent()) {
    if (std::optional<v1::Rhythm> toxic = pharmacology_.ToxicRhythm()) return *toxic;
  }
  return trends_.rhythm();
}

bool Engine::PulsePresent() const {
  switch (trends_.rhythm()) {
    case v1::RHYTHM_VENTRICULAR_FIBRILLATION:
    case v1::RHYTHM_ASYSTOLE:
    case v1::RHYTHM_PEA:
      return false;
    case v1::RHYTHM_VENTRICULAR_TACHYCARDIA:
    case v1::RHYTHM_TORSADES:
      return !(findings_.has_central_pulse() &&
               findings_.central_pulse() == v1::PULSE_STRENGTH_ABSENT);
    default:
      return true;
  }
}

v1::Vitals Engine::MonitorValues(bool with_noise) const {
  const double now = sim_time_s();
  v1::Vitals vitals;
  for (int i = 0; i < kVitalFieldCount; ++i) {
    const VitalField& field = VitalFields()[i];
    double value = UnderlyingValue(i);
    // A value at its floor (apnoea, asystole) is a flat line, not a reading
    // that wanders: noise there would show breaths that are not happening.
    if (with_noise && !overridden_[i] && value > field.min) {
      const NoiseStream noise(
          seed_, static_cast<NoiseStreamId>(static_cast<uint64_t>(NoiseStreamId::kNumerics) + i));
      // Smooth noise with a knot each second: numerics wander like a
      // monitor's rather than flicker.
      value += noise_scale_ * field.noise_amplitude * (2 * noise.Smooth(now) - 1);
    }
    (vitals.*field.set)(std::clamp(value, field.min, field.max));
  }
  vitals.set_rhythm(ShownRhythm());
  // The heart rate follows a handler's rhythm for a while: none in a pause.
  if (ShownRhythm() != trends_.rhythm() && !overridden_[vitals::FieldIndexOf("heart_rate_bpm")]) {
    if (ShownRhythm() == v1::RHYTHM_ASYSTOLE) vitals.set_heart_rate_bpm(0);
    if (ShownRhythm() == v1::RHYTHM_VENTRICULAR_FIBRILLATION) vitals.clear_heart_rate_bpm();
  }

  if (MeanIsDerived()) {
    vitals.set_nibp_mean_mmhg(vitals.nibp_diastolic_mmhg() +
                              (vitals.nibp_systolic_mmhg() - vitals.nibp_diastolic_mmhg()) / 3);
  }
  if (!PulsePresent()) {
    // No perfusion: no oximeter or cuff reading; an HR only where the ECG
    // shows organized complexes. No breathing effort either, whatever the
    // script says: the respiratory rate is the learners' ventilation, and
    // without a breath there is no exhaled CO2 to read. With breaths, EtCO2
    // reflects the flow that compressions make (a model, not a sourced
    // curve). An instructor's override holds either.
    vitals.clear_spo2_pct();
    vitals.clear_nibp_systolic_mmhg();
    vitals.clear_nibp_diastolic_mmhg();
    vitals.clear_nibp_mean_mmhg();
    if (trends_.rhythm() == v1::RHYTHM_VENTRICULAR_FIBRILLATION) vitals.clear_heart_rate_bpm();
    if (trends_.rhythm() == v1::RHYTHM_ASYSTOLE) vitals.set_heart_rate_bpm(0);
    const bool ventilated = ventilation_.Active(now);
    if (!overridden_[vitals::FieldIndexOf("respiratory_rate_bpm")]) {
      vitals.set_respiratory_rate_bpm(ventilation_.RatePerMin(now));
    }
    if (!overridden_[vitals::FieldIndexOf("etco2_mmhg")]) {
      double etco2 = 0;
      if (ventilated) etco2 = cpr_.Active(now) ? 5 + 15 * cpr_.Quality(now) : 2;
      vitals.set_etco2_mmhg(etco2);
    }
  }
  return vitals;
}

bool Engine::MeanIsDerived() const {
  // The mean follows systolic and diastolic unless the script or the
  // instructor sets it.
  return !overridden_[vitals::FieldIndexOf("nibp_mean_mmhg")] &&
         !current_->vitals().has_nibp_mean_mmhg();
}

uint64_t Engine::CauseOf(int field) const {
  if (field == vitals::FieldIndexOf("nibp_mean_mmhg") && MeanIsDerived()) {
    return std::max(CauseOf(vitals::FieldIndexOf("nibp_systolic_mmhg")),
                    CauseOf(vitals::FieldIndexOf("nibp_diastolic_mmhg")));
  }
  if (overridden_[field]) return trend_cause_[field];
  // A drug that moves the vital well beyond the monitor's wander is why it
  // reads as it does, whatever the script did since: the script set the
  // baseline, the drug the deviation.
  if (const uint64_t drug = pharmacology_.CauseOf(field); drug != 0) {
    const double moved = std::abs(pharmacology_.Change(field, ValueWithoutDrugs(field)));
    if (moved >= kDrugCauseNoiseMultiple * VitalFields()[field].noise_amplitude) return drug;
  }
  return std::max(effects_.LatestCause(field), trend_cause_[field]);
}

v1::VitalsSample Engine::Sample() const {
  v1::VitalsSample sample;
  sample.set_sim_time_s(sim_time_s());
  v1::Vitals* vitals = sample.mutable_vitals();
  *vitals = MonitorValues(/*with_noise=*/true);
  for (int i = 0; i < kVitalFieldCount; ++i) {
    v1::VitalCause* cause = sample.add_causes();
    cause->set_vital(std::string(VitalFields()[i].name));
    cause->set_event_id(CauseOf(i));
  }
  for (const v1::VitalRange& range : age_band_.normal()) {
    const VitalField& field = VitalFields()[*vitals::VitalFieldIndex(range.vital())];
    if (!(vitals->*field.has)()) continue;
    const double value = (vitals->*field.get)();
    if (value < range.low() || value > range.high()) sample.add_abnormal(range.vital());
  }
  for (const v1::VitalRange& range : age_band_.alarm_limits()) {
    const VitalField& field = VitalFields()[*vitals::VitalFieldIndex(range.vital())];
    if (!(vitals->*field.has)()) continue;
    const double value = (vitals->*field.get)();
    if (value < range.low() || value > range.high()) sample.add_alarming(range.vital());
  }
  for (std::string& name : Overridden()) sample.add_overridden(std::move(name));
  if (pharmacology_.active()) {
    std::array<double, kVitalFieldCount> without_drugs{};
    for (int i = 0; i < kVitalFieldCount; ++i) without_drugs[i] = ValueWithoutDrugs(i);
    for (v1::DrugLevel& level : pharmacology_.Levels(without_drugs)) {
      *sample.add_drug_levels() = std::move(level);
    }
  }
  return sample;
}

v1::Findings Engine::Findings() const {
  v1::Findings findings = findings_;
  if (!PulsePresent()) {
    findings.set_central_pulse(v1::PULSE_STRENGTH_ABSENT);
    findings.set_peripheral_pulse(v1::PULSE_STRENGTH_ABSENT);
  }
  return findings;
}

std::vector<std::string> Engine::Overridden() const {
  std::vector<std::string> names;
  for (int i = 0; i < kVitalFieldCount; ++i) {
    if (overridden_[i]) names.emplace_back(VitalFields()[i].name);
  }
  if (rhythm_overridden_) names.emplace_back("rhythm");
  return names;
}

std::vector<v1::PendingTransition> Engine::PendingTransitions() const {
  std::vector<v1::PendingTransition> pending;
  if (scheduled_) {
    v1::PendingTransition& next = pending.emplace_back();
    next.set_to_state(scheduled_->transition->to_state());
    next.set_label(scheduled_->transition->label());
    next.set_waiting_for("scheduled");
    next.set_fires_in_s(static_cast<double>(scheduled_->fire_step - step_) * kStepS);
    return pending;
  }
  for (const v1::Transition& transition : current_->transitions()) {
    if (fired_scenario_timers_.contains(&transition)) continue;  // its moment has passed
    v1::PendingTransition& next = pending.emplace_back();
    next.set_to_state(transition.to_state());
    next.set_label(transition.label());
    switch (transition.trigger_case()) {
      case v1::Transition::kAfterTimeInStateS: {
        const double left = std::max(0.0, transition.after_time_in_state_s() - time_in_state_s());
        next.set_waiting_for(fmt::format("{:.0f} s more in state", left));
        next.set_fires_in_s(left);
        break;
      }
      case v1::Transition::kAtScenarioTimeS: {
        next.set_waiting_for(fmt::format("scenario time {:g} s", transition.at_scenario_time_s()));
        next.set_fires_in_s(std::max(0.0, transition.at_scenario_time_s() - sim_time_s()));
        break;
      }
      case v1::Transition::kOnAction: {
        const v1::ActionTrigger& trigger = transition.on_action();
        std::string what = text::EnumWords(trigger.kind());
        if (!trigger.drug().empty()) what += " " + trigger.drug();
        if (trigger.count() > 1) what += fmt::format(" (x{})", trigger.count());
        next.set_waiting_for(what);
        break;
      }
      case v1::Transition::kOnVital: {
        const v1::VitalTrigger& trigger = transition.on_vital();
        std::string what = trigger.vital();
        if (trigger.has_below()) what += fmt::format(" < {:g}", trigger.below());
        if (trigger.has_above()) what += fmt::format(" > {:g}", trigger.above());
        if (trigger.held_for_s() > 0) what += fmt::format(" for {:g} s", trigger.held_for_s());
        next.set_waiting_for(what);
        break;
      }
      case v1::Transition::kWhen: {
        // What is still missing, as the debrief would explain it.
        const ConditionVerdict verdict =
            EvaluateCondition(transition.when(), ledger_, sim_time_s());
        next.set_waiting_for(transition.when().label().empty() ? verdict.why
                                                               : transition.when().label());
        break;
      }
      default:
        next.set_waiting_for("instructor");
        break;
    }
  }
  return pending;
}

}  // namespace pedisim::engine
