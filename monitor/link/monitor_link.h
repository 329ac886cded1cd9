#pragma once

// The monitor's connection to the controller over the device protocol, on
// its own thread: joins (by pairing code, or session id), feeds the model,
// and when the link drops or cannot be made tries again with the devices'
// backoff (devices/network/rejoin.h: 0.5 s doubling to 5 s, with jitter),
// for as long as the monitor runs (a room screen does not exit; it says why
// it is not joined). After the first welcome it rejoins by the same pairing
// code or session id under the same name and serial, so it takes its own
// place back (a controller restarted on the same data folder resumes the
// session under its pairing code).

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "devices/network/device_client.h"
#include "monitor/model/monitor_model.h"

namespace pedisim::monitor {

class MonitorLink {
 public:
  // `options.hello` says how to join the first time.
  MonitorLink(devices::DeviceClient::Options options, MonitorModel& model);
  ~MonitorLink();
  MonitorLink(const MonitorLink&) = delete;
  MonitorLink& operator=(const MonitorLink&) = delete;

  // A learner action done on the monitor, sensed now (its sensed_at is
  // stamped here). Sent at once when the link is up; kept (up to 100) and
  // sent after the next join otherwise, so nothing done during a network
  // hiccup is lost.
  void Report(const v1::LearnerAction& action);

  // Times the link was (re)established.
  int joins() const { return joins_.load(); }

 private:
  void Run();
  // One connection, until it ends; false when stopping.
  bool RunOnce();
  void SendWaiting(devices::DeviceClient& client);

  devices::DeviceClient::Options options_;
  MonitorModel& model_;
  std::atomic<int> joins_{0};
  // The reason the last join was refused, logged once (the link's thread only).
  std::string last_refusal_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  devices::DeviceClient* client_ = nullptr;  // the live one, under mu_
  std::deque<v1::DeviceObservation> waiting_;
  std::thread thread_;
};

}  // namespace pedisim::monitor
