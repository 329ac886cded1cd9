#pragma once

// Shared by the end-to-end load tools (device_fanout_bench, tcp_cpr_load):
// latency summaries, a tiny JSON writer, session calls, the fd limit.

#include <grpcpp/grpcpp.h>
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "devices/network/device_client.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::bench {

using Clock = std::chrono::system_clock;

// Milliseconds from `queued_at` (controller or baseline clock, same machine)
// to `received`.
double LatencyMs(const google::protobuf::Timestamp& queued_at, Clock::time_point received);

struct LatencySummary {
  size_t count = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Sorts `samples_ms` in place.
LatencySummary Summarize(std::vector<float>& samples_ms);

// Appends per-thread vectors into one.
std::vector<float> Merge(std::vector<std::vector<float>>& parts);

// A flat JSON object built in insertion order; values are numbers, strings
// or nested objects.
class JsonObject {
 public:
  JsonObject& Add(const std::string& key, double value);
  JsonObject& Add(const std::string& key, uint64_t value);
  JsonObject& Add(const std::string& key, int value) {
    return Add(key, static_cast<uint64_t>(value < 0 ? 0 : value));
  }
  JsonObject& Add(const std::string& key, const std::string& value);
  JsonObject& Add(const std::string& key, const char* value) {
    return Add(key, std::string(value));
  }
  JsonObject& Add(const std::string& key, bool value);
  JsonObject& Add(const std::string& key, const JsonObject& value);
  JsonObject& Add(const std::string& key, const LatencySummary& value);
  JsonObject& Add(const std::string& key, const std::vector<JsonObject>& array);
  std::string str() const;
  // One line to `path`, or to stdout when it is "-" (the tools' --json).
  void WriteTo(const std::string& path) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// One row of `./pedisim bench`'s table (bench/run_benchmarks.py reads the
// "figures" array of every tool's JSON): a figure, the baseline measured in
// the same run and what that baseline is, and value / baseline.
struct Figure {
  std::string name;
  double value = 0;
  std::string unit;
  double baseline = 0;
  std::string baseline_name;
};
JsonObject FigureJson(const Figure& figure);
std::vector<JsonObject> FiguresJson(const std::vector<Figure>& figures);

// Raises this process's soft RLIMIT_NOFILE to the hard limit (children
// inherit it); returns the soft limit now in force.
uint64_t RaiseFileLimit();
// RaiseFileLimit, then throws std::runtime_error unless `devices` sockets
// (and 200 more for everything else) fit under the limit.
uint64_t RaiseFileLimitFor(uint64_t devices);

// User plus system CPU seconds a process has used so far (/proc/<pid>/stat).
double ProcessCpuSeconds(pid_t pid);

// Resident memory of a process from /proc/<pid>/status, in MiB: VmRSS now,
// VmHWM the peak so far. Zero when it cannot be read.
struct ResidentMemory {
  double rss_mib = 0;
  double peak_mib = 0;
};
ResidentMemory ProcessResidentMemory(pid_t pid);

// The machine, for the report: "2 x Intel(R) Xeon(R) Processor".
std::string MachineDescription();

// SessionService calls that throw std::runtime_error on failure.
class Sessions {
 public:
  explicit Sessions(std::shared_ptr<grpc::Channel> channel);
  v1::Session Create(const std::string& scenario_id, double speed, uint64_t seed);
  v1::Session Start(const std::string& id);
  v1::Session Stop(const std::string& id);
  v1::Session Get(const std::string& id);
  v1::Event OverrideVitals(const v1::OverrideVitalsRequest& request);
  // Every event of a session (Watch with after_event_id = 0), for an ended
  // session: the stream ends after the replay.
  std::vector<v1::Event> Events(const std::string& id);

 private:
  std::unique_ptr<v1::SessionService::Stub> stub_;
};

// A bench device's hello for `session_id`: its name, a serial of its own,
// protocol version 1, and the token it joins with. Callers add the waveforms
// and capabilities they want.
devices::DeviceClient::Options DeviceOptions(devices::DeviceClient::Transport transport,
                                             const std::string& address,
                                             const std::string& session_id, const std::string& name,
                                             const std::string& model, const std::string& token);

// Asks for, and says the device renders, all four waveforms (a monitor).
void AskForAllWaveforms(v1::DeviceHello* hello);

// Connects and says hello; throws std::runtime_error with the controller's
// reason when the device cannot join.
std::unique_ptr<devices::DeviceClient> ConnectDevice(const devices::DeviceClient::Options& options);

}  // namespace pedisim::bench
