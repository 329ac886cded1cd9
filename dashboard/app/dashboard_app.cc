#include "app/dashboard_app.h"

#include <fmt/format.h>

#include <algorithm>

namespace pedisim::dashboard {

DashboardApp::DashboardApp(const AppOptions& options, const Fonts& fonts)
    : fonts_(fonts), connection_(options.connection) {
  fmt::format_to_n(connect_form_.address, sizeof(connect_form_.address) - 1, "{}",
                   options.controller);
  Connect(options.controller);
  if (options.session_id.empty()) return;
  if (options.screen == Screen::kLive) OpenLive(options.session_id);
  if (options.screen == Screen::kDebrief) OpenDebrief(options.session_id, options.debrief_at_s);
}

DashboardApp::~DashboardApp() { CloseSession(); }

void DashboardApp::Connect(const std::string& address) {
  CloseSession();
  link_ = std::make_unique<ControllerLink>(address, connection_);
  catalog_.Refresh(*link_);
}

void DashboardApp::CloseSession() {
  watch_.reset();
  commands_.reset();
  debrief_.reset();
  screen_ = Screen::kConnect;
}

void DashboardApp::OpenLive(const std::string& session_id) {
  CloseSession();
  watch_ = std::make_unique<SessionWatch>(*link_, session_id, model_);
  commands_ = std::make_unique<SessionCommands>(*link_, session_id);
  screen_ = Screen::kLive;
}

void DashboardApp::OpenDebrief(const std::string& session_id, std::optional<double> at_s) {
  CloseSession();
  debrief_ = std::make_unique<DebriefScreen>(*link_, session_id, at_s);
  screen_ = Screen::kDebrief;
}

bool DashboardApp::ReadyForScreenshot() const {
  if (screen_ == Screen::kConnect) return catalog_.Copy().loaded;
  if (screen_ == Screen::kDebrief) return debrief_->ReadyForScreenshot();
  const SessionView& view = live_.view();
  if (!view.has_session || !view.scenario) return false;
  // A session not started, or over, streams no waveforms to wait for.
  if (view.session.status() == v1::SESSION_STATUS_CREATED || view.stream == StreamState::kEnded) {
    return true;
  }
  // Two seconds of ECG: the sweep is visible and the numerics are in.
  return view.has_vitals && view.traces[static_cast<int>(Trace::kEcg)].seconds_shown() >= 2.0;
}

void DashboardApp::DrawConnectScreen() {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  if (BeginPanel("Connect", ImVec2(0, 0), display, false)) {
    const ConnectChoice choice =
        DrawConnect(catalog_.Copy(), link_->connected(), connect_form_, fonts_);
    switch (choice.kind) {
      case ConnectChoice::Kind::kConnect:
        Connect(connect_form_.address);
        break;
      case ConnectChoice::Kind::kOpenLive:
        OpenLive(choice.session_id);
        break;
      case ConnectChoice::Kind::kCreate:
        catalog_.Create(*link_, choice.create);
        break;
      case ConnectChoice::Kind::kOpenDebrief:
        OpenDebrief(choice.session_id, std::nullopt);
        break;
      case ConnectChoice::Kind::kArchive:
      case ConnectChoice::Kind::kRestore:
        catalog_.SetArchived(*link_, choice.session_id,
                             choice.kind == ConnectChoice::Kind::kArchive);
        break;
      case ConnectChoice::Kind::kDelete:
        catalog_.Delete(*link_, choice.session_id);
        break;
      case ConnectChoice::Kind::kRelist:
        catalog_.SetIncludeArchived(connect_form_.show_archived);
        catalog_.Refresh(*link_);
        break;
      case ConnectChoice::Kind::kNone:
        break;
    }
  }
  // What the last archive, restore or delete came to (the connect screen
  // has no control bar to show it).
  const std::vector<Notice> notices = link_->RecentNotices();
  if (!notices.empty()) {
    const Notice& last = notices.back();
    ImGui::TextColored(ToVec4(last.error ? colors::kBad : colors::kMuted), "%s", last.text.c_str());
  }
  ImGui::End();
  if (const auto created = catalog_.TakeCreated()) OpenLive(*created);
}

void DashboardApp::Frame(double now_s) {
  switch (screen_) {
    case Screen::kConnect:
      DrawConnectScreen();
      break;
    case Screen::kLive:
    case Screen::kDebrief:
      if (screen_ == Screen::kLive) {
        live_.Draw(model_, commands_.get(), link_->RecentNotices(), fonts_, now_s);
      } else {
        debrief_->Draw(fonts_, now_s);
      }
      // Escape leaves the session for the connect screen.
      if (ShortcutPressed(SDL_SCANCODE_ESCAPE) &&
          !ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopup)) {
        CloseSession();
        catalog_.Refresh(*link_);
      }
      break;
  }
}

}  // namespace pedisim::dashboard
