// Following a stream of session updates (session watch, recordings replay):
// printed as they come, human or JSON, until the stream ends or Ctrl-C.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>

#include "controller_client.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::cli {

using OpenUpdateStream =
    std::function<std::unique_ptr<grpc::ClientReader<v1::SessionUpdate>>(grpc::ClientContext*)>;

// Opens the stream with a context of its own (no deadline: a stream lasts as
// long as the session), prints each update (waveform chunks only as JSON)
// and the summary line; returns the exit code.
int FollowUpdates(ControllerClient& client, double vitals_every_s, const OpenUpdateStream& open);

}  // namespace pedisim::cli
