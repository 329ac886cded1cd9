#pragma once

#include <array>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "pedisim/v1/vitals.pb.h"

// The one table of the numeric vitals: what every program (engine, checks,
// reports, CLI, dashboard, devices, HL7) knows of each one. Adding a vital
// is a field in proto/pedisim/v1/vitals.proto and a row here; everything
// that shows, checks, records or sends vitals walks this table
// (controller/tests/vital_table_test.cc proves the walk).
namespace pedisim::vitals {

// The PALS age bands, youngest first: a child belongs to the first band whose
// upper age it is below (docs/vitals.md).
struct AgeBandBounds {
  std::string_view name;
  double up_to_years;  // exclusive
};
inline constexpr AgeBandBounds kAgeBands[] = {
    {"neonate", 28.0 / 365.0}, {"infant", 1},      {"toddler", 3},
    {"preschool", 6},          {"school-age", 12}, {"adolescent", 1e9},
};
inline constexpr int kAgeBandCount = static_cast<int>(std::size(kAgeBands));

struct Limits {
  double low;
  double high;
};
using ByAgeBand = std::array<Limits, kAgeBandCount>;

// One numeric field of v1::Vitals, addressed without reflection so the engine
// tick stays cheap. The bounds are wide enough for deliberately extreme
// teaching cases (arrest, malignant hyperthermia): they catch typos and unit
// mix-ups such as Fahrenheit for Celsius, not clinical implausibility. The
// scenario checks and the RPC checks both reject values outside them.
//
// The IEEE 11073-10101 (MDC) terms are what devices and HL7 interfaces
// (IHE PCD-01 OBX-3 and OBX-6) need; keeping them here means one table maps
// the friendly names to the codes.
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

  // How people see it.
  std::string_view label;  // "HR"
  // Values shown together under one label ("NIBP 92/58 (69) mmHg"), in
  // table order; a member in parentheses is the group's derived value.
  std::string_view group;
  bool in_parentheses;
  int decimals;
  uint32_t monitor_rgb;  // on a monitor's black screen, by monitor convention
  uint32_t print_rgb;    // the same hue darkened for white paper
  Limits chart;          // the scale of trend plots and input sliders

  // How far the monitor's reading wanders around the patient's value (at
  // the scenario's noise_scale 1), in its unit.
  double noise_amplitude;
  // By age band: the normal range (flags abnormal values, questions
  // surprising scenario values) and the monitor's default alarm limits.
  ByAgeBand normal;
  std::string_view normal_source;
  std::optional<ByAgeBand> alarm;  // none: the monitor does not alarm on it
  // A well child's value when a scenario leaves it unset; the middle of the
  // normal range when not given.
  std::optional<double> well_value;

  bool (v1::Vitals::*has)() const;
  double (v1::Vitals::*get)() const;
  void (v1::Vitals::*set)(double);
  void (v1::Vitals::*clear)();
};

namespace table_detail {
constexpr ByAgeBand Scaled(const ByAgeBand& ranges, double low_factor, double high_factor) {
  ByAgeBand scaled{};
  for (int i = 0; i < kAgeBandCount; ++i) {
    scaled[i] = {ranges[i].low * low_factor, ranges[i].high * high_factor};
  }
  return scaled;
}
constexpr ByAgeBand Everywhere(Limits limits) {
  ByAgeBand all{};
  for (Limits& band : all) band = limits;
  return all;
}
}  // namespace table_detail

#define PEDISIM_VITAL_ACCESSORS(field)                                                         \
  .has = &v1::Vitals::has_##field, .get = &v1::Vitals::field, .set = &v1::Vitals::set_##field, \
  .clear = &v1::Vitals::clear_##field

// Sources (docs/vitals.md has the full references):
//  - MDC terms and codes, checked against published IHE PCD-01 messages that
//    carry them as OBX-3 "code^MDC_REF^MDC" and OBX-6 units: MDC_ECG_HEART_RATE
//    147842, MDC_DIM_BEAT_PER_MIN 264864, MDC_DIM_MMHG 266016 (GE B40 monitor
//    HL7 interface manual 2062665-001, PCD-01 examples);
//    MDC_PRESS_BLD_NONINV_SYS/DIA/MEAN 150021/150022/150023 (PCD-01 test
//    messages of several open-source HL7 projects); MDC_PULS_OXIM_SAT_O2
//    150456, MDC_DIM_PERCENT 262688, MDC_RESP_RATE 151562,
//    MDC_DIM_RESP_PER_MIN 264928, MDC_DIM_DEGC 268192 (PCD-01 gateway sample
//    messages; 150456 is also urn:iso:std:iso:11073:10101 in HL7 FHIR US
//    Core's pulse-oximetry example); MDC_TEMP_BODY 150364 (open-source
//    11073-PHD to PCD-01 encoders); MDC_AWAY_CO2_ET 151708 (OpenICE
//    (Rosetta) term lists only, no PCD-01 sample found: check it against the
//    Rosetta (RTMMS) table before a real hospital system relies on it).
//  - Normal ranges: PALS tables [S1, S2] (clinical reference §1a HR awake and
//    RR, §1b SBP, DBP, MAP); SpO2 below 92 % should prompt concern, O2 below
//    94 % [S1, S21b]; normocapnia 35-45 [S8, S9]; temperature between the
//    SIRS bounds, §1d [S10].
//  - Alarm limits: never inside the band's normal range (the low at or
//    below the normal low, the high at or above the normal high; the HL7
//    test hl7_message_test.cc checks every band). HR and SpO2 the factory
//    defaults by patient category, §6b [S38a, S38b] (neonate / pediatric /
//    adult for the adolescent), widened where a default fell inside the
//    normal range (neonatal HR high and SpO2 high, infant HR high); SBP
//    low at the PALS hypotension threshold, §1c [S3, S5] (70 + 2 x age from
//    1 to 10 years: AgeBandFor); EtCO2 and temperature LIFEPAK 15 defaults
//    [S38d]; no pediatric respiratory-rate default is sourced, so the RR alarm
//    sits 30 % beyond the band's normal range [model].
//  - Noise amplitudes: [model], a monitor's numerics wandering by about
//    their display resolution.
// One band per column reads as the table it is:
// neonate, infant, toddler, preschool, school-age, adolescent.
// clang-format off
inline constexpr ByAgeBand kRespiratoryRateNormal = {{{30, 53}, {30, 53}, {22, 37}, {20, 28}, {18, 25}, {12, 20}}};
inline constexpr ByAgeBand kSystolicNormal = {{{67, 84}, {72, 104}, {86, 106}, {89, 112}, {97, 115}, {110, 131}}};

inline constexpr VitalField kVitalTable[] = {
    {.name = "heart_rate_bpm", .unit = "bpm", .min = 0, .max = 350,
     .mdc_ref = "MDC_ECG_HEART_RATE", .mdc_code = 147842, .mdc_unit_ref = "MDC_DIM_BEAT_PER_MIN",
     .mdc_unit_code = 264864, .ucum_unit = "/min",
     .label = "HR", .group = "", .in_parentheses = false, .decimals = 0,
     .monitor_rgb = 0x00e640, .print_rgb = 0x138a36, .chart = {0, 300},
     .noise_amplitude = 1.5,
     .normal = {{{100, 205}, {100, 180}, {98, 140}, {80, 120}, {75, 118}, {60, 100}}},
     .normal_source = "PALS, clinical.md §1a",
     // Factory defaults (§6b) except where one would sit inside the band's
     // normal range: the neonatal 200 is raised to the normal high 205
     // [model]; the pediatric 160 sits below an infant's normal 180, so an
     // infant alarms above 180, the SIRS tachycardia bound for 1 month to
     // 2 years, §1e [S10].
     .alarm = ByAgeBand{{{100, 205}, {75, 180}, {75, 160}, {75, 160}, {75, 160}, {50, 120}}},
     .well_value = std::nullopt, PEDISIM_VITAL_ACCESSORS(heart_rate_bpm)},
    {.name = "spo2_pct", .unit = "%", .min = 0, .max = 100,
     .mdc_ref = "MDC_PULS_OXIM_SAT_O2", .mdc_code = 150456, .mdc_unit_ref = "MDC_DIM_PERCENT",
     .mdc_unit_code = 262688, .ucum_unit = "%",
     .label = "SpO2", .group = "", .in_parentheses = false, .decimals = 0,
     .monitor_rgb = 0x00dcff, .print_rgb = 0x00838f, .chart = {0, 100},
     .noise_amplitude = 0.4,
     .normal = table_detail::Everywhere({94, 100}),
     .normal_source = "PALS, clinical.md [S1, S21b]",
     // The neonatal factory high of 95 % (§6b) guards preterm babies on
     // oxygen; with 94-100 % normal it would alarm on a well neonate, so the
     // high is 100 % as for every other band [model].
     .alarm = ByAgeBand{{{85, 100}, {90, 100}, {90, 100}, {90, 100}, {90, 100}, {90, 100}}},
     // A well child saturates near the top of the range, not at its middle.
     .well_value = 98, PEDISIM_VITAL_ACCESSORS(spo2_pct)},
    {.name = "respiratory_rate_bpm", .unit = "/min", .min = 0, .max = 150,
     .mdc_ref = "MDC_RESP_RATE", .mdc_code = 151562, .mdc_unit_ref = "MDC_DIM_RESP_PER_MIN",
     .mdc_unit_code = 264928, .ucum_unit = "/min",
     .label = "RR", .group = "", .in_parentheses = false, .decimals = 0,
     .monitor_rgb = 0xebebeb, .print_rgb = 0x455a64, .chart = {0, 120},
     .noise_amplitude = 1.0,
     .normal = kRespiratoryRateNormal,
     .normal_source = "PALS, clinical.md §1a",
     .alarm = table_detail::Scaled(kRespiratoryRateNormal, 0.7, 1.3),
     .well_value = std::nullopt, PEDISIM_VITAL_ACCESSORS(respiratory_rate_bpm)},
    {.name = "nibp_systolic_mmhg", .unit = "mmHg", .min = 0, .max = 300,
     .mdc_ref = "MDC_PRESS_BLD_NONINV_SYS", .mdc_code = 150021, .mdc_unit_ref = "MDC_DIM_MMHG",
     .mdc_unit_code = 266016, .ucum_unit = "mm[Hg]",
     .label = "SBP", .group = "NIBP", .in_parentheses = false, .decimals = 0,
     .monitor_rgb = 0xff4646, .print_rgb = 0xc62828, .chart = {0, 250},
     .noise_amplitude = 1.5,
     .normal = kSystolicNormal,
     .normal_source = "PALS, clinical.md §1b",
     // High: 30 above the band's normal high [model]; low: see AgeBandFor.
     .alarm = ByAgeBand{{{60, 114}, {70, 134}, {70, 136}, {70, 142}, {70, 145}, {90, 161}}},
     .well_value = std::nullopt, PEDISIM_VITAL_ACCESSORS(nibp_systolic_mmhg)},
    {.name = "nibp_diastolic_mmhg", .unit = "mmHg", .min = 0, .max = 200,
     .mdc_ref = "MDC_PRESS_BLD_NONINV_DIA", .mdc_code = 150022, .mdc_unit_ref = "MDC_DIM_MMHG",
     .mdc_unit_code = 266016, .ucum_unit = "mm[Hg]",
     .label = "DBP", .group = "NIBP", .in_parentheses = false, .decimals = 0,
     .monitor_rgb = 0xff4646, .print_rgb = 0x8e0000, .chart = {0, 200},
     .noise_amplitude = 1.0,
     .normal = {{{35, 53}, {37, 56}, {42, 63}, {46, 72}, {57, 76}, {64, 83}}},
     .normal_source = "PALS, clinical.md §1b",
     .alarm = std::nullopt,
     .well_value = std::nullopt, PEDISIM_VITAL_ACCESSORS(nibp_diastolic_mmhg)},
    {.name = "nibp_mean_mmhg", .unit = "mmHg", .min = 0, .max = 250,
     .mdc_ref = "MDC_PRESS_BLD_NONINV_MEAN", .mdc_code = 150023, .mdc_unit_ref = "MDC_DIM_MMHG",
     .mdc_unit_code = 266016, .ucum_unit = "mm[Hg]",
     .label = "MAP", .group = "NIBP", .in_parentheses = true, .decimals = 0,
     .monitor_rgb = 0xff4646, .print_rgb = 0xe57373, .chart = {0, 220},
     // Derived from systolic and diastolic unless scripted: their noise is its.
     .noise_amplitude = 0.0,
     .normal = {{{45, 60}, {50, 62}, {49, 62}, {58, 69}, {66, 72}, {73, 84}}},
     .normal_source = "PALS, clinical.md §1b",
     .alarm = std::nullopt,
     .well_value = std::nullopt, PEDISIM_VITAL_ACCESSORS(nibp_mean_mmhg)},
    {.name = "etco2_mmhg", .unit = "mmHg", .min = 0, .max = 150,
     .mdc_ref = "MDC_AWAY_CO2_ET", .mdc_code = 151708, .mdc_unit_ref = "MDC_DIM_MMHG",
     .mdc_unit_code = 266016, .ucum_unit = "mm[Hg]",
     .label = "EtCO2", .group = "", .in_parentheses = false, .decimals = 0,
     .monitor_rgb = 0xffe600, .print_rgb = 0xa07800, .chart = {0, 150},
     .noise_amplitude = 0.7,
     .normal = table_detail::Everywhere({35, 45}),
     .normal_source = "normocapnia, clinical.md [S8, S9]",
     .alarm = table_detail::Everywhere({15, 50}),
     .well_value = std::nullopt, PEDISIM_VITAL_ACCESSORS(etco2_mmhg)},
    {.name = "temperature_c", .unit = "°C", .min = 25, .max = 45,
     .mdc_ref = "MDC_TEMP_BODY", .mdc_code = 150364, .mdc_unit_ref = "MDC_DIM_DEGC",
     .mdc_unit_code = 268192, .ucum_unit = "Cel",
     .label = "Temp", .group = "", .in_parentheses = false, .decimals = 1,
     .monitor_rgb = 0xff96ff, .print_rgb = 0x8e24aa, .chart = {25, 45},
     .noise_amplitude = 0.02,
     .normal = table_detail::Everywhere({36.0, 38.0}),
     .normal_source = "SIRS bounds, clinical.md §1d",
     .alarm = table_detail::Everywhere({35, 39}),
     .well_value = 37.0, PEDISIM_VITAL_ACCESSORS(temperature_c)},
};
// clang-format on
#undef PEDISIM_VITAL_ACCESSORS

inline constexpr int kVitalFieldCount = static_cast<int>(std::size(kVitalTable));

// The table, in display order.
inline std::span<const VitalField, kVitalFieldCount> VitalFields() { return kVitalTable; }

// Index into VitalFields() of the field called `name`, if there is one.
constexpr std::optional<int> VitalFieldIndex(std::string_view name) {
  for (int i = 0; i < kVitalFieldCount; ++i) {
    if (kVitalTable[i].name == name) return i;
  }
  return std::nullopt;
}

// The index of a field that code names ("spo2_pct"), found at compile time:
// the engine asks for a few fields by name at every step, and a misspelt
// name is a build error rather than an empty optional at run time.
consteval int FieldIndexOf(std::string_view name) { return VitalFieldIndex(name).value(); }
const VitalField* FindVitalField(std::string_view name);

// "heart_rate_bpm, spo2_pct, ..." for error messages.
std::string VitalFieldNames();

// The value of `field` in `vitals`, when set.
std::optional<double> ValueOf(const v1::Vitals& vitals, const VitalField& field);

// The value with the field's decimals ("92", "37.4").
std::string FormatValue(const VitalField& field, double value);

// Short human name of a rhythm ("sinus_tachycardia").
std::string RhythmName(v1::Rhythm rhythm);

}  // namespace pedisim::vitals
