#include "devices/builtin_adapters.h"

#include "devices/virtual/virtual_manikin.h"
#include "devices/virtual/virtual_monitor.h"

namespace pedisim::devices {

// One line per adapter.
void RegisterBuiltinAdapters(AdapterRegistry& registry) {
  registry.Register("virtual-monitor", &VirtualMonitor::Create);
  registry.Register("virtual-manikin", &VirtualManikin::Create);
}

}  // namespace pedisim::devices
