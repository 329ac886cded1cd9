// The live view: the control bar over a fixed layout that fits 1280x720
// and scales up. Left: monitor, event log, devices; right: scenario graph,
// actions and overrides, performance.
#pragma once

#include <vector>

#include "client/controller_link.h"
#include "views/actions_view.h"
#include "views/event_log_view.h"
#include "views/override_view.h"
#include "views/view_context.h"

namespace pedisim::dashboard {

class LiveScreen {
 public:
  // Copies the model, draws every panel, and sizes the model's traces.
  void Draw(SessionModel& model, SessionCommands* commands, const std::vector<Notice>& notices,
            const Fonts& fonts, double now_s);
  // What the last frame drew from.
  const SessionView& view() const { return view_; }

 private:
  SessionView view_;
  AlarmTracker alarms_;
  ActionsForm actions_;
  OverrideForm overrides_;
  EventLogFilter log_filter_;
};

// Places the next window at a fixed spot, without moving or resizing.
bool BeginPanel(const char* title, ImVec2 position, ImVec2 size, bool title_bar = true);

}  // namespace pedisim::dashboard
