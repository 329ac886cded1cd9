// The debrief view of a recorded session: the timeline of the whole record,
// the monitor and state graph replaying as they looked at the playhead,
// the events up to it, and the assessment as released to learners. Play,
// pause, speed, scrub and jump between markers.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "client/recording_loader.h"
#include "client/replay_stream.h"
#include "views/event_log_view.h"
#include "views/view_context.h"

namespace pedisim::dashboard {

class DebriefScreen {
 public:
  // Opens the recording; playback starts at `start_at_s` (else the start).
  DebriefScreen(ControllerLink& link, std::string session_id, std::optional<double> start_at_s);

  void Draw(const Fonts& fonts, double now_s);
  bool ReadyForScreenshot() const;

 private:
  // Replays from `sim_time_s`: on at the speed when playing, else just up
  // to that moment so the monitor shows it.
  void Seek(double sim_time_s);
  void SetPlaying(bool playing);
  void DrawBar(const Fonts& fonts);
  double position_s() const;

  ControllerLink& link_;
  std::string session_id_;
  std::optional<double> start_at_s_;
  RecordingLoader loader_;
  std::shared_ptr<const LoadedRecording> loaded_;
  SessionModel model_;
  // After the model it plays into.
  std::unique_ptr<ReplayStream> stream_;
  SessionView view_;
  // The learners' assessment, for the performance panel.
  SessionView released_;
  AlarmTracker alarms_;
  EventLogFilter log_filter_;
  bool playing_ = true;
  double speed_ = 1;
  // Where a paused replay stands.
  double paused_at_s_ = 0;
};

}  // namespace pedisim::dashboard
