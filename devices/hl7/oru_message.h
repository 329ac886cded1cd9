#pragma once

#include <chrono>
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

// Everything one ORU^R01 says; the builder adds nothing of its own.
struct OruInput {
  MessageHeader header;
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
  v1::VitalsSample sample;
};

// An HL7 v2.6 ORU^R01 shaped after IHE PCD-01 (Communicate PCD Data):
// MSH, PID, PV1, OBR, one OBX for the monitor (1.0.0.0) and one NM OBX per
// numeric present in the sample, coded with IEEE 11073 terms from
// vitals::VitalFields(). Segments end with \r (no MLLP framing here).
std::string BuildOruR01(const OruInput& input);

}  // namespace pedisim::devices::hl7
