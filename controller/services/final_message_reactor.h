#pragma once

#include <grpcpp/grpcpp.h>

#include <utility>

namespace pedisim::services {

// A server-streaming call answered with one message and OK: a Watch of a
// session that ended and was handed over to the store gets its final
// snapshot, as a watcher of an ended session always has. Deletes itself
// when gRPC is done with it.
template <typename Message>
class FinalMessageReactor : public grpc::ServerWriteReactor<Message> {
 public:
  explicit FinalMessageReactor(Message message) : message_(std::move(message)) {
    this->StartWriteAndFinish(&message_, grpc::WriteOptions(), grpc::Status::OK);
  }
  void OnDone() override { delete this; }

 private:
  Message message_;
};

}  // namespace pedisim::services
