#include "core/scenario/spelling.h"

#include <algorithm>
#include <cctype>
#include <cstddef>

#include "core/text/utf8_cut.h"

namespace pedisim::scenario {
namespace {

std::string Normalize(std::string_view word) {
  std::string normalized;
  for (char c : word) {
    if (c == '_' || c == '-' || c == ' ') continue;
    normalized += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return normalized;
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

// Two edits are always a plausible typo; longer names tolerate
// proportionally more (a missing unit suffix such as "_bpm").
bool CloseEnough(std::string_view word, std::string_view candidate, std::size_t distance) {
  const std::size_t longer = std::max(word.size(), candidate.size());
  if (distance <= 2 && distance < longer) return true;
  if (distance * 10 <= longer * 4) return true;
  return word.size() >= 3 && candidate.starts_with(word);
}

}  // namespace

std::optional<std::string> SuggestClosest(std::string_view word,
                                          const std::vector<std::string>& candidates) {
  const std::string normalized_word = Normalize(word);
  if (normalized_word.empty()) return std::nullopt;
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& candidate : candidates) {
    const std::string normalized_candidate = Normalize(candidate);
    const std::size_t distance = EditDistance(normalized_word, normalized_candidate);
    if (!CloseEnough(normalized_word, normalized_candidate, distance)) continue;
    if (!best || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ", ";
    joined += name;
  }
  return joined;
}

std::string Quoted(std::string_view text) {
  constexpr std::size_t kMaxShown = 40;
  // Appended piecewise: GCC 12 gives a false -Wrestrict on "'" + std::string.
  std::string quoted = "'";
  if (text.size() <= kMaxShown) {
    quoted.append(text);
  } else {
    quoted.append(text::CutAtCharacter(text, kMaxShown - 3)).append("...");
  }
  quoted += '\'';
  return quoted;
}

}  // namespace pedisim::scenario
