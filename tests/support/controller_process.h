#pragma once

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "client/controller_channel.h"

namespace pedisim::testing {

// A real pedisim-controller process on an ephemeral loopback port, with its
// own temporary data folder. Stopped with SIGTERM when destroyed. Shared by
// the integration tests and the load benchmarks in bench/.
class ControllerProcess {
 public:
  // Starts the controller serving the scenarios in `scenarios_dir` and waits
  // until it is accepting calls. Throws std::runtime_error if it cannot (a
  // test whose fixture throws fails); the controller's log is then kept.
  // `data_dir`: use this data folder (it outlives the process, so that a
  // restart finds what the last one left); default: a fresh one.
  // `file_size_limit`: RLIMIT_FSIZE of the process, bytes (a disk that
  // fills up); 0 = none.
  explicit ControllerProcess(const std::filesystem::path& scenarios_dir,
                             const std::vector<std::string>& extra_flags = {},
                             const std::filesystem::path& data_dir = {},
                             uint64_t file_size_limit = 0);
  ~ControllerProcess();

  // host:port of its gRPC service: 127.0.0.1 unless `extra_flags` has a
  // --listen of its own (then its host, with the port it bound).
  const std::string& address() const { return address_; }
  // How to reach it: the admin token, and over TLS (trusting the
  // controller's own CA) when it serves TLS (--tls, or a --listen beyond
  // loopback without --allow-plaintext).
  const client::ConnectionOptions& connection() const { return connection_; }
  // Where devices connect over plain TCP.
  int device_tcp_port() const { return device_tcp_port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& log_file() const { return log_file_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  // A channel whose calls carry the admin token.
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  // The token of the admin the controller made on the data folder's first
  // start, and the file it is in (pedisimctl --token-file).
  const std::string& admin_token() const { return admin_token_; }
  std::filesystem::path admin_token_file() const { return data_dir_ / "admin.token"; }
  // A new channel whose calls carry `token` (empty: none).
  std::shared_ptr<grpc::Channel> ChannelWithToken(const std::string& token) const;
  // A user with `role` ("learner", "instructor", "device", "admin") and a
  // token of theirs, made through AdminService; throws when refused.
  std::string AddUserWithToken(const std::string& name, const std::string& role) const;

  // Sends SIGTERM and returns the exit status (-1 when killed by a signal).
  int Terminate();
  // SIGKILL: the controller dies at once, as in a crash.
  void Kill();

 private:
  // Kills the process and throws `why`.
  [[noreturn]] void Fail(const std::string& why);

  pid_t pid_ = -1;
  std::filesystem::path work_dir_;
  std::filesystem::path data_dir_;
  std::string address_;
  int device_tcp_port_ = 0;
  std::filesystem::path log_file_;
  std::string admin_token_;
  client::ConnectionOptions connection_;
  std::shared_ptr<grpc::Channel> channel_;
};

// A fresh temporary folder, removed with its contents when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace pedisim::testing
