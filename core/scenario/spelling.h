#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pedisim::scenario {

// The candidate that `word` most likely misspells, if any is close enough to
// be worth a "did you mean" hint. Case, '_' and '-' are ignored, so
// "heartRateBpm" and "Heart-Rate-BPM" both suggest "heart_rate_bpm"; a word
// that is a prefix of a candidate ("temp" -> "temperature_c") also counts.
std::optional<std::string> SuggestClosest(std::string_view word,
                                          const std::vector<std::string>& candidates);

// "a, b, c": for "expected one of: ..." hints.
std::string JoinNames(const std::vector<std::string>& names);

// 'text' in single quotes, as diagnostics show what the author wrote; long
// text is cut so that a stray paragraph does not flood the message.
std::string Quoted(std::string_view text);

}  // namespace pedisim::scenario
