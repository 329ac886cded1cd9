#pragma once

#include <cstdint>
#include <functional>

#include "controller/auth/caller.h"

namespace pedisim::auth {

// Whether `caller`'s credential still holds: its token not revoked and its
// user not removed since the call was admitted. Long streams (Watch,
// Replay, devices) ask as they go and end UNAUTHENTICATED when it fails, so
// revoking a token cuts what it opened, not only what it opens next. Costs
// one atomic load while nothing has been revoked since `*checked` (0 before
// the first check); thread-safe.
bool StillValid(const Caller& caller, uint64_t* checked);

// The status a stream ends with when its credential was revoked.
grpc::Status RevokedStatus();

// Called by the token store after it revoked a token or removed a user.
void NoteRevocation();

// How StillValid checks a caller (the token store's); set once at start-up,
// before any call is served. Unset: every caller holds.
void SetCredentialCheck(std::function<bool(const Caller&)> check);

}  // namespace pedisim::auth
