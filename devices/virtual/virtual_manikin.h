#pragma once

#include <memory>

#include "devices/adapter.h"
#include "devices/registry.h"
#include "devices/virtual/action_timeline.h"
#include "pedisim/v1/actions.pb.h"

namespace pedisim::devices {

// An in-process manikin that plays a timed action file as a real manikin
// would report what learners do to it. Because it reports on simulated time,
// a scripted run is repeatable bit for bit.
//
// Config: "script" (the action file's YAML text) and "script_name" (its file
// name, for error messages). Without a script it senses nothing.
class VirtualManikin : public DeviceAdapter {
 public:
  static std::unique_ptr<DeviceAdapter> Create(const AdapterConfig& config);

  explicit VirtualManikin(const v1::ActionScript& script);

  v1::DeviceIdentity Identity() const override;
  v1::DeviceCapabilities Capabilities() const override;
  void OnUpdate(const v1::SessionUpdate& update) override;
  std::vector<Observation> TakeObservations(double sim_time_s) override;
  std::string StatusDetail() const override;

 private:
  // The script with every compression run expanded (ExpandActionScript).
  std::vector<TimedAction> timeline_;
  size_t next_action_ = 0;
};

}  // namespace pedisim::devices
