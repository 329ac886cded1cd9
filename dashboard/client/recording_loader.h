// Loads what the debrief needs of a recording, on its own thread: the
// catalog entry, the whole timeline (an unpaced Replay without waveforms),
// the scenario for the state graph, and the assessment as released to
// learners.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "client/controller_link.h"
#include "model/recording_timeline.h"

namespace pedisim::dashboard {

struct LoadedRecording {
  std::string error;  // set when it could not be loaded
  v1::Recording recording;
  RecordingTimeline timeline;
  std::shared_ptr<const v1::Scenario> scenario;
  // AssessmentService's learner view: withheld until the scores are released.
  v1::Assessment learner_assessment;
};

class RecordingLoader {
 public:
  RecordingLoader(ControllerLink& link, std::string session_id);
  ~RecordingLoader();
  RecordingLoader(const RecordingLoader&) = delete;
  RecordingLoader& operator=(const RecordingLoader&) = delete;

  // Null until loaded (or failed).
  std::shared_ptr<const LoadedRecording> result() const;

 private:
  void Load();

  ControllerLink& link_;
  std::string session_id_;
  mutable std::mutex mutex_;
  std::shared_ptr<const LoadedRecording> result_;
  grpc::ClientContext replay_context_;
  std::thread thread_;
};

}  // namespace pedisim::dashboard
