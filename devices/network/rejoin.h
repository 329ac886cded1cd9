#pragma once

// How a network device that lost its controller joins again, shared by
// pedisim-device and the room monitor: how long to wait between tries (0.5 s
// doubling to 5 s, with jitter so that a room full of devices does not knock
// all at once on a controller that just restarted; client/retry_backoff.h),
// which endings are worth another try, and the hello to try with.

#include <grpcpp/support/status.h>

#include "client/retry_backoff.h"
#include "pedisim/v1/device_service.pb.h"

namespace pedisim::devices {

// The backoff itself is the clients' (client/retry_backoff.h).
using RejoinBackoff = client::RetryBackoff;

// Whether a link that ended with `status`, or a join refused with it, may
// work on another try: the controller could not be reached or went away
// (UNAVAILABLE, a deadline, a cut stream), was briefly over a limit
// (RESOURCE_EXHAUSTED), or answered that the session waits for an
// instructor to resume it (UNAVAILABLE too). A refusal that needs a person
// (PERMISSION_DENIED, UNAUTHENTICATED, a bad hello, a session that ended or
// does not exist: NOT_FOUND, FAILED_PRECONDITION; ABORTED: replaced by a
// newer link of the same device; INTERNAL: cut off after misbehaving) is
// final. OK is final too: the controller ended the link because the
// session ended.
bool WorthRejoining(const grpc::Status& status);

// The hello to rejoin with after `welcome`: the same pairing code or session
// id as the first join (a controller restarted on the same data folder
// resumes a session with its pairing code), under the name the controller
// gave, so the device takes its own place back.
v1::DeviceHello RejoinHello(v1::DeviceHello first, const v1::DeviceWelcome& welcome);

}  // namespace pedisim::devices
