#include "client/controller_link.h"

namespace pedisim::dashboard {
namespace {

constexpr size_t kNoticesKept = 50;
constexpr auto kUnaryDeadline = std::chrono::seconds(5);

}  // namespace

ControllerLink::ControllerLink(std::string address, const client::ConnectionOptions& connection)
    : address_(std::move(address)), channel_(client::MakeControllerChannel(address_, connection)) {
  stubs_.scenarios = v1::ScenarioService::NewStub(channel_);
  stubs_.sessions = v1::SessionService::NewStub(channel_);
  stubs_.assessments = v1::AssessmentService::NewStub(channel_);
  stubs_.debrief = v1::DebriefService::NewStub(channel_);
  worker_ = std::thread([this] { WorkerLoop(); });
}

ControllerLink::~ControllerLink() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    calls_.clear();
  }
  wake_.notify_all();
  worker_.join();
}

void ControllerLink::Post(std::function<void(Stubs&)> call) {
  {
    std::lock_guard lock(mutex_);
    calls_.push_back(std::move(call));
  }
  wake_.notify_one();
}

void ControllerLink::WorkerLoop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !calls_.empty(); });
    if (stopping_) return;
    auto call = std::move(calls_.front());
    calls_.pop_front();
    lock.unlock();
    call(stubs_);
    lock.lock();
  }
}

void ControllerLink::SetUnaryDeadline(grpc::ClientContext& context) {
  context.set_deadline(std::chrono::system_clock::now() + kUnaryDeadline);
}

void ControllerLink::Report(const grpc::Status& status, const std::string& what,
                            const std::string& done) {
  if (!status.ok()) {
    Notify(what + " failed: " + status.error_message(), true);
  } else if (!done.empty()) {
    Notify(done, false);
  }
}

void ControllerLink::Notify(std::string text, bool error) {
  std::lock_guard lock(mutex_);
  notices_.push_back({std::chrono::steady_clock::now(), std::move(text), error});
  while (notices_.size() > kNoticesKept) notices_.pop_front();
}

std::vector<Notice> ControllerLink::RecentNotices() const {
  std::lock_guard lock(mutex_);
  return {notices_.begin(), notices_.end()};
}

bool ControllerLink::connected() const { return channel_->GetState(false) == GRPC_CHANNEL_READY; }

}  // namespace pedisim::dashboard
