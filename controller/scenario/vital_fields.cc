#include "controller/scenario/vital_fields.h"

#include <string>

#include "controller/scenario/proto_scalar.h"

namespace pedisim::scenario {

namespace {
using V = v1::Vitals;

#define PEDISIM_VITAL(field, unit, lo, hi, mdc, mdc_code, mdc_unit, mdc_unit_code, ucum)   \
  VitalField {                                                                             \
#field, unit, lo, hi, #mdc, mdc_code, #mdc_unit, mdc_unit_code, ucum, &V::has_##field, \
        &V::field, &V::set_##field, &V::clear_##field                                      \
  }

// IEEE 11073-10101 terms and codes, checked against published IHE PCD-01
// messages that carry them as OBX-3 "code^MDC_REF^MDC" and OBX-6 units:
//  - MDC_ECG_HEART_RATE 147842, MDC_DIM_BEAT_PER_MIN 264864, MDC_DIM_MMHG
//    266016: GE B40 monitor HL7 interface manual 2062665-001, PCD-01 examples;
//  - MDC_PRESS_BLD_NONINV_SYS/DIA/MEAN 150021/150022/150023: the PCD-01
//    blood-pressure test messages of several open-source HL7 projects;
//  - MDC_PULS_OXIM_SAT_O2 150456, MDC_DIM_PERCENT 262688, MDC_RESP_RATE
//    151562, MDC_DIM_RESP_PER_MIN 264928, MDC_DIM_DEGC 268192: PCD-01
//    gateway sample messages; 150456 is also urn:iso:std:iso:11073:10101
//    in HL7 FHIR US Core's pulse-oximetry example;
//  - MDC_TEMP_BODY 150364: open-source 11073-PHD to PCD-01 encoders;
//  - MDC_AWAY_CO2_ET 151708: OpenICE (Rosetta) term lists only, no PCD-01
//    sample found. Check it against the Rosetta (RTMMS) table before a real
//    hospital system relies on it.
// A code is partition x 65536 + term code (2 = SCADA, 4 = dimensions).
const std::array<VitalField, kVitalFieldCount> kFields = {
    PEDISIM_VITAL(heart_rate_bpm, "bpm", 0, 350, MDC_ECG_HEART_RATE, 147842, MDC_DIM_BEAT_PER_MIN,
                  264864, "/min"),
    PEDISIM_VITAL(spo2_pct, "%", 0, 100, MDC_PULS_OXIM_SAT_O2, 150456, MDC_DIM_PERCENT, 262688,
                  "%"),
    PEDISIM_VITAL(respiratory_rate_bpm, "/min", 0, 150, MDC_RESP_RATE, 151562, MDC_DIM_RESP_PER_MIN,
                  264928, "/min"),
    PEDISIM_VITAL(nibp_systolic_mmhg, "mmHg", 0, 300, MDC_PRESS_BLD_NONINV_SYS, 150021,
                  MDC_DIM_MMHG, 266016, "mm[Hg]"),
    PEDISIM_VITAL(nibp_diastolic_mmhg, "mmHg", 0, 200, MDC_PRESS_BLD_NONINV_DIA, 150022,
                  MDC_DIM_MMHG, 266016, "mm[Hg]"),
    PEDISIM_VITAL(nibp_mean_mmhg, "mmHg", 0, 250, MDC_PRESS_BLD_NONINV_MEAN, 150023, MDC_DIM_MMHG,
                  266016, "mm[Hg]"),
    PEDISIM_VITAL(etco2_mmhg, "mmHg", 0, 150, MDC_AWAY_CO2_ET, 151708, MDC_DIM_MMHG, 266016,
                  "mm[Hg]"),
    PEDISIM_VITAL(temperature_c, "°C", 25, 45, MDC_TEMP_BODY, 150364, MDC_DIM_DEGC, 268192, "Cel"),
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
