// A recorded session laid out in time for the debrief: the vital trends,
// the spans of each scenario state, and the markers (bookmarks and other
// events) an instructor jumps between. Built from the SessionUpdates of an
// unpaced Replay; pure logic.
#pragma once

#include <string>
#include <vector>

#include "pedisim/v1/session_service.pb.h"

namespace pedisim::dashboard {

struct TrendPoint {
  double sim_time_s;
  v1::Vitals vitals;
};

struct StateBand {
  std::string state;
  double from_s;
  double to_s;
};

struct Marker {
  double sim_time_s;
  uint64_t event_id;
  bool bookmark;
  std::string label;
};

class RecordingTimeline {
 public:
  void Add(const v1::SessionUpdate& update);
  // Closes the last state band at the end of the record.
  void Finish(double duration_s);

  const std::vector<TrendPoint>& trend() const { return trend_; }
  const std::vector<StateBand>& bands() const { return bands_; }
  const std::vector<Marker>& markers() const { return markers_; }
  const std::vector<v1::Event>& events() const { return events_; }
  double duration_s() const { return duration_s_; }
  // The final assessment of the record (the instructor's), if any.
  const v1::Assessment* final_assessment() const {
    return has_assessment_ ? &assessment_ : nullptr;
  }

  // The first marker after `sim_time_s` (or before it), bookmarks only when
  // asked; `sim_time_s` itself when there is none.
  double NextMarker(double sim_time_s, bool bookmarks_only) const;
  double PreviousMarker(double sim_time_s, bool bookmarks_only) const;
  // How many events happened at or before `sim_time_s` (a prefix of events()).
  size_t EventsUntil(double sim_time_s) const;

 private:
  void EnterState(const std::string& state, double sim_time_s);

  std::vector<TrendPoint> trend_;
  std::vector<StateBand> bands_;
  std::vector<Marker> markers_;
  std::vector<v1::Event> events_;
  double duration_s_ = 0;
  v1::Assessment assessment_;
  bool has_assessment_ = false;
};

}  // namespace pedisim::dashboard
