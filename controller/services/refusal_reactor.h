#pragma once

#include <grpcpp/grpcpp.h>

#include "controller/auth/caller.h"

namespace pedisim::services {

// A server-streaming call answered with an error before any message: bad
// arguments, an unknown id. Deletes itself when gRPC is done with it.
template <typename Message>
class RefusalReactor : public grpc::ServerWriteReactor<Message> {
 public:
  explicit RefusalReactor(const grpc::Status& status) { this->Finish(status); }
  void OnDone() override { delete this; }
};

// The same for a bidirectional stream.
template <typename Incoming, typename Outgoing>
class BidiRefusalReactor : public grpc::ServerBidiReactor<Incoming, Outgoing> {
 public:
  explicit BidiRefusalReactor(const grpc::Status& status) { this->Finish(status); }
  void OnDone() override { delete this; }
};

// The gate every server-streaming handler starts with: a reactor ending the
// call with its refusal when the access check did not admit it, else null.
template <typename Message>
grpc::ServerWriteReactor<Message>* RefuseStream(grpc::CallbackServerContext* context) {
  const grpc::Status admitted = auth::AdmissionOf(*context);
  return admitted.ok() ? nullptr : new RefusalReactor<Message>(admitted);
}

}  // namespace pedisim::services
