#include "views/debrief_screen.h"

#include <algorithm>

#include "views/controls_view.h"
#include "views/live_screen.h"
#include "views/monitor_view.h"
#include "views/performance_view.h"
#include "views/scenario_view.h"
#include "views/timeline_view.h"
#include "views/vital_info.h"

namespace pedisim::dashboard {

DebriefScreen::DebriefScreen(ControllerLink& link, std::string session_id,
                             std::optional<double> start_at_s)
    : link_(link),
      session_id_(std::move(session_id)),
      start_at_s_(start_at_s),
      loader_(link_, session_id_) {}

double DebriefScreen::position_s() const {
  // Right after a seek the model restarts from the keyframe before it.
  return playing_ ? std::max(view_.sim_time_s, paused_at_s_) : paused_at_s_;
}

void DebriefScreen::Seek(double sim_time_s) {
  const double end = loaded_ ? loaded_->timeline.duration_s() : 0;
  sim_time_s = std::clamp(sim_time_s, 0.0, std::max(0.0, end));
  paused_at_s_ = sim_time_s;
  stream_.reset();
  ReplaySpan span{sim_time_s, speed_, playing_ ? 0.0 : sim_time_s + 0.1};
  stream_ = std::make_unique<ReplayStream>(link_, session_id_, span, model_);
}

void DebriefScreen::SetPlaying(bool playing) {
  const double at = position_s();
  playing_ = playing;
  // At the end, play starts over.
  const bool at_end = loaded_ && at >= loaded_->timeline.duration_s() - 0.1;
  Seek(playing && at_end ? 0 : at);
}

bool DebriefScreen::ReadyForScreenshot() const {
  if (!loaded_) return false;
  if (!loaded_->error.empty() || view_.stream == StreamState::kEnded) return true;
  return view_.traces[static_cast<int>(Trace::kEcg)].seconds_shown() >= 2.0;
}

void DebriefScreen::DrawBar(const Fonts& fonts) {
  const RecordingTimeline& timeline = loaded_->timeline;
  ImGui::PushFont(fonts.bold);
  ImGui::AlignTextToFramePadding();
  ImGui::Text("Debrief: %s", loaded_->recording.scenario_title().c_str());
  ImGui::SameLine();
  ImGui::Text("T %s / %s", ClockText(position_s()).c_str(),
              ClockText(timeline.duration_s()).c_str());
  ImGui::PopFont();
  ImGui::SameLine();
  if (ImGui::Button(playing_ ? "Pause" : "Play") || ShortcutPressed(SDL_SCANCODE_SPACE)) {
    SetPlaying(!playing_);
  }
  HelpTooltip("Play or pause the replay [Space]");
  ImGui::SameLine();
  const auto change_speed = [&](int direction) {
    speed_ = StepSpeed(speed_, direction);
    if (playing_) Seek(position_s());
  };
  if (ImGui::Button("-") || ShortcutPressed(SDL_SCANCODE_MINUS)) change_speed(-1);
  HelpTooltip("Slower [-]");
  ImGui::SameLine();
  ImGui::Text("%gx", speed_);
  ImGui::SameLine();
  if (ImGui::Button("+") || ShortcutPressed(SDL_SCANCODE_EQUALS)) change_speed(+1);
  HelpTooltip("Faster [+]");
  ImGui::SameLine();
  struct Jump {
    const char* label;
    const char* help;
    int scancode;
    bool forward;
    bool bookmarks_only;
  };
  for (const Jump& jump :
       {Jump{"|< bookmark", "Previous bookmark [Page Up]", SDL_SCANCODE_PAGEUP, false, true},
        Jump{"< event", "Previous event [Left]", SDL_SCANCODE_LEFT, false, false},
        Jump{"event >", "Next event [Right]", SDL_SCANCODE_RIGHT, true, false},
        Jump{"bookmark >|", "Next bookmark [Page Down]", SDL_SCANCODE_PAGEDOWN, true, true}}) {
    if (ImGui::Button(jump.label) || ShortcutPressed(jump.scancode)) {
      const double at = position_s();
      Seek(jump.forward ? timeline.NextMarker(at, jump.bookmarks_only)
                        : timeline.PreviousMarker(at, jump.bookmarks_only));
    }
    HelpTooltip(jump.help);
    ImGui::SameLine();
  }
  ImGui::TextColored(ToVec4(colors::kMuted), "%s", view_.stream_detail.c_str());
}

void DebriefScreen::Draw(const Fonts& fonts, double now_s) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  if (!loaded_) {
    loaded_ = loader_.result();
    if (loaded_ && loaded_->error.empty()) {
      model_.SetScenario(loaded_->scenario);
      released_.has_assessment = true;
      released_.assessment = loaded_->learner_assessment;
      released_.sim_time_s = loaded_->learner_assessment.sim_time_s();
      Seek(start_at_s_.value_or(0));
    }
  }
  if (!loaded_ || !loaded_->error.empty()) {
    if (BeginPanel("Debrief", ImVec2(0, 0), display, false)) {
      ImGui::Text("%s", loaded_ ? loaded_->error.c_str() : "Loading the recording...");
    }
    ImGui::End();
    return;
  }
  model_.CopyInto(view_);
  if (playing_ && view_.stream == StreamState::kEnded) {
    playing_ = false;
    paused_at_s_ = view_.sim_time_s;
  }
  const RecordingTimeline& timeline = loaded_->timeline;
  const ViewContext context{view_, nullptr, alarms_, fonts, now_s};
  const float bar_height = ImGui::GetFrameHeight() + 14;
  const float body = display.y - bar_height;
  const float left = display.x * 0.58f;
  const float upper = body * 0.55f;

  if (BeginPanel("##debrief bar", ImVec2(0, 0), ImVec2(display.x, bar_height), false))
    DrawBar(fonts);
  ImGui::End();
  if (BeginPanel("Monitor (replay)", ImVec2(0, bar_height), ImVec2(left, upper))) {
    model_.SetTraceWindows(DrawMonitor(context));
  }
  ImGui::End();
  if (BeginPanel("Scenario", ImVec2(left, bar_height), ImVec2(display.x - left, upper * 0.5f))) {
    DrawScenario(context);
  }
  ImGui::End();
  if (BeginPanel("Assessment as released to learners", ImVec2(left, bar_height + upper * 0.5f),
                 ImVec2(display.x - left, upper * 0.5f))) {
    DrawPerformance({released_, nullptr, alarms_, fonts, now_s});
  }
  ImGui::End();
  const float lower_top = bar_height + upper;
  const float timeline_width = display.x * 0.68f;
  if (BeginPanel("Timeline", ImVec2(0, lower_top), ImVec2(timeline_width, display.y - lower_top))) {
    if (const std::optional<double> seek = DrawTimeline(timeline, position_s(), fonts)) Seek(*seek);
  }
  ImGui::End();
  if (BeginPanel("Events so far", ImVec2(timeline_width, lower_top),
                 ImVec2(display.x - timeline_width, display.y - lower_top))) {
    const size_t shown = timeline.EventsUntil(position_s());
    DrawEventLog({timeline.events().data(), shown}, log_filter_);
  }
  ImGui::End();
}

}  // namespace pedisim::dashboard
