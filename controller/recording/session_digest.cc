#include "controller/recording/session_digest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/record_file/record_reader.h"

namespace pedisim::recording {

std::string ClockText(double sim_time_s) {
  const auto total = static_cast<int64_t>(std::floor(std::max(0.0, sim_time_s)));
  if (total >= 3600) {
    return fmt::format("{}:{:02d}:{:02d}", total / 3600, (total / 60) % 60, total % 60);
  }
  return fmt::format("{:02d}:{:02d}", total / 60, total % 60);
}

SessionDigest DigestRecord(const std::filesystem::path& record) {
  RecordReader reader(record);
  SessionDigest digest;
  digest.header = reader.header();
  const RecordSummary summary = ScanRecord(record, /*repair=*/false);
  digest.annotations = summary.annotations;
  v1::RecordEntry entry;
  auto enter_state = [&digest](const std::string& state, double at_s) {
    if (!digest.states.empty()) {
      if (digest.states.back().state == state) return;
      digest.states.back().to_s = at_s;
    }
    digest.states.push_back({state, at_s, at_s});
  };
  while (reader.Next(&entry)) {
    const double at_s = static_cast<double>(entry.step()) * 0.1;
    digest.duration_s = std::max(digest.duration_s, at_s);
    switch (entry.entry_case()) {
      case v1::RecordEntry::kEvent: {
        const v1::Event& event = entry.event();
        if (event.kind() == v1::EVENT_KIND_STATE_ENTERED && event.has_state_change()) {
          enter_state(event.state_change().to_state(), event.sim_time_s());
        }
        digest.events.push_back(event);
        break;
      }
      case v1::RecordEntry::kVitals:
        digest.vitals.push_back(entry.vitals());
        break;
      case v1::RecordEntry::kAssessment:
        digest.assessment = entry.assessment();
        break;
      case v1::RecordEntry::kFinalAssessment:
        digest.assessment = entry.final_assessment();
        break;
      case v1::RecordEntry::kEnd:
        digest.ended = true;
        digest.final_session = entry.end().session();
        if (digest.final_session.has_assessment()) {
          digest.assessment = digest.final_session.assessment();
        }
        digest.duration_s = std::max(digest.duration_s, digest.final_session.sim_time_s());
        break;
      default:
        break;
    }
  }
  if (summary.last_assessment) digest.assessment = summary.last_assessment;
  if (!digest.states.empty()) digest.states.back().to_s = digest.duration_s;
  return digest;
}

}  // namespace pedisim::recording
