#pragma once

#include <filesystem>

#include "core/record_file/record_reader.h"
#include "pedisim/v1/debrief_service.pb.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::session {

// Why a record that has no end (the controller died or was stopped without
// ending it) ended, as Session.end_reason says it.
inline constexpr const char* kInterruptedWithoutEnd =
    "interrupted: the controller stopped without ending it";

// A session no longer in memory, as its record (scanned by ScanRecord)
// shows it: the final snapshot of an ended record, with the assessment as
// it stood last; for a record without an end (an interrupted session), what
// its header and its last flushed step say, PAUSED (CREATED if it never
// started) with kInterruptedWithoutEnd: it waits to be resumed.
v1::Session StoredSession(const recording::RecordSummary& summary,
                          const std::filesystem::path& record);

// A recorded session as its catalog row describes it (for lists: no record
// is read); an interrupted one as StoredSession shows it.
v1::Session ListedSession(const v1::Recording& recording);

}  // namespace pedisim::session
