// The first screen: which controller, its sessions and recordings, and a
// new session of a scenario with its learners and their roles.
#pragma once

#include <string>
#include <vector>

#include "client/controller_catalog.h"
#include "views/theme.h"

namespace pedisim::dashboard {

struct ParticipantRow {
  char name[64] = "";
  int role = 0;  // index into kRoles
};

struct ConnectForm {
  char address[128] = "";
  int scenario = 0;
  std::vector<ParticipantRow> participants = std::vector<ParticipantRow>(2);
  int speed = 2;  // index into kSpeeds
  bool virtual_monitor = true;
  bool virtual_manikin = false;
  // The recordings list shows archived ones too.
  bool show_archived = false;
  // The recording whose Archive or Delete waits for the instructor's
  // confirmation, and which of the two.
  std::string confirm_session_id;
  bool confirm_delete = false;
};

struct ConnectChoice {
  enum class Kind {
    kNone,
    kConnect,
    kOpenLive,
    kOpenDebrief,
    kCreate,
    // Confirmed in the dashboard: archive, restore or delete session_id.
    kArchive,
    kRestore,
    kDelete,
    // form.show_archived changed: list again.
    kRelist,
  };
  Kind kind = Kind::kNone;
  std::string session_id;
  v1::CreateSessionRequest create;
};

ConnectChoice DrawConnect(const CatalogView& catalog, bool connected, ConnectForm& form,
                          const Fonts& fonts);

}  // namespace pedisim::dashboard
