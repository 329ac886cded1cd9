// A session's status in words, for lists and screens: its SessionStatus,
// except that a session a controller shutdown or crash interrupted (paused
// or created, with an end_reason "interrupted: ...", session.proto) reads
// "interrupted", so that it is not mistaken for one an instructor paused.
#pragma once

#include <string>
#include <string_view>

#include "core/text/enum_names.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::text {

inline constexpr std::string_view kInterruptedPrefix = "interrupted: ";

inline bool IsInterrupted(const v1::Session& session) {
  return session.status() != v1::SESSION_STATUS_STOPPED &&
         session.status() != v1::SESSION_STATUS_COMPLETED &&
         session.end_reason().starts_with(kInterruptedPrefix);
}

// "running", "paused", ... or "interrupted".
inline std::string SessionStatusText(const v1::Session& session) {
  return IsInterrupted(session) ? "interrupted" : ShortEnumName(session.status());
}

// Why it ended or was interrupted, without the "interrupted: " the status
// already says; empty while it runs.
inline std::string SessionEndText(const v1::Session& session) {
  if (IsInterrupted(session)) {
    return session.end_reason().substr(kInterruptedPrefix.size()) +
           "; resume it to go on (pedisimctl session resume " + session.id() + ")";
  }
  return session.end_reason();
}

}  // namespace pedisim::text
