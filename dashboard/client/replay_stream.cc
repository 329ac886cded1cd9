#include "client/replay_stream.h"

#include "client/update_reader.h"

namespace pedisim::dashboard {

ReplayStream::ReplayStream(ControllerLink& link, std::string session_id, ReplaySpan span,
                           SessionModel& model)
    : link_(link), session_id_(std::move(session_id)), span_(span), model_(model) {
  model_.Clear();
  model_.SetStream(StreamState::kConnecting, "replaying");
  thread_ = std::thread([this] { Play(); });
}

ReplayStream::~ReplayStream() {
  context_.TryCancel();
  thread_.join();
}

void ReplayStream::Play() {
  v1::ReplayRequest request;
  request.set_session_id(session_id_);
  request.set_from_s(span_.from_s);
  request.set_speed(span_.speed);
  request.set_until_s(span_.until_s);
  request.set_waveforms(true);
  auto reader = link_.stubs().debrief->Replay(&context_, request);
  const grpc::Status status = ReadUpdates(*reader, model_);
  if (status.error_code() == grpc::StatusCode::CANCELLED) return;  // paused or seeking
  if (!status.ok()) {
    model_.SetStream(StreamState::kEnded, "replay failed: " + status.error_message());
    return;
  }
  model_.SetStream(StreamState::kEnded, "end of the replay");
}

}  // namespace pedisim::dashboard
