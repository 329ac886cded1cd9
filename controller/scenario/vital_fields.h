#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pedisim/v1/vitals.pb.h"

namespace pedisim::scenario {

// One numeric field of v1::Vitals, addressed without reflection so the engine
// tick stays cheap. The bounds are wide enough for deliberately extreme
// teaching cases (arrest, malignant hyperthermia): they catch typos and unit
// mix-ups such as Fahrenheit for Celsius, not clinical implausibility. The
// scenario checks and the RPC checks both reject values outside them.
//
// The IEEE 11073-10101 (MDC) terms are what devices and HL7 interfaces
// (IHE PCD-01 OBX-3 and OBX-6) need; keeping them here means one table maps
// the friendly names to the codes. Sources are cited in vital_fields.cc.
struct VitalField {
  std::string_view name;  // the proto field name, as scenario authors write it
  std::string_view unit;
  double min;
  double max;
  std::string_view mdc_ref;       // "MDC_ECG_HEART_RATE"
  uint32_t mdc_code;              // 147842: partition 2 (SCADA) x 65536 + term code
  std::string_view mdc_unit_ref;  // "MDC_DIM_BEAT_PER_MIN"
  uint32_t mdc_unit_code;         // 264864: partition 4 (dimensions) x 65536 + term code
  std::string_view ucum_unit;     // "/min"
  bool (v1::Vitals::*has)() const;
  double (v1::Vitals::*get)() const;
  void (v1::Vitals::*set)(double);
  void (v1::Vitals::*clear)();
};

inline constexpr int kVitalFieldCount = 8;
const std::array<VitalField, kVitalFieldCount>& VitalFields();

// Index into VitalFields() of the field called `name`, if there is one.
std::optional<int> VitalFieldIndex(std::string_view name);

// "heart_rate_bpm, spo2_pct, ..." for error messages.
std::string VitalFieldNames();

// Short human name of a rhythm ("sinus_tachycardia").
std::string RhythmName(v1::Rhythm rhythm);

}  // namespace pedisim::scenario
