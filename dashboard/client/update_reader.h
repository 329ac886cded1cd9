// Reads a server stream of SessionUpdates (Watch or Replay) into a model,
// marking the stream live at its first message.
#pragma once

#include <grpcpp/grpcpp.h>

#include "model/session_model.h"

namespace pedisim::dashboard {

// Returns how the stream ended.
inline grpc::Status ReadUpdates(grpc::ClientReader<v1::SessionUpdate>& reader,
                                SessionModel& model) {
  v1::SessionUpdate update;
  bool first = true;
  while (reader.Read(&update)) {
    if (first) model.SetStream(StreamState::kLive);
    first = false;
    model.Apply(update);
  }
  return reader.Finish();
}

}  // namespace pedisim::dashboard
