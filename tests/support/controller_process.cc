#include "controller_process.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <stdexcept>
#include <thread>

#include "client/controller_channel.h"
#include "client/network_address.h"
#include "pedisim/v1/admin_service.grpc.pb.h"

namespace pedisim::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "pedisim-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

ControllerProcess::ControllerProcess(const std::filesystem::path& scenarios_dir,
                                     const std::vector<std::string>& extra_flags,
                                     const std::filesystem::path& data_dir,
                                     uint64_t file_size_limit) {
  std::string pattern = (std::filesystem::temp_directory_path() / "pedisim-ctl-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  work_dir_ = pattern;
  data_dir_ = data_dir.empty() ? work_dir_ / "data" : data_dir;
  const std::filesystem::path port_file = work_dir_ / "port";
  const std::filesystem::path device_port_file = work_dir_ / "device-tcp-port";
  log_file_ = work_dir_ / "controller.log";
  const std::string log_file = log_file_.string();

  // What the test printed but had not flushed would be flushed again by
  // the child's freopen, and appear once per controller started.
  std::fflush(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    // A test that crashes takes its controller with it, rather than leaving
    // it running and holding the test's output open (ctest would wait on it).
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    // Keep the test's output clean; the log stays in the work folder.
    FILE* log = std::freopen(log_file.c_str(), "w", stderr);
    FILE* out = std::freopen("/dev/null", "w", stdout);
    (void)log;
    (void)out;
    if (file_size_limit > 0) {
      rlimit limit{};
      getrlimit(RLIMIT_FSIZE, &limit);
      limit.rlim_cur = file_size_limit;
      setrlimit(RLIMIT_FSIZE, &limit);
    }
    std::vector<std::string> arguments = {PEDISIM_CONTROLLER_BIN,   "--port-file",
                                          port_file.string(),       "--data-dir",
                                          data_dir_.string(),       "--scenarios-dir",
                                          scenarios_dir.string(),   "--device-tcp-port-file",
                                          device_port_file.string()};
    arguments.insert(arguments.end(), extra_flags.begin(), extra_flags.end());
    const auto listen = std::find(extra_flags.begin(), extra_flags.end(), "--listen");
    if (listen == extra_flags.end() || listen + 1 == extra_flags.end()) {
      arguments.insert(arguments.end(), {"--listen", "127.0.0.1:0"});
    } else if (std::find(extra_flags.begin(), extra_flags.end(), "--device-tcp-listen") ==
               extra_flags.end()) {
      // A fixed --listen port (a test that restarts the controller on the
      // same address) would make the device TCP port default to the fixed
      // 50052, which tests running in parallel fight over: any free port
      // on the same host instead.
      const std::string& address = *(listen + 1);
      arguments.insert(arguments.end(),
                       {"--device-tcp-listen", address.substr(0, address.rfind(':')) + ":0"});
    }
    std::vector<char*> argv;
    for (std::string& argument : arguments) argv.push_back(argument.data());
    argv.push_back(nullptr);
    execv(PEDISIM_CONTROLLER_BIN, argv.data());
    std::_Exit(127);
  }
  // The controller writes the port file once it serves; 60 s is generous
  // for a loaded CI machine and only bounds a failure.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int port = 0;
  while (port == 0 && std::chrono::steady_clock::now() < give_up) {
    std::ifstream in(port_file);
    if (!(in >> port)) {
      port = 0;
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        Fail("controller exited early; see " + log_file);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  if (port == 0) Fail("controller did not write its port file; see " + log_file);
  std::string host = "127.0.0.1";
  bool tls = std::find(extra_flags.begin(), extra_flags.end(), "--tls") != extra_flags.end();
  if (const auto listen = std::find(extra_flags.begin(), extra_flags.end(), "--listen");
      listen != extra_flags.end() && listen + 1 != extra_flags.end()) {
    host = (listen + 1)->substr(0, (listen + 1)->rfind(':'));
    // A controller told to serve plain text beyond loopback is reached so.
    connection_.allow_plaintext =
        std::find(extra_flags.begin(), extra_flags.end(), "--allow-plaintext") != extra_flags.end();
    tls = tls || (!client::IsLoopbackHost(host) && !connection_.allow_plaintext);
  }
  address_ = host + ":" + std::to_string(port);
  // Written before the gRPC port file, so it is there now.
  std::ifstream(device_port_file) >> device_tcp_port_;
  // Written before the port file, on the data folder's first start.
  std::ifstream(admin_token_file()) >> admin_token_;
  if (admin_token_.empty()) Fail("no admin token in " + admin_token_file().string());
  connection_.token = admin_token_;
  if (tls) connection_.ca_file = (data_dir_ / "tls" / "ca.crt").string();
  channel_ = ChannelWithToken(admin_token_);
  if (!channel_->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(30))) {
    Fail("cannot connect to the controller at " + address_ + "; see " + log_file);
  }
}

std::shared_ptr<grpc::Channel> ControllerProcess::ChannelWithToken(const std::string& token) const {
  client::ConnectionOptions connection = connection_;
  connection.token = token;
  return client::MakeControllerChannel(address_, connection);
}

std::string ControllerProcess::AddUserWithToken(const std::string& name,
                                                const std::string& role) const {
  static const std::map<std::string, v1::Role> kRoles = {{"admin", v1::ROLE_ADMIN},
                                                         {"instructor", v1::ROLE_INSTRUCTOR},
                                                         {"learner", v1::ROLE_LEARNER},
                                                         {"device", v1::ROLE_DEVICE}};
  auto admin = v1::AdminService::NewStub(channel_);
  v1::AddUserRequest add;
  add.mutable_user()->set_name(name);
  add.mutable_user()->set_role(kRoles.at(role));
  v1::User user;
  grpc::ClientContext add_context;
  if (grpc::Status status = admin->AddUser(&add_context, add, &user); !status.ok()) {
    throw std::runtime_error("AddUser " + name + ": " + status.error_message());
  }
  v1::CreateTokenRequest create;
  create.set_user(name);
  v1::CreateTokenResponse created;
  grpc::ClientContext create_context;
  if (grpc::Status status = admin->CreateToken(&create_context, create, &created); !status.ok()) {
    throw std::runtime_error("CreateToken " + name + ": " + status.error_message());
  }
  return created.token();
}

void ControllerProcess::Fail(const std::string& why) {
  // The destructor does not run for a constructor that throws: clean up here.
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  throw std::runtime_error(why);
}

int ControllerProcess::Terminate() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ControllerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

ControllerProcess::~ControllerProcess() {
  Terminate();
  std::error_code ignored;
  std::filesystem::remove_all(work_dir_, ignored);
}

}  // namespace pedisim::testing
