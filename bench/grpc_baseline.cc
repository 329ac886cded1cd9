#include "bench/grpc_baseline.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace pedisim::bench {

std::string KeyedPadding(uint64_t key, size_t size) {
  std::string payload(std::max(size, sizeof(key)), '\0');
  std::memcpy(payload.data(), &key, sizeof(key));
  return payload;
}

BaselineFrame SizedFrame(uint64_t key, uint32_t size) {
  BaselineFrame frame;
  // The largest timestamp it will carry, so the size is an upper bound.
  frame.mutable_queued_at()->set_seconds(1'800'000'000);
  frame.mutable_queued_at()->set_nanos(999'999'999);
  std::string payload = KeyedPadding(key, 0);
  frame.set_payload(payload);
  while (frame.ByteSizeLong() < size) {
    payload.resize(payload.size() + (size - frame.ByteSizeLong()));
    frame.set_payload(payload);
    // A longer payload may need a longer length prefix.
    if (frame.ByteSizeLong() > size) {
      payload.resize(payload.size() - 1);
      frame.set_payload(payload);
      break;
    }
  }
  return frame;
}

bool FrameKey(const BaselineFrame& frame, uint64_t* key) {
  if (frame.payload().size() < sizeof(*key)) return false;
  std::memcpy(key, frame.payload().data(), sizeof(*key));
  return true;
}

void BaselineWriter::Push(const std::vector<BaselineFrame>& frames) {
  std::lock_guard lock(mu_);
  if (finished_) return;
  queue_.Push(frames);
  PumpLocked();
}

void BaselineWriter::Close() {
  std::lock_guard lock(mu_);
  closing_ = true;
  PumpLocked();
}

uint64_t BaselineWriter::dropped() {
  std::lock_guard lock(mu_);
  return queue_.dropped();
}

void BaselineWriter::OnWriteDone(bool ok) {
  std::lock_guard lock(mu_);
  writing_ = false;
  if (!ok) {
    FinishLocked(grpc::Status(grpc::StatusCode::UNAVAILABLE, "write failed"));
    return;
  }
  PumpLocked();
}

void BaselineWriter::PumpLocked() {
  if (finished_ || writing_) return;
  if (queue_.Pop(&outgoing_)) {
    writing_ = true;
    StartWrite(&outgoing_);
    return;
  }
  if (closing_) FinishLocked(grpc::Status::OK);
}

void BaselineWriter::FinishLocked(const grpc::Status& status) {
  if (finished_) return;
  finished_ = true;
  Finish(status);
}

grpc::ServerWriteReactor<BaselineFrame>* BaselineService::Subscribe(grpc::CallbackServerContext*,
                                                                    const BaselineRequest*) {
  std::lock_guard lock(mu_);
  writers_.push_back(std::make_unique<BaselineWriter>());
  return writers_.back().get();
}

grpc::ServerUnaryReactor* BaselineService::Poke(grpc::CallbackServerContext* context,
                                                const BaselinePoke* poke, BaselineAck*) {
  // As OverrideVitals publishes the new numerics before it answers.
  Broadcast({SizedFrame(poke->key(), poke->frame_bytes())});
  if (poke->key() != 0) {
    std::lock_guard lock(mu_);
    ++pokes_;
    poked_.notify_all();
  }
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

void BaselineService::AwaitPokes(uint64_t count) {
  std::unique_lock lock(mu_);
  poked_.wait(lock, [&] { return pokes_ >= count; });
}

size_t BaselineService::clients() {
  std::lock_guard lock(mu_);
  return writers_.size();
}

void BaselineService::Broadcast(const std::vector<BaselineFrame>& frames) {
  std::lock_guard lock(mu_);
  for (auto& writer : writers_) writer->Push(frames);
}

uint64_t BaselineService::CloseAll() {
  std::lock_guard lock(mu_);
  uint64_t dropped = 0;
  for (auto& writer : writers_) {
    writer->Close();
    dropped += writer->dropped();
  }
  return dropped;
}

BaselineServer::BaselineServer() {
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  server = builder.BuildAndStart();
  if (!server) throw std::runtime_error("baseline: the gRPC server did not start");
}

}  // namespace pedisim::bench
