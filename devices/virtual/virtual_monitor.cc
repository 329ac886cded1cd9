#include "devices/virtual/virtual_monitor.h"

#include <fmt/format.h>

namespace pedisim::devices {

std::unique_ptr<DeviceAdapter> VirtualMonitor::Create(const AdapterConfig& config) {
  RejectUnknownKeys(config, {});
  return std::make_unique<VirtualMonitor>();
}

v1::DeviceIdentity VirtualMonitor::Identity() const {
  v1::DeviceIdentity identity;
  identity.set_manufacturer("PediSim");
  identity.set_model("Virtual patient monitor");
  identity.set_serial("virtual-monitor");
  identity.set_firmware_version("1");
  return identity;
}

v1::DeviceCapabilities VirtualMonitor::Capabilities() const {
  v1::DeviceCapabilities capabilities;
  for (const char* vital :
       {"heart_rate_bpm", "spo2_pct", "respiratory_rate_bpm", "nibp_systolic_mmhg",
        "nibp_diastolic_mmhg", "nibp_mean_mmhg", "etco2_mmhg", "temperature_c", "rhythm"}) {
    capabilities.add_renders_vitals(vital);
  }
  return capabilities;
}

void VirtualMonitor::OnUpdate(const v1::SessionUpdate& update) {
  if (!update.has_vitals()) return;
  shown_ = update.vitals();
  ++samples_shown_;
}

std::vector<v1::LearnerAction> VirtualMonitor::TakeObservations(double) { return {}; }

std::string VirtualMonitor::StatusDetail() const {
  if (samples_shown_ == 0) return "waiting for numerics";
  const v1::Vitals& v = shown_.vitals();
  return fmt::format("showing HR {:.0f} SpO2 {:.0f} RR {:.0f} NIBP {:.0f}/{:.0f} ({} updates)",
                     v.heart_rate_bpm(), v.spo2_pct(), v.respiratory_rate_bpm(),
                     v.nibp_systolic_mmhg(), v.nibp_diastolic_mmhg(), samples_shown_);
}

}  // namespace pedisim::devices
