#pragma once

#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "controller/assessment/assessor.h"
#include "controller/device_gateway/device_channel.h"
#include "devices/adapter.h"
#include "pedisim/v1/scenario.pb.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::session {

struct AttachedDevice {
  v1::Device info;
  std::unique_ptr<devices::DeviceAdapter> adapter;
  // For a device that joined over the network: its link, which tells one
  // connection of a device from the next one under the same name.
  std::shared_ptr<device_gateway::DeviceChannel> channel;
  // Cached DeviceAdapter::WantsCprSamples and WantsDeviceEvents.
  bool wants_cpr_samples = false;
  bool wants_device_events = false;
  // Devices see the session as a learner does (services::ShowLearner),
  // unless its account is staff and its hello asked for the instructor's
  // view (DeviceHello.instructor_view).
  bool instructor_view = false;
};

// The devices in a session's room, connected or waiting for a reconnect, and
// what each of them is sent: one of the sinks of the session's UpdateFanOut.
// A device that throws is cut off (FAULT) and the session goes on.
class DeviceRoom {
 public:
  // `grades` says whether scores are released, which decides what the
  // learners' view shows; it must outlive the room.
  DeviceRoom(std::vector<AttachedDevice> devices, const assessment::Assessor& grades);

  // Sends `update` to every connected device that wants it, in the view it
  // may see: the learners' (made once per update, by the same function as a
  // learner's Watch) unless it was granted the instructor's.
  void Send(const v1::SessionUpdate& update);

  // What `device` sensed since the last call; a device that throws is
  // detached and gives nothing.
  std::vector<devices::Observation> TakeObservations(AttachedDevice& device, double sim_time_s);

  // The devices as Session.devices lists them.
  std::vector<v1::Device> Listing() const;
  // The device called `name`, connected or not.
  AttachedDevice* Find(const std::string& name);
  const AttachedDevice* Find(const std::string& name) const;
  std::vector<AttachedDevice>& all() { return devices_; }
  size_t size() const { return devices_.size(); }
  // Adds a device, or puts a reconnecting one back in its place.
  void Attach(AttachedDevice device);
  // A network device's link ended: its slot stays, disconnected, for a
  // reconnect. False (and nothing changes) if `channel` is no longer the
  // device's link (it reconnected meanwhile).
  bool MarkDisconnected(const std::string& name, const device_gateway::DeviceChannel* channel,
                        const std::string& reason);
  // Required capabilities of `scenario` that no connected device provides.
  std::vector<std::string> MissingCapabilities(const v1::Scenario& scenario) const;

 private:
  void Detach(AttachedDevice& device, const std::exception& error);
  // Refreshes each device's cached wants and the CPR sample count.
  void CountWants();

  std::vector<AttachedDevice> devices_;
  const assessment::Assessor& grades_;
  // Devices that want CPR sample events; with none, a sample's event costs
  // nothing per device (a thousand manikins at 60 Hz must not be N squared).
  size_t cpr_sample_devices_ = 0;
};

}  // namespace pedisim::session
