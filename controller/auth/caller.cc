#include "controller/auth/caller.h"

namespace pedisim::auth {

// Until authentication exists (issue 8) the controller has one kind of
// caller: whoever reaches its port, with every right. Listening beyond
// loopback logs a warning at start-up for that reason.
Caller CallerOf(const grpc::CallbackServerContext& /*context*/) {
  return Caller{Role::kAdmin, "local"};
}

}  // namespace pedisim::auth
