#include "monitor/link/monitor_link.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <chrono>
#include <iostream>

#include "devices/network/rejoin.h"

namespace pedisim::monitor {

namespace {
constexpr size_t kMaxWaiting = 100;

google::protobuf::Timestamp Now() {
  return google::protobuf::util::TimeUtil::NanosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::nanoseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
}
}  // namespace

MonitorLink::MonitorLink(devices::DeviceClient::Options options, MonitorModel& model)
    : options_(std::move(options)), model_(model), thread_([this] { Run(); }) {}

MonitorLink::~MonitorLink() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    // Ends the blocking read of the live connection: the device signs off.
    if (client_ != nullptr) client_->CloseSending();
  }
  wake_.notify_all();
  thread_.join();
}

void MonitorLink::Report(const v1::LearnerAction& action) {
  v1::DeviceObservation observation;
  *observation.mutable_action() = action;
  *observation.mutable_sensed_at() = Now();
  std::lock_guard lock(mu_);
  if (client_ != nullptr) {
    v1::DeviceMessage message;
    *message.mutable_observation() = observation;
    if (client_->Send(message)) return;
  }
  if (waiting_.size() >= kMaxWaiting) waiting_.pop_front();
  waiting_.push_back(std::move(observation));
}

void MonitorLink::SendWaiting(devices::DeviceClient& client) {
  while (!waiting_.empty()) {
    v1::DeviceMessage message;
    *message.mutable_observation() = waiting_.front();
    if (!client.Send(message)) return;
    waiting_.pop_front();
  }
}

void MonitorLink::Run() {
  devices::RejoinBackoff backoff;
  while (true) {
    // A link that worked starts the backoff again.
    if (RunOnce()) backoff.Reset();
    const std::chrono::milliseconds retry = backoff.Next();
    std::unique_lock lock(mu_);
    if (stopping_) return;
    wake_.wait_for(lock, retry, [this] { return stopping_; });
    if (stopping_) return;
  }
}

bool MonitorLink::RunOnce() {
  grpc::Status status;
  std::unique_ptr<devices::DeviceClient> client = devices::DeviceClient::Connect(options_, &status);
  if (!client) {
    // Said once per reason, not once per retry: a refusal (a name another
    // device holds, a wrong pairing code) needs a person to act on it.
    if (status.error_message() != last_refusal_) {
      last_refusal_ = status.error_message();
      std::cerr << "pedisim-monitor: cannot join yet (will retry): " << status.error_message()
                << "\n";
    }
    model_.LinkDown(status.error_message());
    return false;
  }
  last_refusal_.clear();
  const v1::DeviceWelcome& welcome = client->welcome();
  // From now on rejoin this session as this device: by the same pairing
  // code (a restarted controller resumes the session under it) or id.
  options_.hello = devices::RejoinHello(options_.hello, welcome);
  model_.Joined(welcome);
  ++joins_;
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      client->CloseSending();
    } else {
      client_ = client.get();
      SendWaiting(*client);
    }
  }
  v1::ControllerMessage message;
  while (client->Next(&message)) {
    if (message.has_update()) {
      model_.Apply(message.update());
    } else {
      model_.Heard();
    }
  }
  {
    std::lock_guard lock(mu_);
    client_ = nullptr;
  }
  const grpc::Status ended = client->final_status();
  model_.LinkDown(ended.ok() ? "the controller ended the link" : ended.error_message());
  return true;
}

}  // namespace pedisim::monitor
