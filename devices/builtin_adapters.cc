#include "devices/builtin_adapters.h"

#include "devices/hl7/hl7_mllp_adapter.h"
#include "devices/virtual/virtual_manikin.h"
#include "devices/virtual/virtual_monitor.h"

namespace pedisim::devices {

// One line per adapter.
void RegisterBuiltinAdapters(AdapterRegistry& registry) {
  registry.Register("virtual-monitor", &VirtualMonitor::Create);
  registry.Register("virtual-manikin", &VirtualManikin::Create);
  registry.Register("hl7-mllp", &hl7::Hl7MllpAdapter::Create);
}

}  // namespace pedisim::devices
