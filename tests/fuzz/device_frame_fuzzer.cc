// The TCP device protocol as the controller reads it
// (controller/device_gateway/tcp_device_connection.cc): a stream of frames,
// each a 4-byte big-endian length then a DeviceMessage; a length over
// protocol::kMaxFrameBytes, bytes that are no DeviceMessage, or a message that fails
// its checks end the connection with INVALID_ARGUMENT naming the field. The
// same bodies are read as ControllerMessages, as a device reads the
// controller's frames (devices/network/device_client_transports.cc).

#include <grpcpp/support/status.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/checks/device_message_checks.h"
#include "core/protocol/frame_codec.h"
#include "pedisim/v1/device_service.pb.h"
#include "tests/fuzz/deterministic_bytes.h"
#include "tests/fuzz/fuzz_check.h"

namespace pedisim::fuzz {
namespace {

using protocol::kFrameHeaderBytes;

bool StartsWithAny(const std::string& text, std::initializer_list<std::string_view> prefixes) {
  for (std::string_view prefix : prefixes) {
    if (text.starts_with(prefix)) return true;
  }
  return false;
}

// A refusal is INVALID_ARGUMENT and starts with the field at fault.
void CheckRefusal(const grpc::Status& status, std::initializer_list<std::string_view> fields) {
  FUZZ_CHECK(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT);
  FUZZ_CHECK(StartsWithAny(status.error_message(), fields));
}

// Framed again, a parsed message decodes to itself.
template <typename Message>
void CheckReframes(const Message& message) {
  std::string frame;
  protocol::AppendFrame(message, &frame);
  FUZZ_CHECK(frame.size() == protocol::kFrameHeaderBytes + message.ByteSizeLong());
  std::array<uint8_t, protocol::kFrameHeaderBytes> header{};
  std::copy_n(frame.begin(), protocol::kFrameHeaderBytes, header.begin());
  FUZZ_CHECK(protocol::DecodeFrameLength(header) == frame.size() - protocol::kFrameHeaderBytes);
  Message again;
  FUZZ_CHECK(again.ParseFromArray(frame.data() + protocol::kFrameHeaderBytes,
                                  static_cast<int>(frame.size() - protocol::kFrameHeaderBytes)));
  FUZZ_CHECK(DeterministicBytes(again) == DeterministicBytes(message));
}

// One frame's body as the controller takes it; false ends the connection.
bool ControllerReads(const std::string& body, bool first) {
  v1::DeviceMessage message;
  if (!message.ParseFromString(body)) return false;
  CheckReframes(message);
  if (first) {
    // DeviceGateway::Join takes only a hello first.
    if (!message.has_hello()) return false;
    const grpc::Status status = checks::CheckHello(message.hello());
    if (!status.ok()) CheckRefusal(status, {"hello."});
    return status.ok();
  }
  const grpc::Status status = checks::CheckFollowUp(message);
  if (!status.ok()) CheckRefusal(status, {"hello:", "heartbeat.", "observation.", "message:"});
  return status.ok();
}

}  // namespace
}  // namespace pedisim::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pedisim;
  std::string_view stream(reinterpret_cast<const char*>(data), size);
  bool controller_reading = true;
  bool first = true;
  while (stream.size() >= protocol::kFrameHeaderBytes) {
    std::array<uint8_t, protocol::kFrameHeaderBytes> header{};
    std::copy_n(stream.begin(), header.size(), header.begin());
    const uint32_t length = protocol::DecodeFrameLength(header);
    // Both ends refuse a frame over the limit before reading its body.
    if (length > protocol::kMaxFrameBytes) break;
    stream.remove_prefix(header.size());
    if (stream.size() < length) break;  // the connection ended mid-frame
    const std::string body(stream.substr(0, length));
    stream.remove_prefix(length);

    if (controller_reading) controller_reading = fuzz::ControllerReads(body, first);
    first = false;
    v1::ControllerMessage from_controller;
    if (from_controller.ParseFromString(body)) fuzz::CheckReframes(from_controller);
  }
  return 0;
}
