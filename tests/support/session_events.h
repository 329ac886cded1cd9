#pragma once

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <string>
#include <vector>

#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {

// The events a session has logged so far, from its first: a Watch from
// event 0, read up to the count its first snapshot gives, then cancelled
// (a running session's Watch would go on).
inline std::vector<v1::Event> EventsSoFar(v1::SessionService::Stub& sessions,
                                          const std::string& session_id) {
  v1::WatchRequest watch;
  watch.set_session_id(session_id);
  watch.set_after_event_id(0);
  grpc::ClientContext context;
  auto reader = sessions.Watch(&context, watch);
  std::vector<v1::Event> events;
  v1::SessionUpdate update;
  uint64_t event_count = 0;
  while (reader->Read(&update)) {
    if (update.has_snapshot() && event_count == 0) {
      event_count = update.snapshot().event_count();
      if (event_count == 0) break;
    }
    if (!update.has_event()) continue;
    events.push_back(update.event());
    if (update.event().id() >= event_count) break;
  }
  context.TryCancel();
  return events;
}

}  // namespace pedisim::testing
