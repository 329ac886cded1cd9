#ifndef PEDISIM_CONTROLLER_SERVICES_REFUSAL_REACTOR_H_
#define PEDISIM_CONTROLLER_SERVICES_REFUSAL_REACTOR_H_

#include <grpcpp/grpcpp.h>

namespace pedisim::services {

// A server-streaming call answered with an error before any message: bad
// arguments, an unknown id. Deletes itself when gRPC is done with it.
template <typename Message>
class RefusalReactor : public grpc::ServerWriteReactor<Message> {
 public:
  explicit RefusalReactor(const grpc::Status& status) { this->Finish(status); }
  void OnDone() override { delete this; }
};

}  // namespace pedisim::services

#endif  // PEDISIM_CONTROLLER_SERVICES_REFUSAL_REACTOR_H_
