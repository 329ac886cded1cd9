#include "controller/scenario/vital_fields.h"

#include <string>

#include "controller/scenario/proto_scalar.h"

namespace pedisim::scenario {

namespace {
using V = v1::Vitals;

#define PEDISIM_VITAL(field, unit, lo, hi)                                               \
  VitalField {                                                                           \
#field, unit, lo, hi, &V::has_##field, &V::field, &V::set_##field, &V::clear_##field \
  }

const std::array<VitalField, kVitalFieldCount> kFields = {
    PEDISIM_VITAL(heart_rate_bpm, "bpm", 0, 350),
    PEDISIM_VITAL(spo2_pct, "%", 0, 100),
    PEDISIM_VITAL(respiratory_rate_bpm, "/min", 0, 150),
    PEDISIM_VITAL(nibp_systolic_mmhg, "mmHg", 0, 300),
    PEDISIM_VITAL(nibp_diastolic_mmhg, "mmHg", 0, 200),
    PEDISIM_VITAL(nibp_mean_mmhg, "mmHg", 0, 250),
    PEDISIM_VITAL(etco2_mmhg, "mmHg", 0, 150),
    PEDISIM_VITAL(temperature_c, "°C", 25, 45),
};

#undef PEDISIM_VITAL
}  // namespace

const std::array<VitalField, kVitalFieldCount>& VitalFields() { return kFields; }

std::optional<int> VitalFieldIndex(std::string_view name) {
  for (int i = 0; i < kVitalFieldCount; ++i) {
    if (kFields[i].name == name) return i;
  }
  return std::nullopt;
}

std::string VitalFieldNames() {
  std::string names;
  for (const auto& field : kFields) {
    if (!names.empty()) names += ", ";
    names += field.name;
  }
  return names;
}

std::string RhythmName(v1::Rhythm rhythm) {
  return ShortEnumName(*v1::Rhythm_descriptor(), rhythm);
}

}  // namespace pedisim::scenario
