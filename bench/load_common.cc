#include "bench/load_common.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "core/wall_clock.h"

namespace pedisim::bench {
namespace {

std::string Quote(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      quoted += fmt::format("\\u{:04x}", static_cast<int>(c));
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

double Percentile(const std::vector<float>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  // Nearest rank.
  const size_t rank = static_cast<size_t>(std::ceil(fraction * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

void Check(const grpc::Status& status, const std::string& what) {
  if (!status.ok()) {
    throw std::runtime_error(fmt::format("{}: {} ({})", what, status.error_message(),
                                         static_cast<int>(status.error_code())));
  }
}

}  // namespace

double LatencyMs(const google::protobuf::Timestamp& queued_at, Clock::time_point received) {
  return std::chrono::duration<double, std::milli>(received - FromTimestamp(queued_at)).count();
}

LatencySummary Summarize(std::vector<float>& samples_ms) {
  std::sort(samples_ms.begin(), samples_ms.end());
  LatencySummary summary;
  summary.count = samples_ms.size();
  summary.p50_ms = Percentile(samples_ms, 0.50);
  summary.p90_ms = Percentile(samples_ms, 0.90);
  summary.p99_ms = Percentile(samples_ms, 0.99);
  summary.max_ms = samples_ms.empty() ? 0 : samples_ms.back();
  return summary;
}

std::vector<float> Merge(std::vector<std::vector<float>>& parts) {
  std::vector<float> all;
  size_t total = 0;
  for (const auto& part : parts) total += part.size();
  all.reserve(total);
  for (auto& part : parts) {
    all.insert(all.end(), part.begin(), part.end());
    std::vector<float>().swap(part);
  }
  return all;
}

JsonObject& JsonObject::Add(const std::string& key, double value) {
  fields_.emplace_back(key, std::isfinite(value) ? fmt::format("{:.4f}", value) : "null");
  return *this;
}

JsonObject& JsonObject::Add(const std::string& key, uint64_t value) {
  fields_.emplace_back(key, std::to_string(value));
  return *this;
}

JsonObject& JsonObject::Add(const std::string& key, const std::string& value) {
  fields_.emplace_back(key, Quote(value));
  return *this;
}

JsonObject& JsonObject::Add(const std::string& key, bool value) {
  fields_.emplace_back(key, value ? "true" : "false");
  return *this;
}

JsonObject& JsonObject::Add(const std::string& key, const JsonObject& value) {
  fields_.emplace_back(key, value.str());
  return *this;
}

JsonObject& JsonObject::Add(const std::string& key, const LatencySummary& value) {
  JsonObject object;
  object.Add("count", static_cast<uint64_t>(value.count))
      .Add("p50_ms", value.p50_ms)
      .Add("p90_ms", value.p90_ms)
      .Add("p99_ms", value.p99_ms)
      .Add("max_ms", value.max_ms);
  return Add(key, object);
}

JsonObject& JsonObject::Add(const std::string& key, const std::vector<JsonObject>& array) {
  std::string items = "[";
  for (size_t i = 0; i < array.size(); ++i) {
    if (i > 0) items += ", ";
    items += array[i].str();
  }
  fields_.emplace_back(key, items + "]");
  return *this;
}

void JsonObject::WriteTo(const std::string& path) const {
  if (path == "-") {
    std::cout << str() << "\n";
  } else {
    std::ofstream(path) << str() << "\n";
  }
}

std::string JsonObject::str() const {
  std::string out = "{";
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (i > 0) out += ", ";
    out += Quote(fields_[i].first) + ": " + fields_[i].second;
  }
  return out + "}";
}

JsonObject FigureJson(const Figure& figure) {
  // No ratio against a baseline that is missing or zero (null in the JSON).
  const double ratio = figure.baseline > 0 ? figure.value / figure.baseline : std::nan("");
  JsonObject json;
  json.Add("name", figure.name)
      .Add("value", figure.value)
      .Add("unit", figure.unit)
      .Add("baseline", figure.baseline)
      .Add("baseline_name", figure.baseline_name)
      .Add("ratio", ratio);
  return json;
}

std::vector<JsonObject> FiguresJson(const std::vector<Figure>& figures) {
  std::vector<JsonObject> json;
  for (const Figure& figure : figures) json.push_back(FigureJson(figure));
  return json;
}

uint64_t RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    getrlimit(RLIMIT_NOFILE, &limit);
  }
  return limit.rlim_cur;
}

uint64_t RaiseFileLimitFor(uint64_t devices) {
  const uint64_t limit = RaiseFileLimit();
  if (limit < devices + 200) {
    throw std::runtime_error(fmt::format(
        "{} devices need more than the {} open files allowed: raise `ulimit -n`", devices, limit));
  }
  return limit;
}

double ProcessCpuSeconds(pid_t pid) {
  // utime and stime, fields 14 and 15, in clock ticks; the name (field 2)
  // may hold spaces, so count from its closing parenthesis.
  std::ifstream stat(fmt::format("/proc/{}/stat", pid));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const size_t after_name = text.rfind(')');
  if (after_name == std::string::npos || after_name + 2 > text.size()) return 0;
  std::istringstream fields(text.substr(after_name + 2));
  std::string field;
  double ticks = 0;
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index >= 14) ticks += std::stod(field);
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

ResidentMemory ProcessResidentMemory(pid_t pid) {
  std::ifstream status(fmt::format("/proc/{}/status", pid));
  ResidentMemory memory;
  std::string line;
  const auto mib = [](const std::string& line) {
    // "VmRSS:\t   12345 kB"
    return std::stod(line.substr(line.find(':') + 1)) / 1024;
  };
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) memory.rss_mib = mib(line);
    if (line.starts_with("VmHWM:")) memory.peak_mib = mib(line);
  }
  return memory;
}

std::string MachineDescription() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  std::string model = "unknown CPU";
  while (std::getline(cpuinfo, line)) {
    if (line.starts_with("model name")) {
      model = line.substr(line.find(':') + 2);
      break;
    }
  }
  return fmt::format("{} x {}", sysconf(_SC_NPROCESSORS_ONLN), model);
}

Sessions::Sessions(std::shared_ptr<grpc::Channel> channel)
    : stub_(v1::SessionService::NewStub(std::move(channel))) {}

v1::Session Sessions::Create(const std::string& scenario_id, double speed, uint64_t seed) {
  v1::CreateSessionRequest request;
  request.set_scenario_id(scenario_id);
  request.set_speed(speed);
  request.set_seed(seed);
  grpc::ClientContext context;
  v1::Session session;
  Check(stub_->Create(&context, request, &session), "SessionService.Create");
  return session;
}

v1::Session Sessions::Start(const std::string& id) {
  v1::SessionRef ref;
  ref.set_session_id(id);
  grpc::ClientContext context;
  v1::Session session;
  Check(stub_->Start(&context, ref, &session), "SessionService.Start");
  return session;
}

v1::Session Sessions::Stop(const std::string& id) {
  v1::SessionRef ref;
  ref.set_session_id(id);
  grpc::ClientContext context;
  v1::Session session;
  Check(stub_->Stop(&context, ref, &session), "SessionService.Stop");
  return session;
}

v1::Session Sessions::Get(const std::string& id) {
  v1::SessionRef ref;
  ref.set_session_id(id);
  grpc::ClientContext context;
  v1::Session session;
  Check(stub_->Get(&context, ref, &session), "SessionService.Get");
  return session;
}

v1::Event Sessions::OverrideVitals(const v1::OverrideVitalsRequest& request) {
  grpc::ClientContext context;
  v1::Event event;
  Check(stub_->OverrideVitals(&context, request, &event), "SessionService.OverrideVitals");
  return event;
}

std::vector<v1::Event> Sessions::Events(const std::string& id) {
  v1::WatchRequest request;
  request.set_session_id(id);
  request.set_after_event_id(0);
  grpc::ClientContext context;
  std::unique_ptr<grpc::ClientReader<v1::SessionUpdate>> reader = stub_->Watch(&context, request);
  std::vector<v1::Event> events;
  v1::SessionUpdate update;
  while (reader->Read(&update)) {
    if (update.has_event()) events.push_back(std::move(*update.mutable_event()));
  }
  Check(reader->Finish(), "SessionService.Watch");
  return events;
}

devices::DeviceClient::Options DeviceOptions(devices::DeviceClient::Transport transport,
                                             const std::string& address,
                                             const std::string& session_id, const std::string& name,
                                             const std::string& model, const std::string& token) {
  devices::DeviceClient::Options options;
  options.transport = transport;
  options.address = address;
  options.token = token;
  v1::DeviceHello& hello = options.hello;
  hello.set_protocol_version(v1::DEVICE_PROTOCOL_VERSION_1);
  hello.set_session_id(session_id);
  hello.set_name(name);
  hello.mutable_identity()->set_manufacturer("PediSim bench");
  hello.mutable_identity()->set_model(model);
  hello.mutable_identity()->set_serial(fmt::format("{}-{}", session_id, name));
  return options;
}

void AskForAllWaveforms(v1::DeviceHello* hello) {
  for (v1::WaveformKind kind : {v1::WAVEFORM_KIND_ECG_II, v1::WAVEFORM_KIND_PLETH,
                                v1::WAVEFORM_KIND_CAPNOGRAM, v1::WAVEFORM_KIND_RESPIRATION}) {
    hello->add_waveforms(kind);
    hello->mutable_capabilities()->add_renders_waveforms(kind);
  }
}

std::unique_ptr<devices::DeviceClient> ConnectDevice(
    const devices::DeviceClient::Options& options) {
  grpc::Status status;
  std::unique_ptr<devices::DeviceClient> client = devices::DeviceClient::Connect(options, &status);
  if (!client) {
    throw std::runtime_error(
        fmt::format("device {} could not join: {}", options.hello.name(), status.error_message()));
  }
  return client;
}

}  // namespace pedisim::bench
