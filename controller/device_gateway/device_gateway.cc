#include "controller/device_gateway/device_gateway.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "core/checks/device_message_checks.h"

namespace pedisim::device_gateway {

DeviceGateway::DeviceGateway(session::SessionManager& sessions, GatewayOptions options)
    : sessions_(sessions),
      options_(options),
      settings_(options.counters ? options.counters->settings() : limits::LimitSettings()) {
  housekeeping_ = std::thread([this] { RunHousekeeping(); });
}

DeviceGateway::~DeviceGateway() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  housekeeping_.join();
}

grpc::Status DeviceGateway::Join(const v1::DeviceHello& hello, const auth::Caller& caller,
                                 const std::string& transport,
                                 std::shared_ptr<device_gateway::DeviceChannel>* channel) {
  if (grpc::Status status = checks::CheckHello(hello); !status.ok()) return status;
  std::shared_ptr<session::Session> session;
  grpc::Status found = hello.has_pairing_code()
                           ? sessions_.FindByPairingCode(hello.pairing_code(), &session)
                           : sessions_.Find(hello.session_id(), &session);
  if (!found.ok()) {
    if (found.error_code() == grpc::StatusCode::NOT_FOUND) {
      if (const std::string waiting = sessions_.AwaitingResume(hello); !waiting.empty()) {
        return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                            fmt::format("hello: session {} was interrupted (the controller "
                                        "stopped) and waits for an instructor to resume it",
                                        waiting));
      }
    }
    if (hello.has_session_id()) {
      return grpc::Status(found.error_code(), "hello." + found.error_message());
    }
    return found;
  }
  if (session->IsInterrupted()) {
    // This controller is shutting down: the next one on the data folder
    // resumes the session, and the device rejoins it there.
    return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                        fmt::format("hello: session {} was interrupted (the controller is "
                                    "shutting down) and waits for an instructor to resume it",
                                    session->id()));
  }
  // Only an account granted more than a learner sees (staff) may ask for
  // more; everyone else gets the learners' view whatever they ask.
  if (hello.instructor_view() && !caller.IsStaff()) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        fmt::format("hello.instructor_view: account '{}' is a {} account; only "
                                    "an instructor's or admin's account may see the "
                                    "instructor's view",
                                    caller.name, auth::RoleName(caller.role)));
  }
  if (caller.role == auth::Role::kDevice) {
    std::lock_guard lock(mu_);
    if (grpc::Status paired = PairLocked(hello, caller.name, session); !paired.ok()) return paired;
  }
  std::set<v1::WaveformKind> waveforms;
  for (int kind : hello.waveforms()) waveforms.insert(static_cast<v1::WaveformKind>(kind));
  auto joined = std::make_shared<device_gateway::DeviceChannel>(transport, std::move(waveforms),
                                                                options_.limits);
  if (grpc::Status status = session->AttachNetworkDevice(
          hello, joined, static_cast<uint32_t>(options_.heartbeat_interval.count()),
          hello.instructor_view());
      !status.ok()) {
    return status;
  }
  spdlog::info("session {}: device '{}' ({} {}, serial '{}') joined over {}", session->id(),
               hello.name(), hello.identity().manufacturer(), hello.identity().model(),
               hello.identity().serial(), transport);
  {
    std::lock_guard lock(mu_);
    links_.push_back({.session = session,
                      .name = hello.name(),
                      .channel = joined,
                      .joined_at = std::chrono::steady_clock::now(),
                      .next_heartbeat = std::chrono::steady_clock::now()});
  }
  wake_.notify_all();  // the first heartbeat goes out at once
  *channel = std::move(joined);
  return grpc::Status::OK;
}

grpc::Status DeviceGateway::PairLocked(const v1::DeviceHello& hello, const std::string& account,
                                       const std::shared_ptr<session::Session>& session) {
  if (const auto pairing = paired_.find(account); pairing != paired_.end()) {
    const std::shared_ptr<session::Session> paired = pairing->second.lock();
    if (paired == session) return grpc::Status::OK;
    if (paired && !paired->IsFinal()) {
      return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                          fmt::format("hello: device account '{}' is paired with session {} "
                                      "until it ends",
                                      account, paired->id()));
    }
  }
  if (!hello.has_pairing_code()) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                        fmt::format("hello.session_id: device account '{}' joins a session by "
                                    "its pairing_code first",
                                    account));
  }
  paired_[account] = session;
  spdlog::info("session {}: device account '{}' paired", session->id(), account);
  return grpc::Status::OK;
}

void DeviceGateway::LinkEnded() { wake_.notify_all(); }

void DeviceGateway::Hit(limits::Limit limit) const {
  if (options_.counters != nullptr) options_.counters->Hit(limit);
}

void DeviceGateway::PairingCodeMissed(const std::string& peer, const std::string& account) const {
  if (options_.authenticator != nullptr) options_.authenticator->RecordPairingMiss(peer, account);
}

void DeviceGateway::CloseAll(const grpc::Status& why) {
  std::lock_guard lock(mu_);
  for (Link& link : links_) link.channel->Close(why);
}

void DeviceGateway::RunHousekeeping() {
  // A quarter of the heartbeat interval: a missed heartbeat shows within
  // that much of its due time.
  const auto tick = std::max<std::chrono::milliseconds>(options_.heartbeat_interval / 4,
                                                        std::chrono::milliseconds(10));
  std::unique_lock lock(mu_);
  while (!stopping_) {
    std::vector<Link> ended = TendLinksLocked();
    if (!ended.empty()) {
      // Sessions take their own lock; never while holding ours.
      lock.unlock();
      for (const Link& link : ended) {
        const grpc::Status why = link.channel->close_status().value_or(grpc::Status::OK);
        if (std::shared_ptr<session::Session> session = link.session.lock()) {
          if (!why.ok()) {
            spdlog::warn("session {}: device '{}' ({}) disconnected: {}", session->id(), link.name,
                         link.channel->figures().transport, why.error_message());
          }
          session->NetworkDeviceGone(link.name, link.channel.get(),
                                     why.ok() ? "the device signed off" : why.error_message());
        }
      }
      lock.lock();
      continue;
    }
    wake_.wait_for(lock, tick);
  }
}

std::vector<DeviceGateway::Link> DeviceGateway::TendLinksLocked() {
  const auto now = std::chrono::steady_clock::now();
  const auto silence_limit = options_.heartbeat_interval * kMissedHeartbeatsAllowed;
  std::vector<Link> ended;
  for (Link& link : links_) {
    if (link.channel->close_status()) continue;
    const device_gateway::DeviceChannel::Figures figures = link.channel->figures();
    const auto heard = figures.last_heard.value_or(link.joined_at);
    if (now - heard > silence_limit) {
      link.channel->Close(grpc::Status(
          grpc::StatusCode::UNAVAILABLE,
          fmt::format("missed {} heartbeats: nothing heard for {:.1f} s", kMissedHeartbeatsAllowed,
                      std::chrono::duration<double>(now - heard).count())));
      continue;
    }
    // The other direction: a device that takes nothing of what waits for it
    // (it stopped reading, or its network did) would otherwise hold a
    // growing queue here and in the kernel until TCP gives up, hours later.
    const auto stall_limit = std::chrono::milliseconds(settings_.device_stall_ms);
    if (figures.waiting_since && now - *figures.waiting_since > stall_limit) {
      Hit(limits::Limit::kDeviceStall);
      link.channel->Close(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          fmt::format("device stopped reading: nothing taken for {:.1f} s with {} messages "
                      "({} bytes) waiting (--device-stall-ms {})",
                      std::chrono::duration<double>(now - *figures.waiting_since).count(),
                      figures.queued_messages, figures.queued_bytes, settings_.device_stall_ms)));
      continue;
    }
    if (now >= link.next_heartbeat) {
      link.channel->SendHeartbeat();
      link.next_heartbeat = now + options_.heartbeat_interval;
    }
  }
  auto closed = std::stable_partition(links_.begin(), links_.end(), [](const Link& link) {
    return !link.channel->close_status().has_value();
  });
  std::move(closed, links_.end(), std::back_inserter(ended));
  links_.erase(closed, links_.end());
  return ended;
}

}  // namespace pedisim::device_gateway
