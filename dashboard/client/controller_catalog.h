// What the connect screen lists: the controller's sessions, scenarios and
// recordings, fetched on the ControllerLink's worker and read by the UI;
// and the session the UI asked to create.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "client/controller_link.h"

namespace pedisim::dashboard {

struct CatalogView {
  bool loaded = false;
  std::string error;
  std::vector<v1::Session> sessions;
  std::vector<v1::ScenarioSummary> scenarios;
  std::vector<v1::Recording> recordings;
  // Why recordings are not listed (a controller without DebriefService).
  std::string recordings_error;
};

class ControllerCatalog {
 public:
  // Asks for the lists again; the answers land in the next Copy().
  void Refresh(ControllerLink& link);
  // Whether Refresh lists archived recordings too (from the next Refresh).
  void SetIncludeArchived(bool include_archived);
  // Archives or restores an ended session's recording, or deletes it
  // (DebriefService.SetArchived, DeleteRecording); the outcome shows as a
  // notice, and the lists are asked for again.
  void SetArchived(ControllerLink& link, const std::string& session_id, bool archived);
  void Delete(ControllerLink& link, const std::string& session_id);
  // Creates a session; its id comes out of TakeCreated() once made.
  void Create(ControllerLink& link, const v1::CreateSessionRequest& request);

  CatalogView Copy() const;
  std::optional<std::string> TakeCreated();

 private:
  mutable std::mutex mutex_;
  CatalogView view_;
  std::optional<std::string> created_;
  bool include_archived_ = false;
};

}  // namespace pedisim::dashboard
