#pragma once

// What pedisim-monitor's main loop needs of a screen, whichever role it
// plays (the monitor, or the defibrillator).

#include <imgui.h>

#include <string>

#include "monitor/app/text_fit.h"
#include "monitor/model/monitor_model.h"

namespace pedisim::monitor {

class RoomScreen {
 public:
  virtual ~RoomScreen() = default;
  // Adds the screen's fonts to ImGui's atlas for a screen of `size`.
  virtual void LoadFonts(ImVec2 size) = 0;
  // Draws one frame; `now_s` is the device's own clock.
  virtual void Frame(double now_s) = 0;
  // A key by name, as a touch on it does; false when it does nothing now.
  virtual bool Press(const std::string& key) = 0;
  // Headless runs: the screen has what a screenshot should show.
  virtual bool ReadyForScreenshot() const = 0;
  virtual const MonitorView& view() const = 0;
  virtual const TextAudit& audit() const = 0;
};

}  // namespace pedisim::monitor
