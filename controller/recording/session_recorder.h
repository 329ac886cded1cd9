#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "pedisim/v1/event.pb.h"
#include "pedisim/v1/scenario.pb.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::recording {

// Writes one session's record into its own folder as it runs:
//   scenario.json   the scenario exactly as run
//   events.jsonl    every event, one JSON object a line, flushed per line
//   vitals.jsonl    the numerics stream (≥1 Hz), flushed per line
//   session.json    the session as it was when it began, rewritten when it ends
// Each line is flushed to the OS as it is written, so a killed controller
// loses at most a partial last line. A write error is logged once and
// counted; the session goes on.
class SessionRecorder {
 public:
  // Creates `folder`; throws std::runtime_error when it cannot.
  explicit SessionRecorder(std::filesystem::path folder);
  ~SessionRecorder();
  SessionRecorder(const SessionRecorder&) = delete;
  SessionRecorder& operator=(const SessionRecorder&) = delete;

  void Begin(const v1::Session& session, const v1::Scenario& scenario);
  void AppendEvent(const v1::Event& event);
  void AppendVitals(const v1::VitalsSample& sample);
  void Finish(const v1::Session& session);

  const std::filesystem::path& folder() const { return folder_; }
  uint64_t write_errors() const { return write_errors_; }

 private:
  struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
  };
  using File = std::unique_ptr<std::FILE, FileCloser>;

  File OpenForAppend(const char* name);
  void WriteLine(std::FILE* file, const google::protobuf::Message& message);
  void WriteWhole(const char* name, const google::protobuf::Message& message);
  void NoteError(const std::string& what);

  std::filesystem::path folder_;
  File events_;
  File vitals_;
  uint64_t write_errors_ = 0;
};

}  // namespace pedisim::recording
