// Exit codes, error reporting and the machine-readable (JSON) output.
#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <string>
#include <string_view>
#include <vector>

namespace pedisim::console {

// Process exit codes, following sysexits.h where one fits.
enum ExitCode : int {
  kExitOk = 0,
  kExitError = 1,
  kExitLintWarnings = 3,         // scenario lint: warnings but no errors
  kExitUsage = 64,               // EX_USAGE
  kExitInvalidInput = 65,        // EX_DATAERR
  kExitNotFound = 66,            // EX_NOINPUT
  kExitUnavailable = 69,         // EX_UNAVAILABLE
  kExitFailedPrecondition = 70,  // EX_SOFTWARE
  kExitNotAllowed = 77,          // EX_NOPERM
};

// Text for the --help footer and docs/cli.md.
extern const char kExitCodeHelp[];

// "NOT_FOUND" for grpc::StatusCode::NOT_FOUND.
std::string StatusCodeName(grpc::StatusCode code);

// Exit code for a failed call. `reached_controller` tells a controller that
// was too slow to answer apart from one that could not be reached at all.
int ExitCodeForStatus(grpc::StatusCode code, bool reached_controller);

// The name errors start with ("pedisimctl", the default; "pedisim-device").
// Set once, at the start of main.
void SetProgramName(std::string_view name);

// Prints "<program>: <STATUS_NAME>: <message>" to stderr.
void PrintStatusError(const grpc::Status& status);

// Prints "<program>: <message>" to stderr, for errors that happen before or
// without a call (unreadable local files).
void PrintError(std::string_view message);

// Prints the message as one line of proto3 JSON to stdout.
void PrintJsonLine(const google::protobuf::Message& message);

// Prints rows as left-aligned columns separated by two spaces; the first row
// is the header. Widths count UTF-8 code points, not bytes.
void PrintTable(const std::vector<std::vector<std::string>>& rows);

// Number of code points in a UTF-8 string: its width on a terminal for the
// text this tool prints (no wide or combining characters).
size_t DisplayWidth(std::string_view utf8);

}  // namespace pedisim::console
