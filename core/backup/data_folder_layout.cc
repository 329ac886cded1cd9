#include "core/backup/data_folder_layout.h"

#include <filesystem>

namespace pedisim::backup {

std::string CheckDataFolderPath(const std::string& path) {
  const std::filesystem::path relative(path);
  if (path.empty() || relative.is_absolute()) return "not a relative path";
  for (const std::filesystem::path& part : relative) {
    if (part == ".." || part == ".") return "has '.' or '..' in it";
  }
  for (const char* name : kStores) {
    if (path == name) return "";
  }
  for (const char* name : kPlainFiles) {
    if (path == name) return "";
  }
  const std::string top = relative.begin()->string();
  for (const char* name : kFolders) {
    if (top == name) return "";
  }
  return "not part of a data folder (auth.sqlite3, catalog.sqlite3, admin.token, tls/, "
         "sessions/)";
}

}  // namespace pedisim::backup
