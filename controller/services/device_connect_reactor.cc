#include "controller/services/device_connect_reactor.h"

namespace pedisim::services {

ConnectReactor::ConnectReactor(device_gateway::DeviceGateway& gateway,
                               grpc::CallbackServerContext* context, auth::Caller caller)
    : context_(context), link_(gateway, "grpc", context->peer(), std::move(caller)) {
  StartRead(&incoming_);
}

void ConnectReactor::OnReadDone(bool ok) {
  if (!ok) {
    // The device half-closed its side (or the call was cancelled, and then
    // nothing more can be sent anyway).
    link_.SignOff();
    std::lock_guard lock(mu_);
    if (!link_.channel()) FinishLocked(grpc::Status::OK);
    return;
  }
  const bool joining = link_.channel() == nullptr;
  const grpc::Status status = link_.OnMessage(incoming_);
  if (!status.ok()) {
    std::lock_guard lock(mu_);
    FinishLocked(status);
    return;
  }
  if (joining) {
    link_.channel()->SetWakeup([this] { Pump(); });
    Pump();  // the welcome is waiting
  }
  std::lock_guard lock(mu_);
  if (!finished_) StartRead(&incoming_);
}

void ConnectReactor::OnWriteDone(bool ok) {
  std::lock_guard lock(mu_);
  writing_ = false;
  if (!ok) {
    // The stream is broken, or we cancelled it (see PumpLocked); the
    // channel hears of it when the link goes.
    const std::optional<grpc::Status> closed =
        link_.channel() ? link_.channel()->close_status() : std::nullopt;
    FinishLocked(closed && !closed->ok()
                     ? *closed
                     : grpc::Status(grpc::StatusCode::UNAVAILABLE, "write to the device failed"));
    return;
  }
  PumpLocked();
}

void ConnectReactor::Pump() {
  bool cancel = false;
  {
    std::lock_guard lock(mu_);
    PumpLocked();
    // The link failed while a write waits on a device that stopped reading
    // (it has taken nothing for a second): gRPC's flow control would hold
    // that write (and so the call) until the connection dies. Cancelling
    // fails the write at once; outside the lock, in case gRPC runs
    // OnWriteDone inline. A device that still reads gets its write, and then
    // the failure's own status (a revoked token: UNAUTHENTICATED) rather
    // than CANCELLED.
    const std::shared_ptr<device_gateway::DeviceChannel>& channel = link_.channel();
    const std::optional<grpc::Status> closed =
        channel ? channel->close_status() : std::optional<grpc::Status>();
    cancel = writing_ && !finished_ && !cancelled_ && closed && !closed->ok() &&
             StoppedReading(*channel);
    cancelled_ = cancelled_ || cancel;
  }
  if (cancel) context_->TryCancel();
}

bool ConnectReactor::StoppedReading(const device_gateway::DeviceChannel& channel) {
  const std::optional<std::chrono::steady_clock::time_point> waiting_since =
      channel.figures().waiting_since;
  return waiting_since && std::chrono::steady_clock::now() - *waiting_since > kStoppedReading;
}

void ConnectReactor::PumpLocked() {
  if (finished_ || writing_) return;
  const std::shared_ptr<device_gateway::DeviceChannel>& channel = link_.channel();
  if (!channel) return;
  if (channel->PopOutgoing(&outgoing_)) {
    writing_ = true;
    StartWrite(&outgoing_);
    return;
  }
  if (channel->Drained()) FinishLocked(channel->close_status().value_or(grpc::Status::OK));
}

void ConnectReactor::FinishLocked(const grpc::Status& status) {
  if (finished_) return;
  finished_ = true;
  Finish(status);
}

void ConnectReactor::OnDone() {
  // No wakeup may run once this is gone.
  if (link_.channel()) link_.channel()->SetWakeup(nullptr);
  delete this;
}

}  // namespace pedisim::services
