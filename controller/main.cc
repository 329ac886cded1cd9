// pedisim-controller: hosts simulation sessions behind the public gRPC API.
// Parses the configuration, starts a Controller and stops it on SIGINT or
// SIGTERM.

#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <csignal>

#include "controller/controller.h"
#include "controller/controller_config.h"
#include "controller/log_output.h"

namespace {

// Every network device holds a socket (a TCP device one of its own, gRPC
// devices at least one per client process), and each session keeps its
// record open. The usual soft limit of 1,024 open files is there for select(),
// which neither gRPC nor Asio uses (both use epoll), and it cuts a classroom
// of 1,000 TCP manikins short with "Too many open files" on accept. Raise
// the soft limit to the hard one, which the administrator still controls.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  if (limit.rlim_cur < limit.rlim_max) {
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) return;
    spdlog::info("open file limit raised from {} to {}", before, limit.rlim_cur);
  }
}

int WaitForTerminationSignal(const sigset_t& signals) {
  int signal = 0;
  sigwait(&signals, &signal);
  return signal;
}

}  // namespace

int main(int argc, char** argv) {
  const pedisim::ParsedConfig parsed = pedisim::ParseControllerConfig(argc, argv);
  if (!parsed.config) return parsed.exit_code;
  // Logs go to stderr so that stdout stays free for scripts.
  pedisim::SetUpLogOutput(parsed.config->log_level);
  RaiseOpenFileLimit();

  // Block the termination signals in every thread gRPC will start, so that
  // only sigwait below sees them and shutdown runs on the main thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A file grown past the administrator's size limit must fail its write
  // (the recorder reports it and keeps the record valid), not kill the
  // controller and every session with it.
  std::signal(SIGXFSZ, SIG_IGN);

  pedisim::Controller controller(*parsed.config);
  if (const int failed = controller.Start(); failed != 0) return failed;
  const int signal = WaitForTerminationSignal(signals);
  spdlog::info("signal {} received: stopping", signal);
  controller.Stop();
  spdlog::info("pedisim-controller stopped");
  return 0;
}
