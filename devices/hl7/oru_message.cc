#include "devices/hl7/oru_message.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "core/vitals/vital_table.h"
#include "devices/hl7/hl7_encoding.h"

namespace pedisim::devices::hl7 {

namespace {

// IHE PCD-01's message profile id (PCD TF-2, MSH-21).
constexpr char kPcd01Profile[] = "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO";
// OBR-4 of PCD-01: SNOMED CT "monitoring of patient".
constexpr char kMonitoringOfPatient[] = "182777000^monitoring of patient^SCT";
// The top of the PCD-01 containment tree (MDS): a multi-parameter monitor.
constexpr char kMonitorMds[] = "69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC";

std::optional<v1::VitalRange> FindRange(
    const google::protobuf::RepeatedPtrField<v1::VitalRange>& ranges, std::string_view vital) {
  for (const v1::VitalRange& range : ranges) {
    if (range.vital() == vital) return range;
  }
  return std::nullopt;
}

bool Listed(const google::protobuf::RepeatedPtrField<std::string>& names, std::string_view vital) {
  return std::find(names.begin(), names.end(), vital) != names.end();
}

// OBX-8 (HL7 table 0078) from the engine's own flags: beyond the alarm
// limits is HH/LL, outside the normal range H/L. The direction comes from the
// age band's range; without one the flag can only say "abnormal".
std::string AbnormalFlag(const OruInput& input, std::string_view vital, double value) {
  const v1::VitalsSample& sample = input.sample;
  const bool alarming = Listed(sample.alarming(), vital);
  if (!alarming && !Listed(sample.abnormal(), vital)) return "";
  std::optional<v1::VitalRange> range =
      FindRange(alarming ? input.age_band.alarm_limits() : input.age_band.normal(), vital);
  if (!range) range = FindRange(input.age_band.normal(), vital);
  const char* high = alarming ? "HH" : "H";
  const char* low = alarming ? "LL" : "L";
  if (range && value > range->high()) return high;
  if (range && value < range->low()) return low;
  return alarming ? "AA" : "A";
}

std::string Sex(v1::Sex sex) {
  switch (sex) {
    case v1::SEX_FEMALE:
      return "F";
    case v1::SEX_MALE:
      return "M";
    default:
      return "U";
  }
}

}  // namespace

std::string BuildOruR01(const OruInput& input) {
  const MessageHeader& h = input.header;
  const std::string observed = Timestamp(input.observation_time);
  // Without a session id (no snapshot seen yet) PID-3 stays empty and the
  // equipment is just PediSim.
  const std::string equipment =
      input.session_id.empty() ? "PEDISIM" : Escape(input.session_id) + "^PEDISIM";
  const std::string patient_id =
      input.session_id.empty() ? "" : Escape(input.session_id) + "^^^PEDISIM^MR";
  std::string out;
  out += fmt::format(
      "MSH|^~\\&|{}|{}|{}|{}|{}||ORU^R01^ORU_R01|{}|{}|2.6|||NE|AL||UNICODE UTF-8|||{}\r",
      Escape(h.sending_application), Escape(h.sending_facility), Escape(h.receiving_application),
      Escape(h.receiving_facility), Timestamp(input.message_time), Escape(input.control_id),
      Escape(h.processing_id), kPcd01Profile);
  // PID-3 identifies the simulated patient by session; PID-5 holds the
  // scenario's name whole, since it cannot be split into family and given
  // names reliably. HL7 has no age field and a made-up birth date would be
  // worse than none, so PID-7 stays empty.
  out += fmt::format("PID|||{}||{}|||{}\r", patient_id, Escape(input.patient.name()),
                     Sex(input.patient.sex()));
  out += "PV1||I\r";
  const std::string order = Escape(input.control_id) + "^PEDISIM";
  out += fmt::format("OBR|1|{}|{}|{}|||{}\r", order, order, kMonitoringOfPatient, observed);
  out += fmt::format("OBX|1||{}|1.0.0.0|||||||X|||||||{}\r", kMonitorMds, equipment);

  const v1::Vitals& vitals = input.sample.vitals();
  int set_id = 1;
  for (size_t i = 0; i < vitals::VitalFields().size(); ++i) {
    const vitals::VitalField& field = vitals::VitalFields()[i];
    if (!(vitals.*field.has)()) continue;
    const double value = (vitals.*field.get)();
    const std::optional<v1::VitalRange> normal = FindRange(input.age_band.normal(), field.name);
    const std::string range =
        normal ? Number(normal->low()) + "-" + Number(normal->high()) : std::string();
    // OBX-4 1.0.0.<n>: metric n of the monitor, the same n for the same
    // vital in every message. OBX-11 "R": device data nobody has verified,
    // as PCD-01 reports periodic numerics.
    out += fmt::format("OBX|{}|NM|{}^{}^MDC|1.0.0.{}|{}|{}^{}^MDC|{}|{}|||R|||{}||||{}\r", ++set_id,
                       field.mdc_code, field.mdc_ref, i + 1, Number(value), field.mdc_unit_code,
                       field.mdc_unit_ref, range, AbnormalFlag(input, field.name, value), observed,
                       equipment);
  }
  return out;
}

}  // namespace pedisim::devices::hl7
