#include "controller/recording/session_recorder.h"

#include <google/protobuf/util/json_util.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace pedisim::recording {

namespace {
std::string ToJson(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}
}  // namespace

SessionRecorder::SessionRecorder(std::filesystem::path folder) : folder_(std::move(folder)) {
  std::error_code error;
  std::filesystem::create_directories(folder_, error);
  if (error) {
    throw std::runtime_error("cannot create session folder " + folder_.string() + ": " +
                             error.message());
  }
  events_ = OpenForAppend("events.jsonl");
  vitals_ = OpenForAppend("vitals.jsonl");
}

SessionRecorder::~SessionRecorder() = default;

void SessionRecorder::Begin(const v1::Session& session, const v1::Scenario& scenario) {
  WriteWhole("scenario.json", scenario);
  WriteWhole("session.json", session);
}

void SessionRecorder::AppendEvent(const v1::Event& event) { WriteLine(events_.get(), event); }

void SessionRecorder::AppendVitals(const v1::VitalsSample& sample) {
  WriteLine(vitals_.get(), sample);
}

void SessionRecorder::Finish(const v1::Session& session) {
  WriteWhole("session.json", session);
  events_.reset();
  vitals_.reset();
}

SessionRecorder::File SessionRecorder::OpenForAppend(const char* name) {
  File file(std::fopen((folder_ / name).c_str(), "a"));
  if (!file) {
    throw std::runtime_error("cannot open " + (folder_ / name).string() + ": " +
                             std::strerror(errno));
  }
  return file;
}

void SessionRecorder::WriteLine(std::FILE* file, const google::protobuf::Message& message) {
  if (file == nullptr) return;  // finished
  const std::string line = ToJson(message, false) + "\n";
  if (std::fwrite(line.data(), 1, line.size(), file) != line.size() || std::fflush(file) != 0) {
    NoteError(std::strerror(errno));
  }
}

void SessionRecorder::WriteWhole(const char* name, const google::protobuf::Message& message) {
  // Written beside the target and renamed over it, so a crash leaves either
  // the old file or the new one, never half of one.
  const std::filesystem::path target = folder_ / name;
  const std::filesystem::path temporary = folder_ / (std::string(name) + ".tmp");
  const std::string json = ToJson(message, true) + "\n";
  File file(std::fopen(temporary.c_str(), "w"));
  if (!file || std::fwrite(json.data(), 1, json.size(), file.get()) != json.size() ||
      std::fflush(file.get()) != 0) {
    NoteError(std::strerror(errno));
    return;
  }
  file.reset();
  std::error_code error;
  std::filesystem::rename(temporary, target, error);
  if (error) NoteError(error.message());
}

void SessionRecorder::NoteError(const std::string& what) {
  if (write_errors_++ == 0) {
    spdlog::error("recording to {} failed: {} (further errors are counted, not logged)",
                  folder_.string(), what);
  }
}

}  // namespace pedisim::recording
