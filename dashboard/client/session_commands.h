// The instructor's commands on one session, as the UI calls them: each is
// queued on the ControllerLink's worker and returns at once; the result
// shows as a notice and, through the Watch stream, in the session itself.
#pragma once

#include <string>
#include <vector>

#include "client/controller_link.h"

namespace pedisim::dashboard {

class SessionCommands {
 public:
  SessionCommands(ControllerLink& link, std::string session_id)
      : link_(link), session_id_(std::move(session_id)) {}

  void Start();
  void Pause();
  void Resume();
  void Stop();
  void SetSpeed(double speed);
  void GoToState(const std::string& state);
  // Holds the set parameters of `vitals`, trending over `trend_s`.
  void Override(const v1::Vitals& vitals, double trend_s);
  // Hands `vitals` (field names) back to the script over `trend_s`.
  void Release(const std::vector<std::string>& vitals, double trend_s);
  void LogAction(const v1::LearnerAction& action, const std::string& description);
  void Bookmark(const std::string& label);
  void ReleaseScores();
  // What the room's monitors show (SessionService.SetRoomDisplay).
  void SetRoomDisplay(const v1::RoomDisplay& display, const std::string& description);

  const std::string& session_id() const { return session_id_; }

 private:
  v1::SessionRef Ref() const;

  ControllerLink& link_;
  std::string session_id_;
};

}  // namespace pedisim::dashboard
