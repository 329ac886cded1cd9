#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

namespace pedisim::client {

// How a client talks to a controller.
struct ConnectionOptions {
  // Sent on every call as `authorization: Bearer <token>`; empty = none.
  std::string token;
};

// A channel to the controller at `address` ("host:port") whose every call
// carries the token.
std::shared_ptr<grpc::Channel> MakeControllerChannel(const std::string& address,
                                                     const ConnectionOptions& options);

}  // namespace pedisim::client
