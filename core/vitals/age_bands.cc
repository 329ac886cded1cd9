#include "core/vitals/age_bands.h"

#include <algorithm>
#include <cmath>

#include "core/vitals/vital_table.h"

namespace pedisim::vitals {

namespace {

void Add(google::protobuf::RepeatedPtrField<v1::VitalRange>* ranges, std::string_view vital,
         Limits limits) {
  v1::VitalRange* range = ranges->Add();
  range->set_vital(std::string(vital));
  range->set_low(limits.low);
  range->set_high(limits.high);
}

int BandIndex(double age_years) {
  for (int i = 0; i < kAgeBandCount; ++i) {
    if (age_years < kAgeBands[i].up_to_years) return i;
  }
  return kAgeBandCount - 1;
}

}  // namespace

v1::AgeBand AgeBandFor(double age_years) {
  const int band = BandIndex(age_years);
  v1::AgeBand result;
  result.set_name(std::string(kAgeBands[band].name));
  for (const VitalField& field : VitalFields()) {
    Add(result.mutable_normal(), field.name, field.normal[band]);
    if (!field.alarm) continue;
    Limits alarm = (*field.alarm)[band];
    // Hypotension by age: < 70 + 2 x age in years from 1 to 10 years [S5, S6].
    if (field.name == "nibp_systolic_mmhg" && age_years >= 1 && age_years < 10) {
      alarm.low = 70 + 2 * std::floor(age_years);
    }
    Add(result.mutable_alarm_limits(), field.name, alarm);
  }
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
  const VitalField* field = FindVitalField(vital);
  return field ? field->normal_source : "";
}

v1::Vitals NormalVitals(const v1::AgeBand& band) {
  v1::Vitals vitals;
  for (const VitalField& field : VitalFields()) {
    if (field.well_value) {
      (vitals.*field.set)(*field.well_value);
    } else if (std::optional<v1::VitalRange> range = RangeOf(band.normal(), field.name)) {
      (vitals.*field.set)((range->low() + range->high()) / 2);
    }
  }
  vitals.set_rhythm(v1::RHYTHM_SINUS);
  return vitals;
}

}  // namespace pedisim::vitals
