#include "bench/poke_baseline_client.h"

#include <stdexcept>

#include "bench/grpc_baseline.h"

namespace pedisim::bench {

PokeBaselineClient::PokeBaselineClient(const std::string& address)
    // Separate channels, as the device's and the instructor's in the PediSim
    // run (with the same target they share one connection there too).
    : stream_stub_(BaselineStream::NewStub(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))),
      call_stub_(BaselineStream::NewStub(
          grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))) {
  stream_ = stream_stub_->Subscribe(&stream_context_, BaselineRequest());
  reader_ = std::thread([this] {
    BaselineFrame frame;
    uint64_t key = 0;
    while (stream_->Read(&frame)) {
      if (FrameKey(frame, &key)) arrival_.Offer(key, frame.ByteSizeLong());
    }
    (void)stream_->Finish();
  });
  for (bool open = false; !open;) {
    arrival_.Expect(0);
    Send(MakePoke(0, 0, 16));
    size_t bytes = 0;
    open = arrival_.Wait(std::chrono::seconds(1), &bytes).has_value();
  }
}

PokeBaselineClient::~PokeBaselineClient() {
  if (reader_.joinable()) reader_.join();
}

BaselinePoke PokeBaselineClient::MakePoke(uint64_t key, uint32_t request_bytes,
                                          uint32_t frame_bytes) {
  BaselinePoke poke;
  poke.set_key(key);
  poke.set_frame_bytes(frame_bytes);
  poke.set_payload(KeyedPadding(key, 0));
  if (poke.ByteSizeLong() < request_bytes) {
    poke.set_payload(
        KeyedPadding(key, poke.payload().size() + request_bytes - poke.ByteSizeLong()));
  }
  return poke;
}

void PokeBaselineClient::Send(const BaselinePoke& poke) {
  grpc::ClientContext context;
  BaselineAck ack;
  const grpc::Status status = call_stub_->Poke(&context, poke, &ack);
  if (!status.ok()) throw std::runtime_error("baseline Poke: " + status.error_message());
}

}  // namespace pedisim::bench
