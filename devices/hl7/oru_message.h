#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "pedisim/v1/scenario.pb.h"
#include "pedisim/v1/vitals.pb.h"

namespace pedisim::devices::hl7 {

// Who sends and who receives, as MSH-3 to MSH-6 and MSH-11 say it.
struct MessageHeader {
  std::string sending_application = "PEDISIM";
  std::string sending_facility = "PEDISIM";
  std::string receiving_application;
  std::string receiving_facility;
  // HL7 table 0103: "T" (training) by default, so that a hospital system
  // that honours it never files simulated vitals in a real chart.
  std::string processing_id = "T";
};

// What makes a simulated patient recognisable as one and places it in the
// hospital: PID-3, PID-5, PV1-2, PV1-3 and OBX-18 (see docs/devices.md).
struct PatientMarking {
  // Before the session id in PID-3 ("SIM-" + id): never a real MRN.
  std::string mrn_prefix = "SIM-";
  // PID-5's family name; the scenario's name is the given name.
  std::string name_marker = "SIMULATION";
  // PV1-2 (HL7 table 0004): I inpatient, E emergency, O outpatient, ...
  std::string patient_class = "I";
  // PV1-3 (PL): point of care, room, bed; each may be empty.
  std::string point_of_care;
  std::string room;
  std::string bed;
  // OBX-18 as "<16 hex digits>^EUI-64" (IEEE 11073 / IHE PCD-01).
  std::string device_eui64 = "0200000000000000";
};

// A non-invasive blood pressure reading: one measurement, not a stream.
struct NibpReading {
  v1::Vitals values;  // the nibp_* fields of the reading
  std::chrono::system_clock::time_point taken_at;
};

// Everything one ORU^R01 says; the builder adds nothing of its own.
struct OruInput {
  MessageHeader header;
  PatientMarking marking;
  std::string control_id;                              // MSH-10, echoed in MSA-2
  std::chrono::system_clock::time_point message_time;  // MSH-7
  // When the numerics were taken (OBX-14, OBR-7): the wall time the session
  // published them.
  std::chrono::system_clock::time_point observation_time;
  // PID-3 and OBX-18: which simulated patient and monitor. The session id,
  // patient and age band come from session snapshots; each may be empty.
  std::string session_id;
  v1::Patient patient;
  v1::AgeBand age_band;  // normal ranges for OBX-7 and OBX-8
  // The continuous numerics. Its NIBP fields are ignored: NIBP goes out only
  // as `nibp`, the reading of a new measurement.
  v1::VitalsSample sample;
  std::optional<NibpReading> nibp;
};

// OBX-8 (HL7 table 0078) of a value as sent, against the reference range
// sent in OBX-7 (`normal`) and the monitor's alarm limits: inside the range
// "" (no flag), beyond it "H"/"L", beyond the alarm limits too "HH"/"LL".
// An alarm limit inside the normal range counts as the range's bound, so a
// value inside the sent range is never flagged.
std::string AbnormalFlag(double value, const v1::VitalRange& normal,
                         const std::optional<v1::VitalRange>& alarm);

// An HL7 v2.6 ORU^R01 shaped after IHE PCD-01 (Communicate PCD Data):
// MSH, PID, PV1, OBR, one OBX for the monitor (1.0.0.0) and one NM OBX per
// numeric present in the sample (NIBP: in the reading, if one is given), coded with IEEE 11073
// terms from vitals::VitalFields(). Segments end with \r (no MLLP framing here).
std::string BuildOruR01(const OruInput& input);

}  // namespace pedisim::devices::hl7
