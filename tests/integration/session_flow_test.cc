// Drives whole sessions through a real controller process with the
// generated stubs only: the public contract, nothing internal.

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <optional>
#include <thread>

#include "controller_process.h"
#include "debrief_client.h"
#include "pedisim/v1/scenario_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

using v1::SessionUpdate;

constexpr char kOxygenAtThreeSeconds[] = R"(
actions:
  - at_s: 3
    action: {kind: oxygen, performer: "Test learner"}
)";

class SessionFlowTest : public ::testing::Test {
 protected:
  SessionFlowTest()
      : controller_(PEDISIM_TEST_SCENARIOS_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())),
        scenarios_(v1::ScenarioService::NewStub(controller_.channel())) {}

  v1::Session Create(bool with_script, double speed = 8) {
    v1::CreateSessionRequest request;
    request.set_scenario_id("test-short");
    request.set_speed(speed);
    request.set_seed(42);
    auto* participant = request.add_participants();
    participant->set_name("Dr. Test");
    participant->set_role("team leader");
    request.add_devices()->set_adapter("virtual-monitor");
    v1::DeviceAttachment* manikin = request.add_devices();
    manikin->set_adapter("virtual-manikin");
    manikin->set_name("manikin");
    if (with_script) {
      (*manikin->mutable_config())["script"] = kOxygenAtThreeSeconds;
      (*manikin->mutable_config())["script_name"] = "oxygen.actions.yaml";
    }
    grpc::ClientContext context;
    v1::Session session;
    const grpc::Status status = sessions_->Create(&context, request, &session);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return session;
  }

  grpc::Status Call(grpc::Status (v1::SessionService::Stub::*rpc)(grpc::ClientContext*,
                                                                  const v1::SessionRef&,
                                                                  v1::Session*),
                    const std::string& id, v1::Session* out = nullptr) {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(id);
    v1::Session ignored;
    return (sessions_.get()->*rpc)(&context, ref, out ? out : &ignored);
  }

  // Every update of a Watch stream, until the controller ends it.
  // `subscribed` runs once the first message (the snapshot) has arrived: from
  // then on the watcher is known to miss nothing.
  std::vector<SessionUpdate> WatchToEnd(
      const std::string& id, grpc::Status* final_status,
      const std::function<void()>& subscribed = [] {},
      std::optional<uint64_t> after_event_id = std::nullopt) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    v1::WatchRequest request;
    request.set_session_id(id);
    if (after_event_id) request.set_after_event_id(*after_event_id);
    auto reader = sessions_->Watch(&context, request);
    std::vector<SessionUpdate> updates;
    SessionUpdate update;
    while (reader->Read(&update)) {
      updates.push_back(update);
      if (updates.size() == 1) subscribed();
    }
    *final_status = reader->Finish();
    return updates;
  }

  // Watches a created session from before its start to its end.
  // With after_event_id 0 the events from before the start (created,
  // devices attached) come first.
  std::vector<SessionUpdate> StartAndWatchToEnd(const std::string& id, grpc::Status* status,
                                                std::optional<uint64_t> after_event_id = 0) {
    return WatchToEnd(
        id, status, [&] { EXPECT_TRUE(Call(&v1::SessionService::Stub::Start, id).ok()); },
        after_event_id);
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::ScenarioService::Stub> scenarios_;
};

std::vector<v1::Event> EventsOf(const std::vector<SessionUpdate>& updates) {
  std::vector<v1::Event> events;
  for (const SessionUpdate& update : updates) {
    if (update.has_event()) events.push_back(update.event());
  }
  return events;
}

TEST_F(SessionFlowTest, ScriptedSessionRunsToCompletionWithCauses) {
  const v1::Session created = Create(/*with_script=*/true);
  ASSERT_EQ(created.status(), v1::SESSION_STATUS_CREATED);
  ASSERT_EQ(created.devices_size(), 2);
  EXPECT_EQ(created.current_state(), "calm");
  EXPECT_TRUE(created.patient().weight_estimated());
  EXPECT_DOUBLE_EQ(created.patient().weight_kg(), 14);  // APLS 2 x 3 y + 8

  grpc::Status watch_status;
  const std::vector<SessionUpdate> updates = StartAndWatchToEnd(created.id(), &watch_status);

  ASSERT_TRUE(watch_status.ok()) << watch_status.error_message();
  ASSERT_FALSE(updates.empty());
  EXPECT_TRUE(updates.front().has_snapshot());
  EXPECT_EQ(updates.back().snapshot().status(), v1::SESSION_STATUS_COMPLETED);

  const std::vector<v1::Event> events = EventsOf(updates);
  const v1::Event* distress = nullptr;
  const v1::Event* oxygen = nullptr;
  const v1::Event* recovered = nullptr;
  for (size_t i = 1; i < events.size(); ++i) {
    EXPECT_EQ(events[i].id(), events[i - 1].id() + 1) << "events skipped";
  }
  for (const v1::Event& event : events) {
    if (event.kind() == v1::EVENT_KIND_STATE_ENTERED &&
        event.state_change().to_state() == "distress") {
      distress = &event;
    }
    if (event.kind() == v1::EVENT_KIND_LEARNER_ACTION) oxygen = &event;
    if (event.kind() == v1::EVENT_KIND_STATE_ENTERED &&
        event.state_change().to_state() == "recovered") {
      recovered = &event;
    }
  }
  ASSERT_NE(distress, nullptr);
  ASSERT_NE(oxygen, nullptr);
  ASSERT_NE(recovered, nullptr);
  EXPECT_DOUBLE_EQ(distress->sim_time_s(), 2.0);
  EXPECT_EQ(distress->agent(), v1::AGENT_SCENARIO);
  EXPECT_EQ(oxygen->agent(), v1::AGENT_LEARNER);
  EXPECT_EQ(oxygen->source(), "manikin");
  EXPECT_EQ(oxygen->action().kind(), v1::ACTION_KIND_OXYGEN);
  EXPECT_DOUBLE_EQ(oxygen->sim_time_s(), 3.0);
  EXPECT_EQ(recovered->cause_event_id(), oxygen->id()) << "the state change names its cause";
  EXPECT_EQ(events.back().kind(), v1::EVENT_KIND_SESSION_COMPLETED);

  // Heart rate trends linearly from 110 toward 160 over 4 s after distress
  // begins at 2 s: at 3 s it is a quarter of the way. (The oxygen given at
  // 3 s ends the scenario, so a second, final sample at 3 s follows.)
  bool saw_trend_sample = false;
  for (const SessionUpdate& update : updates) {
    if (update.has_vitals() && update.vitals().sim_time_s() == 3.0) {
      EXPECT_NEAR(update.vitals().vitals().heart_rate_bpm(), 122.5, 1e-9);
      saw_trend_sample = true;
      break;
    }
  }
  EXPECT_TRUE(saw_trend_sample);

  v1::Session final_session;
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Get, created.id(), &final_session).ok());
  EXPECT_EQ(final_session.status(), v1::SESSION_STATUS_COMPLETED);
  EXPECT_EQ(final_session.current_state(), "recovered");

  // The record holds every event: its replay has them all, in order.
  uint64_t next_id = 1;
  for (const SessionUpdate& update : ReplayAll(controller_.channel(), created.id())) {
    if (update.has_event()) {
      EXPECT_EQ(update.event().id(), next_id++);
    }
  }
  EXPECT_EQ(next_id - 1, final_session.event_count());
}

TEST_F(SessionFlowTest, LateWatcherReplaysPastEventsFromTheIdItAsksFor) {
  const v1::Session created = Create(/*with_script=*/true);
  grpc::Status status;
  const std::vector<v1::Event> live = EventsOf(StartAndWatchToEnd(created.id(), &status));
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_GT(live.size(), 4u);
  for (size_t i = 0; i < live.size(); ++i) {
    EXPECT_EQ(live[i].id(), i + 1) << "past and live events join without a gap or a repeat";
  }

  // After the end, a watcher asking from 0 reads the whole story, in order.
  const std::vector<SessionUpdate> replay = WatchToEnd(
      created.id(), &status, [] {}, 0);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(replay.front().has_snapshot());
  const std::vector<v1::Event> replayed = EventsOf(replay);
  ASSERT_EQ(replayed.size(), live.size());
  for (size_t i = 0; i < live.size(); ++i) {
    EXPECT_EQ(replayed[i].SerializeAsString(), live[i].SerializeAsString()) << "event " << i;
  }

  // Resuming after event 3 gives exactly the rest; unset gives none.
  const std::vector<v1::Event> rest = EventsOf(WatchToEnd(
      created.id(), &status, [] {}, 3));
  ASSERT_EQ(rest.size(), live.size() - 3);
  EXPECT_EQ(rest.front().id(), 4u);
  EXPECT_TRUE(EventsOf(WatchToEnd(created.id(), &status)).empty());
  EXPECT_TRUE(EventsOf(WatchToEnd(
                           created.id(), &status, [] {}, 1000))
                  .empty());
}

TEST_F(SessionFlowTest, SameSeedAndInputsGiveIdenticalRuns) {
  auto run = [&] {
    const v1::Session created = Create(/*with_script=*/true);
    grpc::Status status;
    const std::vector<SessionUpdate> updates = StartAndWatchToEnd(created.id(), &status);
    // Wall time and the snapshots' wall-clock fields differ by design; what
    // the engine produced must not.
    std::string trace;
    for (const SessionUpdate& update : updates) {
      if (update.has_event()) {
        v1::Event event = update.event();
        event.clear_wall_time();
        trace += event.SerializeAsString();
      } else if (update.has_vitals()) {
        trace += update.vitals().SerializeAsString();
      }
    }
    return trace;
  };
  const std::string first = run();
  const std::string second = run();
  EXPECT_FALSE(first.empty());
  EXPECT_EQ(first, second);
}

TEST_F(SessionFlowTest, PauseFreezesSimulatedTimeAndResumeContinues) {
  const v1::Session created = Create(/*with_script=*/false, /*speed=*/1);
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Start, created.id()).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  v1::Session paused;
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Pause, created.id(), &paused).ok());
  EXPECT_EQ(paused.status(), v1::SESSION_STATUS_PAUSED);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  v1::Session later;
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Get, created.id(), &later).ok());
  EXPECT_EQ(later.sim_time_s(), paused.sim_time_s()) << "time moved while paused";

  ASSERT_TRUE(Call(&v1::SessionService::Stub::Resume, created.id()).ok());
  v1::Session resumed;
  for (int i = 0; i < 200 && resumed.sim_time_s() <= paused.sim_time_s(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(Call(&v1::SessionService::Stub::Get, created.id(), &resumed).ok());
  }
  EXPECT_GT(resumed.sim_time_s(), paused.sim_time_s());
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Stop, created.id()).ok());
}

TEST_F(SessionFlowTest, InstructorCommandsChangeTheSimulation) {
  const v1::Session created = Create(/*with_script=*/false, /*speed=*/1);
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Start, created.id()).ok());
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Pause, created.id()).ok());

  grpc::ClientContext goto_context;
  v1::GoToStateRequest go;
  go.set_session_id(created.id());
  go.set_state("distress");
  go.set_reason("test");
  v1::Event entered;
  ASSERT_TRUE(sessions_->GoToState(&goto_context, go, &entered).ok());
  EXPECT_EQ(entered.kind(), v1::EVENT_KIND_STATE_ENTERED);
  EXPECT_EQ(entered.agent(), v1::AGENT_INSTRUCTOR);

  grpc::ClientContext override_context;
  v1::OverrideVitalsRequest hold;
  hold.set_session_id(created.id());
  hold.mutable_vitals()->set_heart_rate_bpm(201);
  v1::Event overridden;
  ASSERT_TRUE(sessions_->OverrideVitals(&override_context, hold, &overridden).ok());
  EXPECT_EQ(overridden.kind(), v1::EVENT_KIND_VITALS_OVERRIDDEN);

  v1::Session now;
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Get, created.id(), &now).ok());
  EXPECT_EQ(now.current_state(), "distress");
  EXPECT_DOUBLE_EQ(now.vitals().heart_rate_bpm(), 201);

  grpc::ClientContext mark_context;
  v1::AddBookmarkRequest mark;
  mark.set_session_id(created.id());
  mark.set_label("tachycardia held");
  v1::Event bookmark;
  ASSERT_TRUE(sessions_->AddBookmark(&mark_context, mark, &bookmark).ok());
  EXPECT_EQ(bookmark.bookmark().label(), "tachycardia held");

  grpc::ClientContext act_context;
  v1::LogActionRequest act;
  act.set_session_id(created.id());
  act.mutable_action()->set_kind(v1::ACTION_KIND_OXYGEN);
  v1::Event action;
  ASSERT_TRUE(sessions_->LogAction(&act_context, act, &action).ok());
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Get, created.id(), &now).ok());
  EXPECT_EQ(now.status(), v1::SESSION_STATUS_COMPLETED) << "oxygen in distress ends the scenario";
  EXPECT_EQ(now.current_state(), "recovered");
  EXPECT_DOUBLE_EQ(now.vitals().heart_rate_bpm(), 201) << "the override outlives the state change";
}

TEST_F(SessionFlowTest, BadRequestsGetTheRightStatusNamingTheField) {
  EXPECT_EQ(Call(&v1::SessionService::Stub::Get, "no-such-session").error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Call(&v1::SessionService::Stub::Start, "").error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  const v1::Session created = Create(/*with_script=*/false);
  const grpc::Status pause = Call(&v1::SessionService::Stub::Pause, created.id());
  EXPECT_EQ(pause.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(pause.error_message().find("created"), std::string::npos) << pause.error_message();

  grpc::ClientContext speed_context;
  v1::SetSpeedRequest speed;
  speed.set_session_id(created.id());
  speed.set_speed(100);
  v1::Session ignored;
  const grpc::Status too_fast = sessions_->SetSpeed(&speed_context, speed, &ignored);
  EXPECT_EQ(too_fast.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(too_fast.error_message().starts_with("speed")) << too_fast.error_message();

  ASSERT_TRUE(Call(&v1::SessionService::Stub::Start, created.id()).ok());
  grpc::ClientContext goto_context;
  v1::GoToStateRequest go;
  go.set_session_id(created.id());
  go.set_state("nowhere");
  v1::Event event;
  const grpc::Status bad_state = sessions_->GoToState(&goto_context, go, &event);
  EXPECT_EQ(bad_state.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(bad_state.error_message().starts_with("state")) << bad_state.error_message();

  grpc::ClientContext act_context;
  v1::LogActionRequest act;
  act.set_session_id(created.id());
  const grpc::Status no_kind = sessions_->LogAction(&act_context, act, &event);
  EXPECT_EQ(no_kind.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(no_kind.error_message().starts_with("action.kind")) << no_kind.error_message();

  grpc::ClientContext override_context;
  v1::OverrideVitalsRequest hold;
  hold.set_session_id(created.id());
  hold.mutable_vitals()->set_spo2_pct(140);
  const grpc::Status bad_spo2 = sessions_->OverrideVitals(&override_context, hold, &event);
  EXPECT_EQ(bad_spo2.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(bad_spo2.error_message().starts_with("vitals.spo2_pct")) << bad_spo2.error_message();

  grpc::ClientContext create_context;
  v1::CreateSessionRequest create;
  create.set_scenario_id("test-short");
  create.add_devices()->set_adapter("warp-drive");
  const grpc::Status unknown_adapter = sessions_->Create(&create_context, create, &ignored);
  EXPECT_EQ(unknown_adapter.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(unknown_adapter.error_message().starts_with("devices[0].adapter"))
      << unknown_adapter.error_message();

  grpc::ClientContext bad_script_context;
  v1::CreateSessionRequest bad_script;
  bad_script.set_scenario_id("test-short");
  v1::DeviceAttachment* manikin = bad_script.add_devices();
  manikin->set_adapter("virtual-manikin");
  (*manikin->mutable_config())["script"] = "actions: [{at_s: fast}]";
  const grpc::Status script_error = sessions_->Create(&bad_script_context, bad_script, &ignored);
  EXPECT_EQ(script_error.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(script_error.error_message().find(":1:"), std::string::npos)
      << "a script error names its line: " << script_error.error_message();

  grpc::ClientContext scenario_context;
  v1::GetScenarioRequest get;
  get.set_scenario_id("missing");
  v1::Scenario scenario;
  EXPECT_EQ(scenarios_->Get(&scenario_context, get, &scenario).error_code(),
            grpc::StatusCode::NOT_FOUND);

  grpc::ClientContext agent_context;
  v1::LogActionRequest scenario_agent;
  scenario_agent.set_session_id(created.id());
  scenario_agent.mutable_action()->set_kind(v1::ACTION_KIND_OXYGEN);
  scenario_agent.set_agent(v1::AGENT_SCENARIO);
  const grpc::Status bad_agent = sessions_->LogAction(&agent_context, scenario_agent, &event);
  EXPECT_EQ(bad_agent.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(bad_agent.error_message().starts_with("agent")) << bad_agent.error_message();

  // None of this disturbed the running session.
  v1::Session still;
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Get, created.id(), &still).ok());
  EXPECT_EQ(still.status(), v1::SESSION_STATUS_RUNNING);
}

TEST_F(SessionFlowTest, FinishedSessionsRefuseChanges) {
  const v1::Session created = Create(/*with_script=*/false);
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Start, created.id()).ok());
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Stop, created.id()).ok());
  EXPECT_EQ(Call(&v1::SessionService::Stub::Resume, created.id()).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  grpc::ClientContext mark_context;
  v1::AddBookmarkRequest mark;
  mark.set_session_id(created.id());
  mark.set_label("too late");
  v1::Event event;
  EXPECT_EQ(sessions_->AddBookmark(&mark_context, mark, &event).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST(SessionLimitTest, CreateBeyondTheLimitIsResourceExhausted) {
  ControllerProcess controller(PEDISIM_TEST_SCENARIOS_DIR, {"--max-sessions", "2"});
  auto sessions = v1::SessionService::NewStub(controller.channel());
  v1::CreateSessionRequest request;
  request.set_scenario_id("test-short");
  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext context;
    v1::Session session;
    ASSERT_TRUE(sessions->Create(&context, request, &session).ok());
  }
  grpc::ClientContext context;
  v1::Session session;
  const grpc::Status third = sessions->Create(&context, request, &session);
  EXPECT_EQ(third.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_NE(third.error_message().find("--max-sessions"), std::string::npos);
}

TEST_F(SessionFlowTest, ValidateReportsLineAndColumn) {
  grpc::ClientContext context;
  v1::ValidateScenarioRequest request;
  request.set_file_name("broken.yaml");
  request.set_content(
      "id: broken\ntitle: Broken\npatient: {age_years: 2}\n"
      "initial_state: a\nstates:\n  - name: a\n    transitions:\n"
      "      - to_state: nowhere\n        after_time_in_state_s: 1\n");
  v1::ValidateScenarioResponse response;
  ASSERT_TRUE(scenarios_->Validate(&context, request, &response).ok());
  EXPECT_FALSE(response.valid());
  bool found = false;
  for (const v1::Diagnostic& diagnostic : response.diagnostics()) {
    if (diagnostic.message().find("nowhere") != std::string::npos) {
      found = true;
      EXPECT_EQ(diagnostic.file(), "broken.yaml");
      EXPECT_EQ(diagnostic.line(), 8u);
      EXPECT_EQ(diagnostic.column(), 19u);
    }
  }
  EXPECT_TRUE(found);
}

// A service restart or an upgrade is not the instructor's stop: the class
// is paused and recorded as interrupted, its grades left open, and after the
// restart it is listed interrupted and shown from its record.
TEST_F(SessionFlowTest, SigtermInterruptsSessionsAndKeepsTheirRecords) {
  const v1::Session created = Create(/*with_script=*/false, /*speed=*/1);
  ASSERT_TRUE(Call(&v1::SessionService::Stub::Start, created.id()).ok());
  // Mid-class: the clock has moved (on a loaded machine the first step can
  // take a while, and a class stopped at 0 s never ran).
  v1::Session running;
  for (int i = 0; i < 500 && running.sim_time_s() <= 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ASSERT_TRUE(Call(&v1::SessionService::Stub::Get, created.id(), &running).ok());
  }
  ASSERT_GT(running.sim_time_s(), 0);
  EXPECT_EQ(controller_.Terminate(), 0);
  ControllerProcess restarted(PEDISIM_TEST_SCENARIOS_DIR, {}, controller_.data_dir());
  auto debrief = v1::DebriefService::NewStub(restarted.channel());
  grpc::ClientContext context;
  v1::RecordingRef ref;
  ref.set_session_id(created.id());
  v1::Recording recording;
  ASSERT_TRUE(debrief->GetRecording(&context, ref, &recording).ok());
  EXPECT_EQ(recording.status(), v1::RECORDING_STATUS_INTERRUPTED);

  const std::vector<SessionUpdate> replayed = ReplayAll(restarted.channel(), created.id());
  ASSERT_FALSE(replayed.empty());
  std::optional<v1::Event> last_event;
  for (const SessionUpdate& update : replayed) {
    if (update.has_event()) {
      // Neither stopped by the instructor nor finished: no end, no grades
      // closed.
      EXPECT_NE(update.event().kind(), v1::EVENT_KIND_SESSION_STOPPED);
      EXPECT_NE(update.event().kind(), v1::EVENT_KIND_SESSION_COMPLETED);
      last_event = update.event();
    }
  }
  ASSERT_TRUE(last_event.has_value());
  EXPECT_EQ(last_event->kind(), v1::EVENT_KIND_SESSION_PAUSED);
  EXPECT_EQ(last_event->agent(), v1::AGENT_SYSTEM);
  EXPECT_NE(last_event->summary().find("interrupted: controller shutting down"), std::string::npos)
      << last_event->summary();

  // Listed and shown after the restart, from the store, as interrupted.
  auto sessions = v1::SessionService::NewStub(restarted.channel());
  grpc::ClientContext list_context;
  v1::ListSessionsResponse listed;
  ASSERT_TRUE(sessions->List(&list_context, {}, &listed).ok());
  ASSERT_EQ(listed.sessions_size(), 1);
  EXPECT_EQ(listed.sessions(0).id(), created.id());
  EXPECT_EQ(listed.sessions(0).end_reason().rfind("interrupted", 0), 0u);
  // Paused, waiting to be resumed (SessionService.Resume), not ended.
  EXPECT_EQ(listed.sessions(0).status(), v1::SESSION_STATUS_PAUSED);
  grpc::ClientContext get_context;
  v1::SessionRef session_ref;
  session_ref.set_session_id(created.id());
  v1::Session shown;
  ASSERT_TRUE(sessions->Get(&get_context, session_ref, &shown).ok());
  EXPECT_EQ(shown.end_reason().rfind("interrupted", 0), 0u);
  EXPECT_EQ(shown.status(), v1::SESSION_STATUS_PAUSED);
  EXPECT_EQ(shown.participants(0).name(), "Dr. Test");
}

}  // namespace
}  // namespace pedisim::testing
