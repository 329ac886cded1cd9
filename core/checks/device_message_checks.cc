#include "core/checks/device_message_checks.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <tuple>

#include "core/checks/message_limits.h"
#include "core/checks/request_checks.h"

namespace pedisim::checks {
namespace {

constexpr size_t kMaxNameLength = 64;
constexpr size_t kMaxIdentityFieldLength = 128;

grpc::Status Invalid(std::string message) {
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, std::move(message));
}

bool IsNameCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
}

grpc::Status CheckIdentity(const v1::DeviceIdentity& identity) {
  if (identity.manufacturer().empty()) return Invalid("hello.identity.manufacturer: required");
  if (identity.model().empty()) return Invalid("hello.identity.model: required");
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string&>{"manufacturer", identity.manufacturer()},
        {"model", identity.model()},
        {"serial", identity.serial()},
        {"firmware_version", identity.firmware_version()},
        {"configuration_version", identity.configuration_version()}}) {
    if (value.size() > kMaxIdentityFieldLength) {
      return Invalid(fmt::format("hello.identity.{}: longer than {} characters", field,
                                 kMaxIdentityFieldLength));
    }
  }
  return grpc::Status::OK;
}

// Device clocks may be off, but not absurd: within a day of ours, so that
// offsets and ages stay far from any overflow.
grpc::Status CheckTimestamp(const google::protobuf::Timestamp& timestamp, bool present,
                            const std::string& field) {
  if (!present) return grpc::Status::OK;
  constexpr int64_t kSlackS = 24 * 3600;
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  if (timestamp.nanos() < 0 || timestamp.nanos() > 999'999'999 ||
      timestamp.seconds() < now_s - kSlackS || timestamp.seconds() > now_s + kSlackS) {
    return Invalid(field + ": not a time within a day of the controller's clock");
  }
  return grpc::Status::OK;
}

}  // namespace

grpc::Status CheckHello(const v1::DeviceHello& hello) {
  if (hello.protocol_version() != v1::DEVICE_PROTOCOL_VERSION_1) {
    return Invalid(
        fmt::format("hello.protocol_version: {} is not supported; this controller "
                    "speaks {}",
                    static_cast<int>(hello.protocol_version()),
                    v1::DeviceProtocolVersion_Name(v1::DEVICE_PROTOCOL_VERSION_1)));
  }
  if (hello.name().empty()) return Invalid("hello.name: required");
  if (hello.name().size() > kMaxNameLength ||
      !std::all_of(hello.name().begin(), hello.name().end(), IsNameCharacter)) {
    return Invalid(fmt::format("hello.name: '{}' must be 1 to {} letters, digits, '-', '_' or '.'",
                               Echo(hello.name()), kMaxNameLength));
  }
  if (grpc::Status status = CheckIdentity(hello.identity()); !status.ok()) return status;
  switch (hello.join_case()) {
    case v1::DeviceHello::kSessionId:
      if (grpc::Status status = checks::CheckSessionId(hello.session_id()); !status.ok()) {
        return Invalid("hello." + status.error_message());
      }
      break;
    case v1::DeviceHello::kPairingCode:
      if (hello.pairing_code().empty()) return Invalid("hello.pairing_code: empty");
      break;
    case v1::DeviceHello::JOIN_NOT_SET:
      return Invalid("hello.join: set session_id or pairing_code");
  }
  for (int i = 0; i < hello.waveforms_size(); ++i) {
    const int kind = hello.waveforms(i);
    if (kind == v1::WAVEFORM_KIND_UNSPECIFIED || !v1::WaveformKind_IsValid(kind)) {
      return Invalid(fmt::format("hello.waveforms[{}]: {} is not a waveform kind", i, kind));
    }
  }
  return grpc::Status::OK;
}

grpc::Status CheckFollowUp(const v1::DeviceMessage& message) {
  switch (message.message_case()) {
    case v1::DeviceMessage::kHello:
      return Invalid("hello: sent twice; a device says hello once per connection");
    case v1::DeviceMessage::kHeartbeat: {
      const v1::Heartbeat& heartbeat = message.heartbeat();
      for (const auto& [field, timestamp, present] :
           {std::tuple<const char*, const google::protobuf::Timestamp&, bool>{
                "heartbeat.sent_at", heartbeat.sent_at(), heartbeat.has_sent_at()},
            {"heartbeat.echo_sent_at", heartbeat.echo_sent_at(), heartbeat.has_echo_sent_at()},
            {"heartbeat.echo_received_at", heartbeat.echo_received_at(),
             heartbeat.has_echo_received_at()}}) {
        if (grpc::Status status = CheckTimestamp(timestamp, present, field); !status.ok()) {
          return status;
        }
      }
      return grpc::Status::OK;
    }
    case v1::DeviceMessage::kObservation:
      if (grpc::Status status =
              CheckTimestamp(message.observation().sensed_at(),
                             message.observation().has_sensed_at(), "observation.sensed_at");
          !status.ok()) {
        return status;
      }
      // The contract's bounds first (finite doses and energies, string
      // lengths, declared enum values), as for every request.
      if (grpc::Status status = CheckMessageLimits(message.observation()); !status.ok()) {
        return Invalid("observation." + status.error_message());
      }
      return CheckAction(message.observation().action(), "observation.action");
    case v1::DeviceMessage::MESSAGE_NOT_SET:
      break;
  }
  return Invalid("message: empty or of an unknown type (expected heartbeat or observation)");
}

}  // namespace pedisim::checks
