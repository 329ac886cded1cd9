#include "devices/pedisim_device/device_profile.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "devices/virtual/virtual_capabilities.h"
#include "devices/virtual/virtual_identity.h"

namespace pedisim::device_app {
namespace {

std::string DefaultSerial() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  std::string serial = std::string(host) + "-" + std::to_string(getpid());
  std::replace_if(
      serial.begin(), serial.end(),
      [](char c) { return std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-'; }, '-');
  return serial;
}

}  // namespace

std::optional<v1::DeviceHello> MakeHello(const DeviceProfile& profile, std::string* error) {
  v1::DeviceHello hello;
  hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
  hello.set_name(profile.name.empty() ? profile.role : profile.name);
  // A terminal for people: who joins and leaves is worth a line; each
  // compression is not.
  hello.set_device_events(true);
  *hello.mutable_identity() = devices::VirtualIdentity(
      "pedisim-device " + profile.role, profile.serial.empty() ? DefaultSerial() : profile.serial);
  hello.mutable_identity()->set_configuration_version("1");
  if (profile.role == "monitor" || profile.role == "both") {
    hello.mutable_capabilities()->MergeFrom(devices::MonitorCapabilities());
  }
  if (profile.role == "manikin" || profile.role == "both") {
    hello.mutable_capabilities()->MergeFrom(devices::ManikinCapabilities());
  }
  for (const std::string& name : profile.waveforms) {
    std::string upper = "WAVEFORM_KIND_" + name;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return std::toupper(c); });
    v1::WaveformKind kind{};
    if (!v1::WaveformKind_Parse(upper, &kind) || kind == v1::WAVEFORM_KIND_UNSPECIFIED) {
      *error =
          "--waveforms: unknown waveform '" + name + "' (ecg_ii, pleth, capnogram, respiration)";
      return std::nullopt;
    }
    hello.add_waveforms(kind);
  }
  return hello;
}

}  // namespace pedisim::device_app
