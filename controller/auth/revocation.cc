#include "controller/auth/revocation.h"

#include <atomic>

namespace pedisim::auth {

namespace {

// Bumped by every revocation; a stream re-checks only when it moved.
std::atomic<uint64_t> revocations{1};

std::function<bool(const Caller&)>& CredentialCheck() {
  static auto* check = new std::function<bool(const Caller&)>();  // outlives every call
  return *check;
}

}  // namespace

bool StillValid(const Caller& caller, uint64_t* checked) {
  const uint64_t now = revocations.load(std::memory_order_acquire);
  if (now == *checked) return true;
  const std::function<bool(const Caller&)>& check = CredentialCheck();
  if (check && !check(caller)) return false;
  *checked = now;
  return true;
}

grpc::Status RevokedStatus() {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                      "authorization: the token was revoked or its user removed");
}

void NoteRevocation() { revocations.fetch_add(1, std::memory_order_acq_rel); }

void SetCredentialCheck(std::function<bool(const Caller&)> check) {
  CredentialCheck() = std::move(check);
}

}  // namespace pedisim::auth
