#pragma once

#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace pedisim::checks {

// The bounds every request meets before a handler sees it, read from the
// contract's field options (proto/pedisim/v1/field_limits.proto): string
// lengths, repeated sizes, finite and bounded numbers, declared enum
// values. Walks nested messages, repeated fields and maps. The first field
// over a bound is refused INVALID_ARGUMENT, named by its path
// ("action.dose_mg", "participants[2].name") with the bound, and never
// echoes more than kMaxEcho characters of what was sent.
grpc::Status CheckMessageLimits(const google::protobuf::Message& message);

// Defaults for fields without an option.
inline constexpr size_t kDefaultMaxLength = 200;
inline constexpr int kDefaultMaxRepeated = 1000;

// Characters of a client's input an error message quotes at most.
inline constexpr size_t kMaxEcho = 200;

// `input` for an error message: whole when short, else its first
// `max_length` characters (cut on a UTF-8 boundary) and
// "... (N characters, cut)".
std::string Echo(std::string_view input, size_t max_length = kMaxEcho);

}  // namespace pedisim::checks
