#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "pedisim/v1/admin_service.pb.h"

namespace pedisim::services {

// One AdminService.Backup call: a thread of its own writes the archive
// (backup::WriteDataFolderArchive) to a temporary file, never on a gRPC
// thread, then the file goes out in chunks of 64 KiB, each written when the
// last is sent, the summary on the last; the file is deleted when the call
// ends, however it ends. One backup at a time: `running` is taken for the
// reactor's life. Deletes itself when gRPC is done with it.
class BackupReactor : public grpc::ServerWriteReactor<v1::BackupChunk> {
 public:
  // `running` must be true (taken by the caller) and is released in OnDone.
  BackupReactor(std::filesystem::path data_dir, std::atomic<bool>& running);

  void OnWriteDone(bool ok) override;
  void OnCancel() override;
  void OnDone() override;

 private:
  void Prepare();
  // Sends the next chunk, or finishes; under mu_.
  void SendNextLocked();

  const std::filesystem::path data_dir_;
  const std::filesystem::path archive_;
  std::atomic<bool>& running_;
  std::mutex mu_;
  std::ifstream in_;
  v1::BackupSummary summary_;
  v1::BackupChunk chunk_;
  bool finished_ = false;
};

}  // namespace pedisim::services
