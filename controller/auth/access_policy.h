#pragma once

#include <string_view>
#include <vector>

#include "controller/auth/caller.h"

namespace pedisim::auth {

// Which roles may call each RPC, in one table (access_policy.cc). What a
// role may see inside an allowed call (a learner's own sessions, a device's
// own session) is decided by the service from CallerOf.
enum class Access {
  kPublic,   // no token needed: health checks and reflection (the API is open)
  kAllowed,  // the caller's role may call it
  kDenied,   // the caller's role may not, or no one may (a method not in the table)
};

Access AccessTo(std::string_view method, Role role);

// Whether the table names `method`: every method the controller serves. A
// method it does not name does not exist here (gRPC answers UNIMPLEMENTED).
bool IsInPolicy(std::string_view method);

// Whether `method` needs no token at all.
bool IsPublic(std::string_view method);

// Every method the table names ("/pedisim.v1.SessionService/Start"), for the
// test that checks it covers every RPC of proto/.
std::vector<std::string_view> MethodsInPolicy();

}  // namespace pedisim::auth
