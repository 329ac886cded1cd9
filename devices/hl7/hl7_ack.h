#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pedisim::devices::hl7 {

// What an ACK's MSA segment says.
struct Ack {
  std::string code;        // MSA-1: AA/AE/AR (original mode), CA/CE/CR (enhanced)
  std::string control_id;  // MSA-2: MSH-10 of the message it answers
  std::string text;        // MSA-3, if any: the receiver's reason

  // AA and CA accept; AE/CE (error) and AR/CR (reject) do not.
  bool accepted() const { return code == "AA" || code == "CA"; }
};

// The MSA of an HL7 message (segments separated by \r, \n or \r\n; field
// separator as MSH-1 declares it), or nothing if it has no MSH or MSA.
std::optional<Ack> ParseAck(std::string_view message);

}  // namespace pedisim::devices::hl7
