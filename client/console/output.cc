#include "client/console/output.h"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <iostream>

namespace pedisim::console {
namespace {

std::string& ProgramName() {
  static std::string name = "pedisimctl";
  return name;
}

}  // namespace

void SetProgramName(std::string_view name) { ProgramName() = name; }

const char kExitCodeHelp[] =
    "Exit codes:\n"
    "  0   success\n"
    "  1   any other error, among them RESOURCE_EXHAUSTED: a limit reached (too many\n"
    "      failed attempts from a host or on an account: the message says for how long)\n"
    "  3   scenario lint: warnings, no errors\n"
    "  64  usage error (bad command line)\n"
    "  65  invalid input (INVALID_ARGUMENT, invalid scenario file)\n"
    "  66  not found (NOT_FOUND, unreadable local file)\n"
    "  69  controller unavailable (UNAVAILABLE, or DEADLINE_EXCEEDED before connecting),\n"
    "      or Graphviz's dot missing for scenario graph --svg\n"
    "  70  not allowed in the session's status (FAILED_PRECONDITION)\n"
    "  77  no valid token, or the token's role may not do it (UNAUTHENTICATED,\n"
    "      PERMISSION_DENIED)\n";

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    default:
      return "CODE_" + std::to_string(static_cast<int>(code));
  }
}

int ExitCodeForStatus(grpc::StatusCode code, bool reached_controller) {
  switch (code) {
    case grpc::StatusCode::OK:
      return kExitOk;
    case grpc::StatusCode::INVALID_ARGUMENT:
      return kExitInvalidInput;
    case grpc::StatusCode::NOT_FOUND:
      return kExitNotFound;
    case grpc::StatusCode::UNAVAILABLE:
      return kExitUnavailable;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return reached_controller ? kExitError : kExitUnavailable;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return kExitFailedPrecondition;
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::PERMISSION_DENIED:
      return kExitNotAllowed;
    default:
      return kExitError;
  }
}

void PrintStatusError(const grpc::Status& status) {
  std::cout.flush();  // keep stdout and stderr in order on a shared terminal
  std::cerr << ProgramName() << ": " << StatusCodeName(status.error_code()) << ": "
            << status.error_message() << '\n';
}

void PrintError(std::string_view message) {
  std::cout.flush();
  std::cerr << ProgramName() << ": " << message << '\n';
}

void PrintJsonLine(const google::protobuf::Message& message) {
  std::string json;
  // The default options give canonical proto3 JSON on a single line.
  const auto status = google::protobuf::util::MessageToJsonString(message, &json);
  if (!status.ok()) {
    // Only possible for messages with unresolvable Any fields, which the
    // contract does not use; still, never print half a line.
    PrintError("cannot convert " + message.GetTypeName() + " to JSON: " + status.ToString());
    return;
  }
  std::cout << json << '\n';
}

size_t DisplayWidth(std::string_view utf8) {
  return std::count_if(utf8.begin(), utf8.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - DisplayWidth(row[i]) + 2, ' ');
    }
    std::cout << line << '\n';
  }
}

}  // namespace pedisim::console
