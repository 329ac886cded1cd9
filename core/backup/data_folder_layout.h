#pragma once

#include <array>
#include <string>

namespace pedisim::backup {

// What a controller's data folder holds that a backup copies and a restore
// writes back (controller/backup/data_folder_archive, pedisimctl restore):
// the SQLite stores, copied through SQLite's online backup; plain files;
// folders, copied whole.
inline constexpr std::array<const char*, 2> kStores = {"auth.sqlite3", "catalog.sqlite3"};
inline constexpr std::array<const char*, 1> kPlainFiles = {"admin.token"};
inline constexpr std::array<const char*, 2> kFolders = {"tls", "sessions"};

// Whether `path`, an archive member's name, is one a data folder holds: a
// relative path without "." or "..", one of the stores or plain files, or
// below one of the folders. Returns the problem, or an empty string.
std::string CheckDataFolderPath(const std::string& path);

}  // namespace pedisim::backup
