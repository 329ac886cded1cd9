#include "controller/engine/pharmacology.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/pharmacology/drug_library.h"
#include "core/text/enum_names.h"

namespace pedisim::engine {

namespace {

constexpr double kLn2 = 0.69314718055994530942;
constexpr double kRoomAirFio2 = 0.21;
// Below this a level is gone: the drug stops costing time and leaves the
// dashboard.
constexpr double kNegligibleLevel = 1e-5;
// The least response (of its maximum) that names a drug as a vital's cause.
constexpr double kCauseFraction = 0.02;
constexpr double kWeeksPerYear = 52.1775;
constexpr double kTermWeeks = 40;

bool GivenBy(const v1::DrugModel& model, v1::ActionKind kind) {
  const v1::ActionKind given_by =
      model.given_by() == v1::ACTION_KIND_UNSPECIFIED ? v1::ACTION_KIND_DRUG : model.given_by();
  return given_by == kind;
}

bool NamedBy(const v1::DrugModel& model, const std::string& name) {
  const std::string key = pharmacology::DrugKey(name);
  if (pharmacology::DrugKey(model.name()) == key) return true;
  return std::any_of(model.aliases().begin(), model.aliases().end(),
                     [&](const std::string& alias) { return pharmacology::DrugKey(alias) == key; });
}

}  // namespace

const v1::DrugRoute* RouteFor(const v1::DrugModel& model, const std::string& route, bool infusion) {
  const std::string key = pharmacology::DrugKey(route);
  for (const v1::DrugRoute& entry : model.routes()) {
    if (entry.has_usual_rate_mcg_per_kg_per_min() != infusion) continue;
    for (const std::string& name : entry.routes()) {
      if (pharmacology::DrugKey(name) == key) return &entry;
    }
  }
  return nullptr;
}

namespace {

const v1::OxygenDeviceModel* DeviceFor(const v1::OxygenDelivery& oxygen, v1::OxygenDevice device) {
  if (device == v1::OXYGEN_DEVICE_UNSPECIFIED) device = oxygen.default_device();
  for (const v1::OxygenDeviceModel& entry : oxygen.devices()) {
    if (entry.device() == device) return &entry;
  }
  return oxygen.devices().empty() ? nullptr : &oxygen.devices(0);
}

std::string Multiple(double multiple) {
  if (std::abs(multiple - 10) < 0.5) return "ten times the usual dose";
  if (std::abs(multiple - 0.1) < 0.015) return "a tenth of the usual dose";
  if (multiple >= 1.5) return fmt::format("{:.1f} times the usual dose", multiple);
  if (multiple <= 0.67) return fmt::format("{:.0f} % of the usual dose", 100 * multiple);
  return "the usual dose";
}

}  // namespace

std::string DescribeDrugEffect(const v1::DrugEffect& effect, double weight_kg) {
  if (!effect.toxicity().empty()) {
    return effect.ended()
               ? fmt::format("{}: {} ended", effect.drug(), effect.toxicity())
               : fmt::format("{} above its toxic level: {}", effect.drug(), effect.toxicity());
  }
  if (effect.unit() == "FiO2") {
    std::string device = effect.route();
    std::replace(device.begin(), device.end(), '_', ' ');
    return fmt::format("oxygen by {}: FiO2 {:.2f}", device, effect.dose());
  }
  if (effect.unit() == "µg/kg/min") {
    return fmt::format("{} infusion {:g} µg/kg/min {} ({} of {:g} µg/kg/min)", effect.drug(),
                       effect.dose(), effect.route(), Multiple(effect.dose_multiple()),
                       effect.usual_dose());
  }
  return fmt::format("{} {:g} {} {} ({}: {:.3g} {} at {:g} kg)", effect.drug(), effect.dose(),
                     effect.unit(), effect.route(), Multiple(effect.dose_multiple()),
                     effect.usual_dose(), effect.unit(), weight_kg);
}

double ResponseFraction(const v1::DrugResponse& response, double level) {
  const double above = level - response.above_level();
  if (above <= 0) return 0;
  const double half = response.half_effect_level();
  if (!response.has_hill() || response.hill() == 1) return above / (half + above);
  const double scaled = std::pow(above / half, response.hill());
  return scaled / (1 + scaled);
}

double HalfLifeMin(const v1::DrugModel& model, double weight_kg, double age_years) {
  const v1::DrugKinetics& kinetics = model.kinetics();
  // Clearance grows with W^0.75 and the volume with W, so the half-life
  // grows with W^0.25 (pharmacology.md §6, S64).
  double half_life =
      kinetics.half_life_min() * std::pow(weight_kg / kinetics.reference_weight_kg(), 0.25);
  if (kinetics.maturation_tm50_weeks() > 0) {
    // Immature clearance: the fraction of the mature one at this
    // postmenstrual age (S64, S64b).
    const double pma = kTermWeeks + std::max(0.0, age_years) * kWeeksPerYear;
    const double hill = kinetics.maturation_hill();
    const double grown = std::pow(pma, hill);
    const double fraction = grown / (std::pow(kinetics.maturation_tm50_weeks(), hill) + grown);
    half_life /= std::max(fraction, 0.01);
  }
  return half_life;
}

Pharmacology::Pharmacology(const v1::PharmacologySettings& settings, double weight_kg,
                           double age_years)
    : weight_kg_(weight_kg > 0 ? weight_kg : 1), shunt_fraction_(settings.shunt_fraction()) {
  if (!settings.enabled()) return;
  for (const v1::DrugModel& model : settings.models()) {
    Drug& drug = drugs_.emplace_back();
    drug.model = &model;
    drug.elimination_per_min = kLn2 / HalfLifeMin(model, weight_kg_, age_years);
    const double effect_half_life = model.kinetics().effect_half_life_min();
    drug.effect_per_min = effect_half_life > 0 ? kLn2 / effect_half_life : 0;
    drug.toxic.assign(model.toxicities_size(), false);
    for (const v1::DrugResponse& response : model.responses()) {
      drug.response_fields.push_back(vitals::VitalFieldIndex(response.vital()).value_or(-1));
    }
  }
  for (Drug& drug : drugs_) {
    for (size_t other = 0; other < drugs_.size(); ++other) {
      for (const std::string& target : drugs_[other].model->antagonises()) {
        if (NamedBy(*drug.model, target)) drug.antagonists.push_back(static_cast<int>(other));
      }
    }
  }
}

int Pharmacology::FindDrug(const v1::LearnerAction& action) const {
  const bool by_name = !action.drug().empty();
  for (size_t i = 0; i < drugs_.size(); ++i) {
    const v1::DrugModel& model = *drugs_[i].model;
    if (!GivenBy(model, action.kind())) continue;
    if (action.kind() == v1::ACTION_KIND_OXYGEN) return static_cast<int>(i);
    if (by_name ? NamedBy(model, action.drug()) : model.default_for_action()) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

std::optional<v1::DrugEffect> Pharmacology::Give(const v1::LearnerAction& action) {
  last_given_ = -1;
  const int index = FindDrug(action);
  if (index < 0) return std::nullopt;
  Drug& drug = drugs_[index];
  const v1::DrugModel& model = *drug.model;
  v1::DrugEffect effect;
  effect.set_drug(model.name());

  if (action.kind() == v1::ACTION_KIND_OXYGEN) {
    const v1::OxygenDeviceModel* device = DeviceFor(model.oxygen(), action.oxygen_device());
    if (!device) return std::nullopt;
    const double flow = action.has_oxygen_flow_l_per_min() ? action.oxygen_flow_l_per_min() : 15;
    const double per = device->per_kg() ? flow / weight_kg_ : flow;
    const double fio2 =
        flow <= 0 ? kRoomAirFio2
                  : std::min(device->max_fio2(), kRoomAirFio2 + device->fio2_per_l_per_min() * per);
    drug.oxygen_level = (fio2 - kRoomAirFio2) / (1 - kRoomAirFio2);
    effect.set_dose(fio2);
    effect.set_unit("FiO2");
    effect.set_route(text::ShortEnumName(device->device()));
    last_given_ = index;
    return effect;
  }

  const bool fluid = action.kind() == v1::ACTION_KIND_FLUID_BOLUS;
  const std::string route_name = fluid && action.route().empty() ? "IV" : action.route();
  const bool infusion = action.has_rate_mcg_per_kg_per_min();
  const v1::DrugRoute* route = RouteFor(model, route_name, infusion);
  if (!route) return std::nullopt;
  effect.set_route(route_name);
  const double reference = model.reference_dose_per_kg();
  const double available = route->has_bioavailability() ? route->bioavailability() : 1;

  if (infusion) {
    const double rate = action.rate_mcg_per_kg_per_min();
    drug.infusion_per_min = available * rate / 1000 / reference;
    effect.set_dose(rate);
    effect.set_unit("µg/kg/min");
    effect.set_usual_dose(route->usual_rate_mcg_per_kg_per_min());
    effect.set_dose_multiple(rate / route->usual_rate_mcg_per_kg_per_min());
    last_given_ = index;
    return effect;
  }
  const bool has_dose = fluid ? action.has_volume_ml() : action.has_dose_mg();
  if (!has_dose || route->usual_dose_per_kg() <= 0) return std::nullopt;
  const double dose = fluid ? action.volume_ml() : action.dose_mg();
  const double amount = available * dose / (reference * weight_kg_);
  if (route->absorption_half_life_min() > 0) {
    drug.depot_amount += amount;
    drug.depot_per_min = kLn2 / route->absorption_half_life_min();
  } else {
    drug.blood_level += amount;
  }
  double usual = route->usual_dose_per_kg() * weight_kg_;
  if (route->has_max_dose()) usual = std::min(usual, route->max_dose());
  effect.set_dose(dose);
  effect.set_unit(fluid ? "mL" : "mg");
  effect.set_usual_dose(usual);
  effect.set_dose_multiple(dose / usual);
  last_given_ = index;
  return effect;
}

void Pharmacology::Attribute(uint64_t effect_event_id) {
  if (last_given_ >= 0) drugs_[last_given_].effect_event_id = effect_event_id;
}

double Pharmacology::EffectiveLevel(const Drug& drug) const {
  double level = drug.effect_level;
  for (int antagonist : drug.antagonists) {
    const Drug& other = drugs_[antagonist];
    level /= 1 + other.effect_level / other.model->antagonist_level();
  }
  return level;
}

bool Pharmacology::Idle(const Drug& drug) {
  return drug.depot_amount == 0 && drug.infusion_per_min == 0 && drug.oxygen_level == 0 &&
         drug.blood_level == 0 && drug.effect_level == 0;
}

void Pharmacology::Drug::StepFactors(double dt_s) {
  if (dt_s == factors_dt_s) return;
  const double dt_min = dt_s / 60;
  factors_dt_s = dt_s;
  blood_kept = std::exp(-elimination_per_min * dt_min);
  blood_kept_half_step = std::exp(-elimination_per_min * dt_min / 2);
  effect_kept = effect_per_min > 0 ? std::exp(-effect_per_min * dt_min) : 0;
}

std::vector<Pharmacology::ToxicChange> Pharmacology::Advance(double dt_s) {
  std::vector<ToxicChange> changes;
  if (drugs_.empty()) return changes;
  const double dt_min = dt_s / 60;
  bool any_active = false;
  for (Drug& drug : drugs_) {
    // Most models wait unused for the whole session: they cost nothing.
    if (Idle(drug)) continue;
    drug.StepFactors(dt_s);
    if (drug.model->given_by() == v1::ACTION_KIND_OXYGEN) {
      drug.blood_level = drug.oxygen_level;
    } else {
      double absorbed = 0;
      if (drug.depot_amount > 0) {
        const double left = drug.depot_amount * std::exp(-drug.depot_per_min * dt_min);
        absorbed = drug.depot_amount - left;
        drug.depot_amount = left < kNegligibleLevel ? 0 : left;
      }
      // Exact for a constant infusion over the step; what the depot
      // releases enters at mid-step.
      drug.blood_level = drug.blood_level * drug.blood_kept + absorbed * drug.blood_kept_half_step +
                         drug.infusion_per_min * (1 - drug.blood_kept) / drug.elimination_per_min;
    }
    drug.effect_level =
        drug.effect_per_min > 0
            ? drug.blood_level + (drug.effect_level - drug.blood_level) * drug.effect_kept
            : drug.blood_level;
    if (drug.depot_amount == 0 && drug.infusion_per_min == 0 &&
        drug.blood_level < kNegligibleLevel && drug.effect_level < kNegligibleLevel) {
      drug.blood_level = 0;
      drug.effect_level = 0;
    }
    any_active = any_active || !Idle(drug);
  }
  for (size_t d = 0; d < drugs_.size(); ++d) {
    Drug& drug = drugs_[d];
    const double level = EffectiveLevel(drug);
    for (size_t t = 0; t < drug.toxic.size(); ++t) {
      const bool toxic = level > drug.model->toxicities(static_cast<int>(t)).above_level();
      if (toxic == drug.toxic[t]) continue;
      drug.toxic[t] = toxic;
      changes.push_back({static_cast<int>(d), static_cast<int>(t), toxic});
    }
  }
  // With no drug acting now or in the step before, the sums stay zero.
  if (any_active || active_) Recompute();
  active_ = any_active;
  return changes;
}

double Pharmacology::ResponseScale(const Drug& drug) const {
  if (drug.model->given_by() != v1::ACTION_KIND_OXYGEN) return 1;
  // Shunted blood never meets the extra oxygen (pharmacology.md §5, S63d):
  // the gain falls to nothing at no_gain_shunt_fraction.
  return std::max(0.0, 1 - shunt_fraction_ / drug.model->oxygen().no_gain_shunt_fraction());
}

void Pharmacology::Recompute() {
  added_.fill(0);
  toward_weight_.fill(0);
  cause_.fill(0);
  std::array<double, vitals::kVitalFieldCount> strongest{};
  for (const Drug& drug : drugs_) {
    if (drug.effect_level <= 0) continue;
    ForEachResponse(drug, [&](int field, const v1::DrugResponse& response, double fraction) {
      if (fraction <= 0) return;
      if (response.has_toward()) {
        added_[field] += response.toward() * fraction;
        toward_weight_[field] += fraction;
      } else {
        added_[field] += response.max_change() * fraction;
      }
      // A trace of a drug wearing off is not what moves the vital.
      if (fraction >= kCauseFraction && fraction > strongest[field]) {
        strongest[field] = fraction;
        cause_[field] = drug.effect_event_id;
      }
    });
  }
}

std::optional<v1::Rhythm> Pharmacology::ToxicRhythm() const {
  std::optional<v1::Rhythm> rhythm;
  double highest = 0;
  for (const Drug& drug : drugs_) {
    for (size_t t = 0; t < drug.toxic.size(); ++t) {
      const v1::DrugToxicity& toxicity = drug.model->toxicities(static_cast<int>(t));
      if (!drug.toxic[t] || toxicity.rhythm() == v1::RHYTHM_UNSPECIFIED) continue;
      if (toxicity.above_level() > highest) {
        highest = toxicity.above_level();
        rhythm = toxicity.rhythm();
      }
    }
  }
  return rhythm;
}

std::vector<v1::DrugLevel> Pharmacology::Levels(
    const std::array<double, vitals::kVitalFieldCount>& values_without_drugs) const {
  std::vector<v1::DrugLevel> levels;
  for (const Drug& drug : drugs_) {
    if (drug.effect_level <= 0) continue;
    v1::DrugLevel& entry = levels.emplace_back();
    entry.set_drug(drug.model->name());
    entry.set_cause_event_id(drug.effect_event_id);
    entry.set_level(EffectiveLevel(drug));
    ForEachResponse(drug, [&](int field, const v1::DrugResponse& response, double fraction) {
      const double change = response.has_toward()
                                ? (response.toward() - values_without_drugs[field]) * fraction
                                : response.max_change() * fraction;
      const vitals::VitalField& vital = vitals::VitalFields()[field];
      const double before = (entry.changes().*vital.has)() ? (entry.changes().*vital.get)() : 0;
      (entry.mutable_changes()->*vital.set)(before + change);
    });
  }
  return levels;
}

double Pharmacology::Level(const std::string& name) const {
  for (const Drug& drug : drugs_) {
    if (NamedBy(*drug.model, name)) return EffectiveLevel(drug);
  }
  return 0;
}

}  // namespace pedisim::engine
