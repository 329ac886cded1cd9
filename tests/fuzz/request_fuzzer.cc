// Every request of the contract as the controller checks it before a handler
// runs (controller/auth/auth_interceptor.cc): the first byte picks a method
// that takes one request (unary or server-streaming), the rest is parsed
// as its request type; bytes that do not parse are gRPC's to refuse. A
// parsed request meets the contract's bounds (core/checks/message_limits)
// or is refused INVALID_ARGUMENT starting with a field of its type, in a
// bounded message; one that meets them goes through the handlers' own
// checks (core/checks/request_checks), which refuse the same way.

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/checks/message_limits.h"
#include "core/checks/request_checks.h"
#include "pedisim/v1/session_service.pb.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/request_types.h"

namespace pedisim::fuzz {
namespace {

using google::protobuf::Descriptor;

// Longest refusal a field path and a bound can make; the input itself is
// never echoed beyond checks::kMaxEcho.
constexpr size_t kMaxRefusal = 400;

bool StartsWithFieldOf(const std::string& message, const Descriptor& type) {
  for (int i = 0; i < type.field_count(); ++i) {
    const std::string& name = type.field(i)->name();
    if (message.starts_with(name) &&
        (message.size() == name.size() || message[name.size()] == ':' ||
         message[name.size()] == '.' || message[name.size()] == '[')) {
      return true;
    }
  }
  return false;
}

void CheckRefusal(const grpc::Status& status, const Descriptor& type) {
  if (status.ok()) return;
  FUZZ_CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  FUZZ_CHECK(status.error_message().size() <= kMaxRefusal);
  FUZZ_CHECK(StartsWithFieldOf(status.error_message(), type));
}

// The handlers' own checks of the requests that have them.
void RunHandlerChecks(const google::protobuf::Message& request) {
  const Descriptor& type = *request.GetDescriptor();
  grpc::Status status;
  if (const auto* create = dynamic_cast<const v1::CreateSessionRequest*>(&request)) {
    status = checks::CheckCreate(*create);
  } else if (const auto* override = dynamic_cast<const v1::OverrideVitalsRequest*>(&request)) {
    status = checks::CheckOverride(*override);
  } else if (const auto* act = dynamic_cast<const v1::LogActionRequest*>(&request)) {
    status = checks::CheckAction(act->action(), "action");
  } else if (const auto* go = dynamic_cast<const v1::GoToStateRequest*>(&request)) {
    status = checks::CheckGoToState(*go);
  } else if (const auto* release =
                 dynamic_cast<const v1::ReleaseDiagnosticResultRequest*>(&request)) {
    status = checks::CheckReleaseDiagnosticResult(*release);
  } else if (const auto* bookmark = dynamic_cast<const v1::AddBookmarkRequest*>(&request)) {
    status = checks::CheckBookmark(*bookmark);
  } else if (const auto* display = dynamic_cast<const v1::SetRoomDisplayRequest*>(&request)) {
    status = checks::CheckRoomDisplay(*display);
  } else if (const auto* speed = dynamic_cast<const v1::SetSpeedRequest*>(&request)) {
    status = checks::CheckSpeed(speed->speed(), "speed");
  }
  CheckRefusal(status, type);
}

}  // namespace
}  // namespace pedisim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pedisim;
  static const std::vector<const google::protobuf::Descriptor*> types = fuzz::RequestTypes();
  FUZZ_CHECK(types.size() > 30);
  if (size == 0) return 0;
  const google::protobuf::Descriptor& type = *types[data[0] % types.size()];
  std::unique_ptr<google::protobuf::Message> request(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(&type)->New());
  if (!request->ParseFromArray(data + 1, static_cast<int>(size - 1))) return 0;
  const grpc::Status bounded = checks::CheckMessageLimits(*request);
  fuzz::CheckRefusal(bounded, type);
  if (bounded.ok()) fuzz::RunHandlerChecks(*request);
  return 0;
}
