#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/device.pb.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::devices {

using AdapterConfig = std::map<std::string, std::string>;

// A learner action a device sensed.
struct Observation {
  v1::LearnerAction action;
  // When the device sensed it, on the session's simulated timeline, if the
  // device says (network devices stamp their observations); it enters the
  // engine at the step it is collected in either way.
  std::optional<double> sensed_sim_time_s;
};

// The one interface between a session and a device (manikin, monitor,
// hospital system), whatever protocol it speaks. Adapters are thin: they
// translate session updates and learner-action observations to and from one
// wire protocol; they never decide clinical things or write files.
//
// A session calls every method from its own thread, one call at a time, so
// an adapter needs no locking of its own against the session; none of the
// calls may block.
class DeviceAdapter {
 public:
  virtual ~DeviceAdapter() = default;

  virtual v1::DeviceIdentity Identity() const = 0;
  virtual v1::DeviceCapabilities Capabilities() const = 0;

  // Every update that the session's watchers see, in order, with three
  // exceptions that keep a room of many devices from costing each device in
  // proportion to all the others: snapshots come without Session.devices;
  // events of single CPR samples (chest compressions and ventilations, up to
  // 60 a second per manikin) and other devices' attach and disconnect events
  // reach only adapters that want them.
  virtual void OnUpdate(const v1::SessionUpdate& update) = 0;
  virtual bool WantsCprSamples() const { return false; }
  virtual bool WantsDeviceEvents() const { return false; }

  // Learner actions the device sensed up to `sim_time_s`; called once per
  // engine step, before the step, so the actions enter at that moment.
  virtual std::vector<Observation> TakeObservations(double sim_time_s) = 0;

  // One line on how it is doing, shown in Session.devices.
  virtual std::string StatusDetail() const = 0;

  // Whether the device can be reached now: an adapter with a link of its
  // own (an HL7 receiver) says DISCONNECTED while it is trying to reconnect.
  virtual v1::DeviceStatus Health() const { return v1::DEVICE_STATUS_CONNECTED; }

  // Link figures for Session.devices (transport, latency, last seen, clock
  // offset, dropped waveform chunks); in-process adapters have none.
  virtual void FillLinkStatus(v1::Device* /*device*/) const {}
};

}  // namespace pedisim::devices
