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
  std::string str() const;
  // One line to `path`, or to stdout when it is "-" (the tools' --json).
  void WriteTo(const std::string& path) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// Raises this process's soft RLIMIT_NOFILE to the hard limit (children
// inherit it); returns the soft limit now in force.
uint64_t RaiseFileLimit();

// User plus system CPU seconds a process has used so far (/proc/<pid>/stat).
double ProcessCpuSeconds(pid_t pid);

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
  // Every event of a session (Watch with after_event_id = 0), for an ended
  // session: the stream ends after the replay.
  std::vector<v1::Event> Events(const std::string& id);

 private:
  std::unique_ptr<v1::SessionService::Stub> stub_;
};

}  // namespace pedisim::bench
