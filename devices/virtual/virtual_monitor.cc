#include "devices/virtual/virtual_monitor.h"

#include <fmt/format.h>

#include "core/vitals/vitals_text.h"
#include "devices/virtual/virtual_capabilities.h"
#include "devices/virtual/virtual_identity.h"

namespace pedisim::devices {

std::unique_ptr<DeviceAdapter> VirtualMonitor::Create(const AdapterConfig& config) {
  RejectUnknownKeys(config, {});
  return std::make_unique<VirtualMonitor>();
}

v1::DeviceIdentity VirtualMonitor::Identity() const {
  return VirtualIdentity("Virtual patient monitor", "virtual-monitor");
}

v1::DeviceCapabilities VirtualMonitor::Capabilities() const { return MonitorCapabilities(); }

void VirtualMonitor::OnUpdate(const v1::SessionUpdate& update) {
  if (!update.has_vitals()) return;
  shown_ = update.vitals();
  ++samples_shown_;
}

std::vector<Observation> VirtualMonitor::TakeObservations(double) { return {}; }

std::string VirtualMonitor::StatusDetail() const {
  if (samples_shown_ == 0) return "waiting for numerics";
  return fmt::format("showing {} ({} updates)", vitals::FormatVitalsLine(shown_.vitals()),
                     samples_shown_);
}

}  // namespace pedisim::devices
