#pragma once

#include <filesystem>

#include "pedisim/v1/admin_service.pb.h"

namespace pedisim::backup {

// Writes a copy of the controller's data folder, taken while it runs, to
// `archive` as a POSIX tar archive (pax): the two SQLite stores
// (auth.sqlite3, catalog.sqlite3) each as one consistent snapshot through
// SQLite's online backup, every file of every session folder as far as it
// is written at that moment, admin.token and tls/. Members are relative
// paths below the data folder, files 0600 and folders 0700, as the
// controller keeps them. Throws std::runtime_error naming what failed.
v1::BackupSummary WriteDataFolderArchive(const std::filesystem::path& data_dir,
                                         const std::filesystem::path& archive);

}  // namespace pedisim::backup
