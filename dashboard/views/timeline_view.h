// The debrief's timeline: the vital trends of the whole record over the
// states' bands, event ticks and bookmark flags, and the playhead. Click
// or drag to scrub, click a marker to jump to it.
#pragma once

#include <optional>

#include "model/recording_timeline.h"
#include "views/theme.h"

namespace pedisim::dashboard {

// Returns the simulated time to seek to, when the instructor picked one.
std::optional<double> DrawTimeline(const RecordingTimeline& timeline, double playhead_s,
                                   const Fonts& fonts);

}  // namespace pedisim::dashboard
