#pragma once

#include <grpcpp/support/status.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "controller/auth/authenticator.h"
#include "controller/auth/caller.h"
#include "controller/device_gateway/device_channel.h"
#include "controller/limits/limit_counters.h"
#include "controller/session/session_manager.h"
#include "pedisim/v1/device_service.pb.h"

namespace pedisim::device_gateway {

struct GatewayOptions {
  std::chrono::milliseconds heartbeat_interval{1000};
  device_gateway::DeviceChannel::Limits limits;
  // The controller's limits on devices (message size and rate, stalls) and
  // their counters; null: the defaults, uncounted.
  limits::LimitCounters* counters = nullptr;
  // Where a wrong pairing code counts as a failed attempt of its host;
  // null: not counted.
  auth::Authenticator* authenticator = nullptr;
};

// Where network devices join sessions, whatever transport they use: checks
// hellos, finds the session by id or pairing code, attaches the device, and
// keeps every link alive. A housekeeping thread sends heartbeats, marks a
// device that missed three as disconnected, and tells the session when a
// link has ended, so the session's log says so whether or not it is
// running. Transports (DeviceService.Connect, the TCP server) only move
// messages between their wire and a DeviceLink.
class DeviceGateway {
 public:
  // Devices missing this many heartbeats in a row are disconnected.
  static constexpr int kMissedHeartbeatsAllowed = 3;

  DeviceGateway(session::SessionManager& sessions, GatewayOptions options);
  ~DeviceGateway();
  DeviceGateway(const DeviceGateway&) = delete;
  DeviceGateway& operator=(const DeviceGateway&) = delete;

  // Checks `hello` and attaches the device `caller` speaks for; on OK
  // `*channel` is its link, with the welcome queued first. Errors name the
  // hello field at fault. A caller with the device role joins by pairing
  // code, which pairs its account with that session: until the session ends
  // it may join that one only (by code or id); PERMISSION_DENIED otherwise.
  grpc::Status Join(const v1::DeviceHello& hello, const auth::Caller& caller,
                    const std::string& transport,
                    std::shared_ptr<device_gateway::DeviceChannel>* channel);

  // Ends every link (controller shutdown).
  void CloseAll(const grpc::Status& why);

  // A transport ended a link: the session hears of it now rather than at
  // the next housekeeping pass, so a device that comes straight back finds
  // its departure logged.
  void LinkEnded();

  const GatewayOptions& options() const { return options_; }
  const limits::LimitSettings& limits() const { return settings_; }
  // Counts a hit of `limit` (when counting).
  void Hit(limits::Limit limit) const;
  // A hello from `peer` named a pairing code no running session has.
  void PairingCodeMissed(const std::string& peer, const std::string& account) const;

 private:
  struct Link {
    std::weak_ptr<session::Session> session;
    std::string name;
    std::shared_ptr<device_gateway::DeviceChannel> channel;
    std::chrono::steady_clock::time_point joined_at;
    std::chrono::steady_clock::time_point next_heartbeat;
  };

  // The pairing rule of Join for device accounts.
  grpc::Status PairLocked(const v1::DeviceHello& hello, const std::string& account,
                          const std::shared_ptr<session::Session>& session);
  void RunHousekeeping();
  // One pass over the links; returns those that ended, removed from links_.
  std::vector<Link> TendLinksLocked();

  session::SessionManager& sessions_;
  const GatewayOptions options_;
  const limits::LimitSettings settings_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<Link> links_;
  // Device accounts and the session each paired with.
  std::map<std::string, std::weak_ptr<session::Session>> paired_;
  std::thread housekeeping_;
};

}  // namespace pedisim::device_gateway
