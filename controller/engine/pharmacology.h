#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/vitals/vital_table.h"
#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/pharmacology.pb.h"
#include "pedisim/v1/vitals.pb.h"

namespace pedisim::engine {

// The saturating response of one vital at an effect-site level: 0 to 1.
double ResponseFraction(const v1::DrugResponse& response, double level);

// The pharmacology layer (docs/pharmacology.md): every drug model the
// scenario carries, stepped with the engine. Per drug, one compartment in
// the blood (with a depot for IM, IN and nebulised doses and a constant
// infusion), an effect compartment trailing it, and saturating responses on
// the vitals. Amounts are in usual doses (DrugModel.reference_dose_per_kg
// at this weight), so the blood level of the usual IV dose peaks at 1 at
// any weight. Each step is exact for piecewise-constant inputs, so the same
// doses at the same steps give the same levels, bit for bit.
class Pharmacology {
 public:
  // `settings` (the scenario's) must outlive it: the models are read in place.
  Pharmacology(const v1::PharmacologySettings& settings, double weight_kg, double age_years);
  Pharmacology(const Pharmacology&) = delete;
  Pharmacology& operator=(const Pharmacology&) = delete;

  // Whether the action gives a modelled drug, fluid or oxygen, and if so
  // applies it and describes it for EVENT_KIND_DRUG_EFFECT. `effect_event`
  // is filled in later by Attribute: the id of that event, which the vitals
  // then name as their cause.
  std::optional<v1::DrugEffect> Give(const v1::LearnerAction& action);
  // The id of the DRUG_EFFECT event recorded for the last Give.
  void Attribute(uint64_t effect_event_id);

  // A toxic effect that began or ended in Advance, to record.
  struct ToxicChange {
    int drug;
    int toxicity;
    bool began;
  };
  // Advances by dt_s; returns the toxic effects that began or ended.
  std::vector<ToxicChange> Advance(double dt_s);

  // What the drugs add to `field` now, given its value without them.
  double Change(int field, double value_without_drugs) const {
    return added_[field] - toward_weight_[field] * value_without_drugs;
  }
  // The DRUG_EFFECT event behind the strongest drug on `field`, or 0.
  uint64_t CauseOf(int field) const { return cause_[field]; }
  // The rhythm of the strongest toxic effect showing, if any.
  std::optional<v1::Rhythm> ToxicRhythm() const;
  // The drugs acting now, for the instructor's dashboard.
  std::vector<v1::DrugLevel> Levels(
      const std::array<double, vitals::kVitalFieldCount>& values_without_drugs) const;

  const v1::DrugModel& model(int drug) const { return *drugs_[drug].model; }
  // The DRUG_EFFECT event of a drug's latest dose.
  uint64_t effect_event(int drug) const { return drugs_[drug].effect_event_id; }
  // The effect-site level of a drug (by name or alias), antagonists applied;
  // 0 for a drug not modelled.
  double Level(const std::string& name) const;
  bool empty() const { return drugs_.empty(); }
  // Whether any drug acts now.
  bool active() const { return active_; }

 private:
  struct Drug {
    const v1::DrugModel* model;
    // Per-step factors at this weight and age, for the step they were made
    // for (dt_s).
    double elimination_per_min;  // k
    double effect_per_min;       // ke0 (0: the effect follows the blood)
    double depot_amount = 0;     // usual doses waiting to be absorbed
    double depot_per_min = 0;    // ka of the latest absorbed dose
    double blood_level = 0;
    double effect_level = 0;
    double infusion_per_min = 0;  // usual doses per minute
    double oxygen_level = 0;      // for oxygen: the level the lungs hold
    uint64_t effect_event_id = 0;
    // The per-step decay factors, for steps of factors_dt_s.
    double factors_dt_s = -1;
    double blood_kept = 1;
    double blood_kept_half_step = 1;
    double effect_kept = 0;
    void StepFactors(double dt_s);
    std::vector<int> antagonists;      // indexes of drugs that antagonise it
    std::vector<int> response_fields;  // per response: its Vitals field index
    std::vector<bool> toxic;           // per toxicity: showing now
  };

  // Nothing given or nothing left: skipped by each step.
  static bool Idle(const Drug& drug);
  int FindDrug(const v1::LearnerAction& action) const;
  // Effect-site level with antagonists applied.
  double EffectiveLevel(const Drug& drug) const;
  // What scales every response of a drug: for oxygen, the shunt.
  double ResponseScale(const Drug& drug) const;
  // Calls visit(field, response, fraction of its maximum) for each
  // response of `drug` at its level now.
  template <typename Visit>
  void ForEachResponse(const Drug& drug, Visit visit) const {
    const double level = EffectiveLevel(drug);
    const double scale = ResponseScale(drug);
    for (int r = 0; r < drug.model->responses_size(); ++r) {
      if (drug.response_fields[r] < 0) continue;
      const v1::DrugResponse& response = drug.model->responses(r);
      visit(drug.response_fields[r], response, scale * ResponseFraction(response, level));
    }
  }
  void Recompute();

  std::vector<Drug> drugs_;
  double weight_kg_;
  double shunt_fraction_;
  int last_given_ = -1;
  bool active_ = false;
  // Per field: change = added_ - toward_weight_ * value without drugs.
  std::array<double, vitals::kVitalFieldCount> added_{};
  std::array<double, vitals::kVitalFieldCount> toward_weight_{};
  std::array<uint64_t, vitals::kVitalFieldCount> cause_{};
};

// The model's entry for a route ("IV"), as a bolus or as an infusion.
const v1::DrugRoute* RouteFor(const v1::DrugModel& model, const std::string& route, bool infusion);

// One line for EVENT_KIND_DRUG_EFFECT: "epinephrine 1.2 mg IM (ten times
// the usual dose: 0.12 mg at 12 kg)", "epinephrine above its toxic level:
// ventricular tachycardia".
std::string DescribeDrugEffect(const v1::DrugEffect& effect, double weight_kg);

// The blood and effect half-lives of a model at this weight and age,
// minutes: allometric (W^0.25) and, with maturation, slower in newborns.
double HalfLifeMin(const v1::DrugModel& model, double weight_kg, double age_years);

}  // namespace pedisim::engine
