#include "client/recording_loader.h"

namespace pedisim::dashboard {

RecordingLoader::RecordingLoader(ControllerLink& link, std::string session_id)
    : link_(link), session_id_(std::move(session_id)) {
  thread_ = std::thread([this] { Load(); });
}

RecordingLoader::~RecordingLoader() {
  replay_context_.TryCancel();
  thread_.join();
}

std::shared_ptr<const LoadedRecording> RecordingLoader::result() const {
  std::lock_guard lock(mutex_);
  return result_;
}

void RecordingLoader::Load() {
  auto loaded = std::make_shared<LoadedRecording>();
  auto publish = [&] {
    std::lock_guard lock(mutex_);
    result_ = loaded;
  };
  Stubs& stubs = link_.stubs();
  {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::RecordingRef ref;
    ref.set_session_id(session_id_);
    const grpc::Status status = stubs.debrief->GetRecording(&context, ref, &loaded->recording);
    if (!status.ok()) {
      loaded->error = "cannot open recording " + session_id_ + ": " + status.error_message();
      return publish();
    }
  }
  v1::ReplayRequest request;
  request.set_session_id(session_id_);
  request.set_from_s(0);
  request.set_speed(0);  // as fast as we read
  auto reader = stubs.debrief->Replay(&replay_context_, request);
  v1::SessionUpdate update;
  while (reader->Read(&update)) loaded->timeline.Add(update);
  if (const grpc::Status status = reader->Finish(); !status.ok()) {
    loaded->error = "cannot replay " + session_id_ + ": " + status.error_message();
    return publish();
  }
  loaded->timeline.Finish(loaded->recording.duration_s());
  {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::GetScenarioRequest get;
    get.set_scenario_id(loaded->recording.scenario_id());
    auto scenario = std::make_shared<v1::Scenario>();
    if (stubs.scenarios->Get(&context, get, scenario.get()).ok()) loaded->scenario = scenario;
  }
  {
    grpc::ClientContext context;
    ControllerLink::SetUnaryDeadline(context);
    v1::GetAssessmentRequest get;
    get.set_session_id(session_id_);
    get.set_viewer_role(v1::VIEWER_ROLE_LEARNER);
    const grpc::Status status =
        stubs.assessments->GetAssessment(&context, get, &loaded->learner_assessment);
    link_.Report(status, "loading the released assessment");
  }
  publish();
}

}  // namespace pedisim::dashboard
