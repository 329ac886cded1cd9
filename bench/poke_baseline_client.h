#pragma once

// The client side of the latency benchmarks' baseline: a plain gRPC server
// (grpc_baseline.h, in a process of its own) whose unary Poke pushes a frame
// onto a server stream. One channel holds the stream, as a device's does;
// another makes the calls, as an instructor's does. What PediSim does in
// between (an override reaching a device, a shock reaching a monitor) is
// timed against this round trip of the same sizes.

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "baseline_stream.grpc.pb.h"
#include "bench/arrival.h"

namespace pedisim::bench {

class PokeBaselineClient {
 public:
  // Opens the stream and pokes (untimed, key 0) until a frame comes back on
  // it: then the server has the stream, as PediSim's device had joined
  // before the first timed call.
  explicit PokeBaselineClient(const std::string& address);
  // Waits for the server to end the stream (after its last poke).
  ~PokeBaselineClient();
  PokeBaselineClient(const PokeBaselineClient&) = delete;
  PokeBaselineClient& operator=(const PokeBaselineClient&) = delete;

  // Where the frame carrying a poke's key is reported.
  Arrival& arrival() { return arrival_; }

  // Poke `key`, padded to at least `request_bytes`, answered by a frame of
  // `frame_bytes` on the stream.
  static BaselinePoke MakePoke(uint64_t key, uint32_t request_bytes, uint32_t frame_bytes);
  // Throws when the call fails.
  void Send(const BaselinePoke& poke);

  // The i-th of the sizes PediSim's run recorded, cycling (0 when none):
  // what poke i is padded to, or its frame sized to.
  static uint32_t SizeAt(const std::vector<uint32_t>& sizes, int i) {
    return sizes.empty() ? 0u : sizes[static_cast<size_t>(i) % sizes.size()];
  }
  // The mean of recorded sizes, for the report.
  static double MeanSize(const std::vector<uint32_t>& sizes) {
    double sum = 0;
    for (uint32_t size : sizes) sum += size;
    return sizes.empty() ? 0 : sum / static_cast<double>(sizes.size());
  }

 private:
  std::unique_ptr<BaselineStream::Stub> stream_stub_;
  std::unique_ptr<BaselineStream::Stub> call_stub_;
  Arrival arrival_;
  grpc::ClientContext stream_context_;
  std::unique_ptr<grpc::ClientReader<BaselineFrame>> stream_;
  std::thread reader_;
};

}  // namespace pedisim::bench
