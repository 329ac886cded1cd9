#include "controller/scenario/age_bands.h"

#include <algorithm>
#include <cmath>

#include "controller/scenario/vital_fields.h"

namespace pedisim::scenario {

namespace {

struct Limits {
  double low;
  double high;
};

struct BandTable {
  const char* name;
  double up_to_years;  // exclusive
  // Normal ranges, ../shared/reference/clinical.md §1a (HR awake, RR) and
  // §1b (SBP, DBP, MAP), PALS tables [S1, S2].
  Limits heart_rate, respiratory_rate, systolic, diastolic, mean;
  // Monitor alarm limits: HR and SpO2 from the factory defaults by patient
  // category, §6b [S38a, S38b] (neonate / pediatric / adult for the
  // adolescent); SBP low at the PALS hypotension threshold, §1c [S3, S5].
  Limits heart_rate_alarm, spo2_alarm;
  double systolic_alarm_low;
};

// One band per row reads as the table it is.
// clang-format off
constexpr BandTable kBands[] = {
    {"neonate", 28.0 / 365.0, {100, 205}, {30, 53}, {67, 84}, {35, 53}, {45, 60},
     {100, 200}, {85, 95}, 60},
    {"infant", 1, {100, 180}, {30, 53}, {72, 104}, {37, 56}, {50, 62},
     {75, 160}, {90, 100}, 70},
    {"toddler", 3, {98, 140}, {22, 37}, {86, 106}, {42, 63}, {49, 62},
     {75, 160}, {90, 100}, 70},
    {"preschool", 6, {80, 120}, {20, 28}, {89, 112}, {46, 72}, {58, 69},
     {75, 160}, {90, 100}, 70},
    {"school-age", 12, {75, 118}, {18, 25}, {97, 115}, {57, 76}, {66, 72},
     {75, 160}, {90, 100}, 70},
    {"adolescent", 1e9, {60, 100}, {12, 20}, {110, 131}, {64, 83}, {73, 84},
     {50, 120}, {90, 100}, 90},
};
// clang-format on

void Add(google::protobuf::RepeatedPtrField<v1::VitalRange>* ranges, std::string_view vital,
         Limits limits) {
  v1::VitalRange* range = ranges->Add();
  range->set_vital(std::string(vital));
  range->set_low(limits.low);
  range->set_high(limits.high);
}

}  // namespace

v1::AgeBand AgeBandFor(double age_years) {
  const BandTable* band = &kBands[0];
  for (const BandTable& candidate : kBands) {
    band = &candidate;
    if (age_years < candidate.up_to_years) break;
  }
  v1::AgeBand result;
  result.set_name(band->name);
  auto* normal = result.mutable_normal();
  Add(normal, "heart_rate_bpm", band->heart_rate);
  // SpO2: below 92 % should prompt concern, O2 below 94 % [S1, S21b].
  Add(normal, "spo2_pct", {94, 100});
  Add(normal, "respiratory_rate_bpm", band->respiratory_rate);
  Add(normal, "nibp_systolic_mmhg", band->systolic);
  Add(normal, "nibp_diastolic_mmhg", band->diastolic);
  Add(normal, "nibp_mean_mmhg", band->mean);
  // Normocapnia 35-45 [S8, S9]; temperature between the SIRS bounds, §1d [S10].
  Add(normal, "etco2_mmhg", {35, 45});
  Add(normal, "temperature_c", {36.0, 38.0});

  auto* alarms = result.mutable_alarm_limits();
  Add(alarms, "heart_rate_bpm", band->heart_rate_alarm);
  Add(alarms, "spo2_pct", band->spo2_alarm);
  // No pediatric respiratory-rate default is sourced: the alarm sits 30 %
  // beyond the band's normal range.
  Add(alarms, "respiratory_rate_bpm",
      {band->respiratory_rate.low * 0.7, band->respiratory_rate.high * 1.3});
  // Hypotension by age: < 70 + 2 x age in years from 1 to 10 years [S5, S6].
  double systolic_low = band->systolic_alarm_low;
  if (age_years >= 1 && age_years < 10) systolic_low = 70 + 2 * std::floor(age_years);
  Add(alarms, "nibp_systolic_mmhg", {systolic_low, band->systolic.high + 30});
  // EtCO2 and temperature: LIFEPAK 15 defaults [S38d].
  Add(alarms, "etco2_mmhg", {15, 50});
  Add(alarms, "temperature_c", {35, 39});
  return result;
}

std::optional<v1::VitalRange> RangeOf(
    const google::protobuf::RepeatedPtrField<v1::VitalRange>& ranges, std::string_view vital) {
  for (const v1::VitalRange& range : ranges) {
    if (range.vital() == vital) return range;
  }
  return std::nullopt;
}

std::string_view NormalRangeSource(std::string_view vital) {
  // The same references as the table and AgeBandFor above.
  if (vital == "heart_rate_bpm" || vital == "respiratory_rate_bpm") return "PALS, clinical.md §1a";
  if (vital.starts_with("nibp_")) return "PALS, clinical.md §1b";
  if (vital == "spo2_pct") return "PALS, clinical.md [S1, S21b]";
  if (vital == "etco2_mmhg") return "normocapnia, clinical.md [S8, S9]";
  if (vital == "temperature_c") return "SIRS bounds, clinical.md §1d";
  return "";
}

v1::Vitals NormalVitals(const v1::AgeBand& band) {
  v1::Vitals vitals;
  for (const VitalField& field : VitalFields()) {
    if (std::optional<v1::VitalRange> range = RangeOf(band.normal(), field.name)) {
      (vitals.*field.set)((range->low() + range->high()) / 2);
    }
  }
  // A well child saturates near the top of the range, not at its middle.
  vitals.set_spo2_pct(98);
  vitals.set_temperature_c(37.0);
  vitals.set_rhythm(v1::RHYTHM_SINUS);
  return vitals;
}

}  // namespace pedisim::scenario
