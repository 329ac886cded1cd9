// What every view of a session gets for one frame: the model's copy, the
// commands it may send (none in the debrief, which only plays a record),
// the alarm state and the fonts.
#pragma once

#include <SDL.h>

#include <span>

#include "client/session_commands.h"
#include "model/alarm_tracker.h"
#include "model/session_model.h"
#include "views/theme.h"

namespace pedisim::dashboard {

struct ViewContext {
  const SessionView& view;
  // Null when the view is read-only (a debrief replay).
  SessionCommands* commands;
  AlarmTracker& alarms;
  const Fonts& fonts;
  // The dashboard's own clock (seconds), for flashing and countdowns.
  double now_s;
};

// True when the keyboard belongs to shortcuts (no text field is being typed in).
bool ShortcutsActive();
// A shortcut key (an SDL_Scancode: ImGui 1.86's SDL backend indexes keys by
// scancode) pressed this frame, without Ctrl/Alt unless asked.
bool ShortcutPressed(int scancode, bool ctrl = false);

// The event with `id` in `events` (sorted by id), or null.
const v1::Event* FindEvent(std::span<const v1::Event> events, uint64_t id);

// A tooltip on the last item naming what it does and its key.
void HelpTooltip(const char* text);

}  // namespace pedisim::dashboard
