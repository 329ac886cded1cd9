#pragma once

#include <string>
#include <vector>

#include "grpc/reflection/v1/reflection.grpc.pb.h"

namespace pedisim::services {

// gRPC server reflection v1 (grpc.reflection.v1.ServerReflection), which
// gRPC 1.51's plugin does not serve: it serves only v1alpha, and tools such
// as grpcurl and Postman ask for v1 first, falling back to v1alpha only on
// UNIMPLEMENTED. Answers from the compiled-in descriptors (the generated
// pool), like the plugin; each file is sent once per stream, with the
// dependencies the client has not been sent yet.
class ReflectionV1Service final : public grpc::reflection::v1::ServerReflection::CallbackService {
 public:
  // The services the server registers, by full name, for list_services.
  explicit ReflectionV1Service(std::vector<std::string> services)
      : services_(std::move(services)) {}

  grpc::ServerBidiReactor<grpc::reflection::v1::ServerReflectionRequest,
                          grpc::reflection::v1::ServerReflectionResponse>*
  ServerReflectionInfo(grpc::CallbackServerContext* context) override;

 private:
  const std::vector<std::string> services_;
};

}  // namespace pedisim::services
