// The dashboard's screens and what they share: the link to the controller,
// the catalog the connect screen lists, and the session being followed.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "client/controller_catalog.h"
#include "client/controller_link.h"
#include "client/session_watch.h"
#include "views/connect_view.h"
#include "views/debrief_screen.h"
#include "views/live_screen.h"
#include "views/theme.h"

namespace pedisim::dashboard {

enum class Screen { kConnect, kLive, kDebrief };

struct AppOptions {
  std::string controller;
  // The token and TLS trust used for this and every later connection.
  client::ConnectionOptions connection;
  // Opened at once when set.
  std::string session_id;
  Screen screen = Screen::kConnect;
  // Where a debrief starts playing (simulated seconds).
  std::optional<double> debrief_at_s;
};

class DashboardApp {
 public:
  DashboardApp(const AppOptions& options, const Fonts& fonts);
  ~DashboardApp();

  // Builds one frame's windows; `now_s` is the dashboard's clock.
  void Frame(double now_s);
  // True once the open screen shows real content (a screenshot can be taken).
  bool ReadyForScreenshot() const;

 private:
  void Connect(const std::string& address);
  void OpenLive(const std::string& session_id);
  void OpenDebrief(const std::string& session_id, std::optional<double> at_s);
  void CloseSession();
  void DrawConnectScreen();

  Fonts fonts_;
  client::ConnectionOptions connection_;
  Screen screen_ = Screen::kConnect;
  // Declared before the link: the link's worker runs the catalog's calls,
  // so the link (and its thread) must go first.
  ControllerCatalog catalog_;
  std::unique_ptr<ControllerLink> link_;
  SessionModel model_;
  std::unique_ptr<SessionWatch> watch_;
  std::unique_ptr<SessionCommands> commands_;
  std::unique_ptr<DebriefScreen> debrief_;
  LiveScreen live_;
  ConnectForm connect_form_;
};

}  // namespace pedisim::dashboard
