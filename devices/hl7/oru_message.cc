#include "devices/hl7/oru_message.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
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

// What a receiver reads of a number: Number() keeps one decimal.
double AsSent(double value) { return std::round(value * 10.0) / 10.0; }

// OBX-8 without a reference range (no age band known yet): the engine's
// own flags can only say "abnormal", with no direction to check against.
std::string FlagWithoutRange(const v1::VitalsSample& sample, std::string_view vital) {
  if (Listed(sample.alarming(), vital)) return "AA";
  if (Listed(sample.abnormal(), vital)) return "A";
  return "";
}

// PV1-3 as point of care^room^bed, without trailing empty components.
std::string Location(const PatientMarking& marking) {
  std::string location =
      Escape(marking.point_of_care) + "^" + Escape(marking.room) + "^" + Escape(marking.bed);
  while (!location.empty() && location.back() == '^') location.pop_back();
  return location;
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

std::string AbnormalFlag(double value, const v1::VitalRange& normal,
                         const std::optional<v1::VitalRange>& alarm) {
  const double sent = AsSent(value);
  const double low = AsSent(normal.low());
  const double high = AsSent(normal.high());
  if (sent > high) return alarm && sent > std::max(AsSent(alarm->high()), high) ? "HH" : "H";
  if (sent < low) return alarm && sent < std::min(AsSent(alarm->low()), low) ? "LL" : "L";
  return "";
}

std::string BuildOruR01(const OruInput& input) {
  const MessageHeader& h = input.header;
  const std::string observed = Timestamp(input.observation_time);
  const PatientMarking& marking = input.marking;
  // OBX-18: the monitor's EUI-64, the equipment instance identifier of
  // IHE PCD-01.
  const std::string equipment = Escape(marking.device_eui64) + "^EUI-64";
  // Without a session id (no snapshot seen yet) PID-3 stays empty.
  const std::string patient_id =
      input.session_id.empty() ? ""
                               : Escape(marking.mrn_prefix + input.session_id) + "^^^PEDISIM^MR";
  std::string out;
  out += fmt::format(
      "MSH|^~\\&|{}|{}|{}|{}|{}||ORU^R01^ORU_R01|{}|{}|2.6|||NE|AL||UNICODE UTF-8|||{}\r",
      Escape(h.sending_application), Escape(h.sending_facility), Escape(h.receiving_application),
      Escape(h.receiving_facility), Timestamp(input.message_time), Escape(input.control_id),
      Escape(h.processing_id), kPcd01Profile);
  // PID-3 identifies the simulated patient by session, behind a prefix no
  // real MRN has; PID-5's family name is the simulation marker and the
  // scenario's name (which cannot be split reliably) the given name, so no
  // simulated patient looks real. HL7 has no age field and a made-up birth
  // date would be worse than none, so PID-7 stays empty.
  std::string name = Escape(marking.name_marker);
  if (!input.patient.name().empty()) {
    name += '^';
    name += Escape(input.patient.name());
  }
  out += fmt::format("PID|||{}||{}|||{}\r", patient_id, name, Sex(input.patient.sex()));
  out += fmt::format("PV1||{}|{}\r", Escape(marking.patient_class), Location(marking));
  const std::string order = Escape(input.control_id) + "^PEDISIM";
  out += fmt::format("OBR|1|{}|{}|{}|||{}\r", order, order, kMonitoringOfPatient, observed);
  out += fmt::format("OBX|1||{}|1.0.0.0|||||||X|||||||{}\r", kMonitorMds, equipment);

  int set_id = 1;
  for (size_t i = 0; i < vitals::VitalFields().size(); ++i) {
    const vitals::VitalField& field = vitals::VitalFields()[i];
    // NIBP is a measurement: only a new reading goes out, with its time.
    const bool measured = field.group == "NIBP";
    if (measured && !input.nibp) continue;
    const v1::Vitals& vitals = measured ? input.nibp->values : input.sample.vitals();
    if (!(vitals.*field.has)()) continue;
    const double value = (vitals.*field.get)();
    const std::string taken = measured ? Timestamp(input.nibp->taken_at) : observed;
    const std::optional<v1::VitalRange> normal = FindRange(input.age_band.normal(), field.name);
    std::string range;
    std::string flag;
    if (normal) {
      range = Number(normal->low()) + "-" + Number(normal->high());
      flag = AbnormalFlag(value, *normal, FindRange(input.age_band.alarm_limits(), field.name));
    } else {
      flag = FlagWithoutRange(input.sample, field.name);
    }
    // OBX-4 1.0.0.<n>: metric n of the monitor, the same n for the same
    // vital in every message. OBX-11 "R": device data nobody has verified,
    // as PCD-01 reports periodic numerics.
    out += fmt::format("OBX|{}|NM|{}^{}^MDC|1.0.0.{}|{}|{}^{}^MDC|{}|{}|||R|||{}||||{}\r", ++set_id,
                       field.mdc_code, field.mdc_ref, i + 1, Number(value), field.mdc_unit_code,
                       field.mdc_unit_ref, range, flag, taken, equipment);
  }
  return out;
}

}  // namespace pedisim::devices::hl7
