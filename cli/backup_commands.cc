#include "backup_commands.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "client/console/formatting.h"
#include "client/console/output.h"
#include "controller_client.h"
#include "core/backup/data_folder_layout.h"

namespace pedisim::cli {
namespace {

namespace fs = std::filesystem;

// Streams the controller's backup into FILE: written to FILE.part, mode
// 0600 from the start (the archive holds secrets), renamed when whole.
int RunBackup(const GlobalOptions& global, const std::string& file) {
  const fs::path target(file);
  if (fs::exists(target)) {
    console::PrintError(file + ": exists already; a backup never overwrites a file");
    return console::kExitUsage;
  }
  const fs::path part = file + ".part";
  const int fd = ::open(part.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    console::PrintError(part.string() + ": cannot create");
    return console::kExitNotFound;
  }
  ControllerClient client(global);
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::BackupChunk>> reader =
      client.admin().Backup(&context, v1::BackupRequest());
  v1::BackupChunk chunk;
  v1::BackupSummary summary;
  bool written = true;
  while (reader->Read(&chunk)) {
    const std::string& data = chunk.data();
    written = written && ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
    if (chunk.has_summary()) summary = chunk.summary();
  }
  const grpc::Status status = reader->Finish();
  written = ::fsync(fd) == 0 && written;
  ::close(fd);
  if (!status.ok() || !written) {
    std::error_code ignored;
    fs::remove(part, ignored);
    if (!status.ok()) return client.Fail(status);
    console::PrintError(part.string() + ": cannot write");
    return console::kExitError;
  }
  fs::rename(part, target);
  return client.Respond<v1::BackupSummary>(status, summary, [&](const v1::BackupSummary& taken) {
    std::cout << "backup of " << global.controller << " taken "
              << console::FormatLocalTime(taken.taken_at()) << ": " << taken.files() << " files, "
              << taken.sessions() << " session records, " << taken.archive_bytes() << " bytes in "
              << file << " (mode 0600: it holds the controller's secrets)\n";
  });
}

using Reader = std::unique_ptr<archive, decltype(&archive_read_free)>;

// Unpacks a backup into `data_dir`, which must be empty or not exist: every
// member is checked (a file or folder the data folder holds, no absolute
// path, no "..", no link) before anything is written, then written with the
// controller's modes (files 0600, folders 0700).
int RunRestore(const std::string& file, const std::string& data_dir) {
  const fs::path target(data_dir);
  std::error_code error;
  if (fs::exists(target) && !fs::is_empty(target, error)) {
    console::PrintError("--data-dir " + data_dir +
                        ": not empty; restore into a new folder, then start the controller on it "
                        "(--data-dir)");
    return console::kExitUsage;
  }
  auto open = [&]() {
    Reader reader(archive_read_new(), archive_read_free);
    archive_read_support_format_tar(reader.get());
    if (archive_read_open_filename(reader.get(), file.c_str(), 1 << 16) != ARCHIVE_OK) {
      throw std::runtime_error(file + ": " + archive_error_string(reader.get()));
    }
    return reader;
  };
  try {
    // First pass: every member checked before anything is written.
    {
      Reader reader = open();
      archive_entry* entry = nullptr;
      int members = 0;
      while (archive_read_next_header(reader.get(), &entry) == ARCHIVE_OK) {
        const std::string name = archive_entry_pathname(entry);
        const mode_t type = archive_entry_filetype(entry);
        if (type != AE_IFREG && type != AE_IFDIR) {
          throw std::runtime_error(file + ": '" + name + "' is neither a file nor a folder");
        }
        std::string path = name;
        while (!path.empty() && path.back() == '/') path.pop_back();
        if (const std::string problem = backup::CheckDataFolderPath(path); !problem.empty()) {
          throw std::runtime_error(file + ": '" + name + "': " + problem);
        }
        ++members;
      }
      if (members == 0) throw std::runtime_error(file + ": not a PediSim backup (no members)");
    }
    fs::create_directories(target);
    fs::permissions(target, fs::perms::owner_all);
    Reader reader = open();
    archive_entry* entry = nullptr;
    int files = 0;
    while (archive_read_next_header(reader.get(), &entry) == ARCHIVE_OK) {
      std::string name = archive_entry_pathname(entry);
      while (!name.empty() && name.back() == '/') name.pop_back();
      const fs::path path = target / name;
      if (archive_entry_filetype(entry) == AE_IFDIR) {
        fs::create_directories(path);
        fs::permissions(path, fs::perms::owner_all);
        continue;
      }
      fs::create_directories(path.parent_path());
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0) throw std::runtime_error(path.string() + ": cannot create");
      const int copied = archive_read_data_into_fd(reader.get(), fd);
      ::close(fd);
      if (copied != ARCHIVE_OK) {
        throw std::runtime_error(name + ": " + archive_error_string(reader.get()));
      }
      ++files;
    }
    std::cout << "restored " << files << " files into " << data_dir
              << "; start the controller on it: pedisim-controller --data-dir " << data_dir << "\n";
    return console::kExitOk;
  } catch (const std::exception& failure) {
    console::PrintError(std::string("restore: ") + failure.what());
    return console::kExitInvalidInput;
  }
}

}  // namespace

void AddBackupCommands(CLI::App& app, const GlobalOptions& global, CommandRunner& selected) {
  auto file = std::make_shared<std::string>();
  CLI::App* backup = app.add_subcommand(
      "backup",
      "Copy the controller's data folder while it runs into FILE, a tar archive (admins only)");
  backup->add_option("FILE", *file, "The archive to write (must not exist)")->required();
  backup->callback([&, file] { selected = [&, file] { return RunBackup(global, *file); }; });

  auto archive = std::make_shared<std::string>();
  auto data_dir = std::make_shared<std::string>();
  CLI::App* restore = app.add_subcommand(
      "restore",
      "Unpack a backup into an empty data folder for a controller to start on (local; no "
      "controller is called)");
  restore->add_option("FILE", *archive, "The archive pedisimctl backup wrote")
      ->required()
      ->check(CLI::ExistingFile);
  restore->add_option("--data-dir", *data_dir, "The new data folder (empty or not yet there)")
      ->required();
  restore->callback([&, archive, data_dir] {
    selected = [archive, data_dir] { return RunRestore(*archive, *data_dir); };
  });
}

}  // namespace pedisim::cli
