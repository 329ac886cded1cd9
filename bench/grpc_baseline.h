#pragma once

// The plain gRPC server the load tools measure PediSim against: a
// server-streaming callback service whose streams behave like a device's
// (a bounded queue, one write at a time), and a unary call that pushes a
// frame to every stream. Runs in a process of its own, as the controller does
// (bench/baseline_process.h).

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "baseline_stream.grpc.pb.h"
#include "bench/baseline_frame_queue.h"

namespace pedisim::bench {

// A frame whose serialized size is `size` bytes (or the smallest it can be),
// its payload starting with `key`. queued_at is stamped when it is queued;
// its size varies by a byte or two with the nanoseconds.
BaselineFrame SizedFrame(uint64_t key, uint32_t size);
// The key SizedFrame put in; false for a frame too short to hold one.
bool FrameKey(const BaselineFrame& frame, uint64_t* key);
// Payload of `size` bytes that starts with `key`.
std::string KeyedPadding(uint64_t key, size_t size);

// One client's stream: a BaselineFrameQueue written one StartWrite at a
// time, like ConnectReactor.
class BaselineWriter : public grpc::ServerWriteReactor<BaselineFrame> {
 public:
  void Push(const std::vector<BaselineFrame>& frames);
  // Ends the stream with OK once what is queued is written.
  void Close();
  uint64_t dropped();

  void OnWriteDone(bool ok) override;
  // The service owns its writers and deletes them after the server stopped.
  void OnDone() override {}

 private:
  void PumpLocked();
  void FinishLocked(const grpc::Status& status);

  std::mutex mu_;
  BaselineFrameQueue queue_;
  BaselineFrame outgoing_;
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
};

class BaselineService : public BaselineStream::CallbackService {
 public:
  grpc::ServerWriteReactor<BaselineFrame>* Subscribe(grpc::CallbackServerContext* context,
                                                     const BaselineRequest* request) override;
  grpc::ServerUnaryReactor* Poke(grpc::CallbackServerContext* context, const BaselinePoke* poke,
                                 BaselineAck* ack) override;

  size_t clients();
  // Blocks until `count` pokes with a key other than 0 have been answered.
  void AwaitPokes(uint64_t count);
  // One engine step's worth, for every client in turn (as the session's
  // thread pushes each update to each device).
  void Broadcast(const std::vector<BaselineFrame>& frames);
  // Closes every stream; returns the frames dropped in all.
  uint64_t CloseAll();

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<BaselineWriter>> writers_;
  std::condition_variable poked_;
  uint64_t pokes_ = 0;
};

// A BaselineService on an ephemeral loopback port.
struct BaselineServer {
  BaselineServer();
  BaselineService service;
  std::unique_ptr<grpc::Server> server;
  int port = 0;
};

}  // namespace pedisim::bench
