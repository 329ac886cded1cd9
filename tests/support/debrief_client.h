#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <stdexcept>
#include <vector>

#include "pedisim/v1/debrief_service.grpc.pb.h"

namespace pedisim::testing {

// Everything DebriefService.Replay sends for `request`; throws with the
// status when the stream does not end OK.
inline std::vector<v1::SessionUpdate> ReplayAll(const std::shared_ptr<grpc::Channel>& channel,
                                                const v1::ReplayRequest& request) {
  auto debrief = v1::DebriefService::NewStub(channel);
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::SessionUpdate>> reader =
      debrief->Replay(&context, request);
  std::vector<v1::SessionUpdate> updates;
  v1::SessionUpdate update;
  while (reader->Read(&update)) updates.push_back(update);
  const grpc::Status status = reader->Finish();
  if (!status.ok()) {
    throw std::runtime_error("Replay: " + std::to_string(status.error_code()) + " " +
                             status.error_message());
  }
  return updates;
}

// The whole record of `session_id`, as fast as it can be read.
inline std::vector<v1::SessionUpdate> ReplayAll(const std::shared_ptr<grpc::Channel>& channel,
                                                const std::string& session_id) {
  v1::ReplayRequest request;
  request.set_session_id(session_id);
  return ReplayAll(channel, request);
}

}  // namespace pedisim::testing
