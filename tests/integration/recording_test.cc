// Recording, replay and debrief through the public API, against a real
// controller: what a live session streamed comes back from its record, from
// any point, waveforms included, bit for bit; a bookmark forks a new live
// session in exactly the recorded state; annotations, locks, deletion.

#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "controller_process.h"
#include "debrief_client.h"
#include "pedisim/v1/assessment_service.grpc.pb.h"
#include "pedisim/v1/debrief_service.grpc.pb.h"
#include "pedisim/v1/session_service.grpc.pb.h"

namespace pedisim::testing {
namespace {

using google::protobuf::util::MessageDifferencer;

// Everything about an event except the wall-clock time it was stamped with.
std::string Essence(v1::Event event) {
  event.clear_wall_time();
  return event.SerializeAsString();
}

// Waveform samples by kind and sample index, so that chunks cut differently
// (a replay starts mid-session) still compare sample for sample.
using Samples = std::map<std::pair<int, int64_t>, float>;

void AddSamples(const v1::WaveformChunk& chunk, Samples* samples) {
  const auto first =
      static_cast<int64_t>(std::llround(chunk.start_sim_time_s() * chunk.sample_rate_hz()));
  for (int i = 0; i < chunk.samples_size(); ++i) {
    (*samples)[{chunk.kind(), first + i}] = chunk.samples(i);
  }
}

class RecordingTest : public ::testing::Test {
 protected:
  RecordingTest()
      : controller_(PEDISIM_SCENARIO_LIBRARY_DIR),
        sessions_(v1::SessionService::NewStub(controller_.channel())),
        debrief_(v1::DebriefService::NewStub(controller_.channel())) {}

  // Runs infant-respiratory-failure at 8x to `until_s`, with oxygen at 20 s
  // and bookmarks at 12 s and 41 s, and returns what a watcher saw live.
  std::vector<v1::SessionUpdate> RunSession(double until_s, std::string* id,
                                            std::vector<uint64_t>* bookmarks) {
    v1::CreateSessionRequest create;
    create.set_scenario_id("infant-respiratory-failure");
    create.set_seed(42);
    create.set_speed(8);
    v1::Participant* leader = create.add_participants();
    leader->set_name("Ana");
    leader->set_role("team leader");
    create.add_tags("recording-test");
    v1::Session session;
    {
      grpc::ClientContext context;
      EXPECT_TRUE(sessions_->Create(&context, create, &session).ok());
    }
    *id = session.id();
    grpc::ClientContext watch_context;
    v1::WatchRequest watch;
    watch.set_session_id(session.id());
    watch.set_after_event_id(0);
    auto reader = sessions_->Watch(&watch_context, watch);
    std::vector<v1::SessionUpdate> live;
    v1::SessionUpdate update;
    EXPECT_TRUE(reader->Read(&update));  // the first snapshot: subscribed
    live.push_back(update);
    Call(&v1::SessionService::Stub::Start, session.id());
    bool oxygen = false, first_mark = false, second_mark = false, stopped = false;
    while (reader->Read(&update)) {
      live.push_back(update);
      if (!update.has_vitals()) continue;
      const double t = update.vitals().sim_time_s();
      if (!first_mark && t >= 12) first_mark = Mark(session.id(), "before oxygen", bookmarks);
      if (!oxygen && t >= 20) {
        v1::LogActionRequest action;
        action.set_session_id(session.id());
        action.mutable_action()->set_kind(v1::ACTION_KIND_OXYGEN);
        action.set_agent(v1::AGENT_LEARNER);
        grpc::ClientContext context;
        v1::Event recorded;
        oxygen = sessions_->LogAction(&context, action, &recorded).ok();
        EXPECT_TRUE(oxygen);
      }
      if (!second_mark && t >= 41) second_mark = Mark(session.id(), "after oxygen", bookmarks);
      if (!stopped && t >= until_s) {
        Call(&v1::SessionService::Stub::Stop, session.id());
        stopped = true;
      }
    }
    EXPECT_TRUE(reader->Finish().ok());
    return live;
  }

  bool Mark(const std::string& id, const std::string& label, std::vector<uint64_t>* bookmarks) {
    v1::AddBookmarkRequest request;
    request.set_session_id(id);
    request.set_label(label);
    request.set_category("airway");
    grpc::ClientContext context;
    v1::Event event;
    const bool ok = sessions_->AddBookmark(&context, request, &event).ok();
    EXPECT_TRUE(ok);
    bookmarks->push_back(event.id());
    return ok;
  }

  void Call(grpc::Status (v1::SessionService::Stub::*rpc)(grpc::ClientContext*,
                                                          const v1::SessionRef&, v1::Session*),
            const std::string& id, v1::Session* out = nullptr) {
    grpc::ClientContext context;
    v1::SessionRef ref;
    ref.set_session_id(id);
    v1::Session ignored;
    ASSERT_TRUE((sessions_.get()->*rpc)(&context, ref, out ? out : &ignored).ok());
  }

  v1::Recording Get(const std::string& id) {
    grpc::ClientContext context;
    v1::RecordingRef ref;
    ref.set_session_id(id);
    v1::Recording recording;
    EXPECT_TRUE(debrief_->GetRecording(&context, ref, &recording).ok());
    return recording;
  }

  ControllerProcess controller_;
  std::unique_ptr<v1::SessionService::Stub> sessions_;
  std::unique_ptr<v1::DebriefService::Stub> debrief_;
};

TEST_F(RecordingTest, ReplayFromTheMiddleGivesWhatWasStreamedLiveWaveformsIncluded) {
  std::string id;
  std::vector<uint64_t> bookmarks;
  const std::vector<v1::SessionUpdate> live = RunSession(75, &id, &bookmarks);

  std::vector<std::string> live_events;
  Samples live_samples;
  for (const v1::SessionUpdate& update : live) {
    if (update.has_event()) live_events.push_back(Essence(update.event()));
    if (update.has_waveform()) AddSamples(update.waveform(), &live_samples);
  }
  ASSERT_GT(live_samples.size(), 70u * 500);  // 75 s of ECG alone is 37,500

  // From 37 s (past the 30 s keyframe) at full speed, with waveforms.
  v1::ReplayRequest request;
  request.set_session_id(id);
  request.set_from_s(37);
  request.set_waveforms(true);
  const std::vector<v1::SessionUpdate> replayed = ReplayAll(controller_.channel(), request);
  ASSERT_FALSE(replayed.empty());
  ASSERT_TRUE(replayed.front().has_snapshot());
  EXPECT_LE(replayed.front().snapshot().sim_time_s(), 37);

  // Events: the replay's are the live ones, from where it starts to the end.
  std::vector<std::string> replayed_events;
  for (const v1::SessionUpdate& update : replayed) {
    if (update.has_event()) replayed_events.push_back(Essence(update.event()));
  }
  ASSERT_FALSE(replayed_events.empty());
  ASSERT_LE(replayed_events.size(), live_events.size());
  EXPECT_TRUE(std::equal(replayed_events.begin(), replayed_events.end(),
                         live_events.end() - static_cast<long>(replayed_events.size())));

  // Waveforms: every regenerated sample equals the live one, and they cover
  // the rest of the session from 37 s without a gap.
  Samples replayed_samples;
  for (const v1::SessionUpdate& update : replayed) {
    if (update.has_waveform()) AddSamples(update.waveform(), &replayed_samples);
  }
  ASSERT_GT(replayed_samples.size(), 30u * 500);
  size_t compared = 0;
  for (const auto& [key, value] : replayed_samples) {
    const auto found = live_samples.find(key);
    ASSERT_NE(found, live_samples.end()) << "kind " << key.first << " sample " << key.second;
    ASSERT_EQ(found->second, value) << "kind " << key.first << " sample " << key.second;
    ++compared;
  }
  size_t live_after_start = 0;
  for (const auto& [key, value] : live_samples) {
    if (key.first == v1::WAVEFORM_KIND_ECG_II && key.second >= 37 * 500) ++live_after_start;
  }
  size_t replayed_ecg = 0;
  for (const auto& [key, value] : replayed_samples) {
    if (key.first == v1::WAVEFORM_KIND_ECG_II) ++replayed_ecg;
  }
  EXPECT_EQ(replayed_ecg, live_after_start);
  EXPECT_EQ(compared, replayed_samples.size());
}

TEST_F(RecordingTest, RecordingIsListedWithItsBookmarksAndReplaysFromABookmark) {
  std::string id;
  std::vector<uint64_t> bookmarks;
  RunSession(45, &id, &bookmarks);
  ASSERT_EQ(bookmarks.size(), 2u);

  grpc::ClientContext context;
  v1::ListRecordingsRequest list;
  list.set_learner("Ana");
  v1::ListRecordingsResponse listed;
  ASSERT_TRUE(debrief_->ListRecordings(&context, list, &listed).ok());
  ASSERT_EQ(listed.recordings_size(), 1);
  EXPECT_EQ(listed.recordings(0).session_id(), id);
  EXPECT_EQ(listed.recordings(0).status(), v1::RECORDING_STATUS_COMPLETE);
  EXPECT_EQ(listed.recordings(0).tags(0), "recording-test");
  EXPECT_GE(listed.recordings(0).duration_s(), 45);

  grpc::ClientContext nobody_context;
  list.set_learner("Nobody");
  ASSERT_TRUE(debrief_->ListRecordings(&nobody_context, list, &listed).ok());
  EXPECT_EQ(listed.recordings_size(), 0);

  const v1::Recording recording = Get(id);
  ASSERT_EQ(recording.annotations_size(), 2);
  EXPECT_EQ(recording.annotations(0).event_id(), bookmarks[0]);
  EXPECT_EQ(recording.annotations(0).category(), "airway");
  EXPECT_EQ(recording.annotations(1).label(), "after oxygen");

  // From the second bookmark at 4x: the bookmark itself comes first among
  // the events, and the replay ends with the final snapshot.
  v1::ReplayRequest request;
  request.set_session_id(id);
  request.set_from_event_id(bookmarks[1]);
  request.set_speed(4);
  const std::vector<v1::SessionUpdate> replayed = ReplayAll(controller_.channel(), request);
  std::optional<uint64_t> first_event;
  for (const v1::SessionUpdate& update : replayed) {
    if (update.has_event() && update.event().kind() == v1::EVENT_KIND_BOOKMARK &&
        update.event().id() == bookmarks[1]) {
      first_event = update.event().id();
    }
  }
  EXPECT_EQ(first_event, bookmarks[1]);
  ASSERT_TRUE(replayed.back().has_snapshot());
  EXPECT_EQ(replayed.back().snapshot().status(), v1::SESSION_STATUS_STOPPED);
}

TEST_F(RecordingTest, ForkFromABookmarkContinuesFromTheExactRecordedState) {
  std::string id;
  std::vector<uint64_t> bookmarks;
  const std::vector<v1::SessionUpdate> live = RunSession(50, &id, &bookmarks);
  std::vector<v1::Event> original;
  for (const v1::SessionUpdate& update : live) {
    if (update.has_event()) original.push_back(update.event());
  }

  v1::ForkRequest fork;
  fork.set_session_id(id);
  fork.set_bookmark_event_id(bookmarks[1]);
  v1::Session forked;
  {
    grpc::ClientContext context;
    const grpc::Status status = debrief_->Fork(&context, fork, &forked);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_EQ(forked.status(), v1::SESSION_STATUS_PAUSED);
  const v1::Event& bookmark = original[bookmarks[1] - 1];
  EXPECT_EQ(forked.sim_time_s(), bookmark.sim_time_s());

  // Its history is the original's up to the bookmark, event for event.
  grpc::ClientContext watch_context;
  v1::WatchRequest watch;
  watch.set_session_id(forked.id());
  watch.set_after_event_id(0);
  auto reader = sessions_->Watch(&watch_context, watch);
  v1::SessionUpdate update;
  ASSERT_TRUE(reader->Read(&update));
  const v1::Session at_fork = update.snapshot();
  std::vector<v1::Event> history;
  while (history.size() < bookmarks[1] + 1 && reader->Read(&update)) {
    if (update.has_event()) history.push_back(update.event());
  }
  ASSERT_EQ(history.size(), bookmarks[1] + 1);
  for (size_t i = 0; i < bookmarks[1]; ++i) {
    EXPECT_EQ(Essence(history[i]), Essence(original[i])) << "event " << i + 1;
  }
  EXPECT_EQ(history.back().kind(), v1::EVENT_KIND_SESSION_FORKED);
  // The same state and time in it as the original at the bookmark.
  const v1::Event* entered = nullptr;
  for (const v1::Event& event : original) {
    if (event.id() < bookmark.id() && event.kind() == v1::EVENT_KIND_STATE_ENTERED) {
      entered = &event;
    }
  }
  ASSERT_NE(entered, nullptr);
  EXPECT_EQ(at_fork.current_state(), entered->state_change().to_state());
  EXPECT_NEAR(at_fork.time_in_state_s(), bookmark.sim_time_s() - entered->sim_time_s(), 1e-9);
  EXPECT_TRUE(MessageDifferencer::Equals(at_fork.patient(), forked.patient()));

  // The fork records where it came from, and runs on when resumed.
  EXPECT_EQ(Get(forked.id()).origin().session_id(), id);
  EXPECT_EQ(Get(forked.id()).origin().bookmark_event_id(), bookmarks[1]);
  Call(&v1::SessionService::Stub::Resume, forked.id());
  while (reader->Read(&update)) {
    if (update.has_vitals() && update.vitals().sim_time_s() >= bookmark.sim_time_s() + 3) break;
  }
  Call(&v1::SessionService::Stub::Stop, forked.id());
  watch_context.TryCancel();
  reader->Finish();

  // A bookmark id that is not a bookmark is refused, naming the field.
  fork.set_bookmark_event_id(1);
  grpc::ClientContext bad_context;
  const grpc::Status refused = debrief_->Fork(&bad_context, fork, &forked);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(refused.error_message().find("bookmark_event_id"), std::string::npos);
}

TEST_F(RecordingTest, AnnotationsLocksAndDeletion) {
  std::string id;
  std::vector<uint64_t> bookmarks;
  RunSession(30, &id, &bookmarks);

  v1::AnnotateRequest note;
  note.set_session_id(id);
  note.set_sim_time_s(25);
  note.set_category("communication");
  note.set_label("closed-loop");
  note.set_comment("dose read back");
  {
    grpc::ClientContext context;
    v1::Annotation added;
    ASSERT_TRUE(debrief_->Annotate(&context, note, &added).ok());
  }
  note.set_sim_time_s(3600);
  {
    grpc::ClientContext context;
    v1::Annotation added;
    const grpc::Status status = debrief_->Annotate(&context, note, &added);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_NE(status.error_message().find("sim_time_s"), std::string::npos);
  }
  // A grade changed in the debrief appends to the same record after the
  // annotation: both stay (the session's recorder is the record's only
  // writer).
  {
    auto assessments = v1::AssessmentService::NewStub(controller_.channel());
    v1::OverrideGradeRequest grade;
    grade.set_session_id(id);
    grade.set_item("Call for help");
    grade.set_grade(v1::GRADE_MET);
    grade.set_comment("called before the recording started");
    grade.set_instructor("Dr. Osei");
    grpc::ClientContext context;
    v1::Event event;
    ASSERT_TRUE(assessments->OverrideGrade(&context, grade, &event).ok());
  }
  const v1::Recording recording = Get(id);
  ASSERT_EQ(recording.annotations_size(), 2);  // the bookmark at 12 s, the note at 25 s
  EXPECT_EQ(recording.annotations(1).label(), "closed-loop");
  EXPECT_EQ(recording.annotations(1).category(), "communication");
  bool override_replayed = false;
  for (const v1::SessionUpdate& update : ReplayAll(controller_.channel(), id)) {
    if (update.has_event() && update.event().kind() == v1::EVENT_KIND_GRADE_OVERRIDDEN) {
      override_replayed = true;
    }
  }
  EXPECT_TRUE(override_replayed);

  v1::SetLockedRequest lock;
  lock.set_session_id(id);
  lock.set_locked(true);
  {
    grpc::ClientContext context;
    v1::Recording locked;
    ASSERT_TRUE(debrief_->SetLocked(&context, lock, &locked).ok());
    EXPECT_TRUE(locked.locked());
  }
  v1::RecordingRef ref;
  ref.set_session_id(id);
  {
    grpc::ClientContext context;
    v1::DeleteRecordingResponse deleted;
    EXPECT_EQ(debrief_->DeleteRecording(&context, ref, &deleted).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  lock.set_locked(false);
  {
    grpc::ClientContext context;
    v1::Recording unlocked;
    ASSERT_TRUE(debrief_->SetLocked(&context, lock, &unlocked).ok());
  }
  {
    grpc::ClientContext context;
    v1::DeleteRecordingResponse deleted;
    ASSERT_TRUE(debrief_->DeleteRecording(&context, ref, &deleted).ok());
  }
  grpc::ClientContext context;
  v1::Recording gone;
  EXPECT_EQ(debrief_->GetRecording(&context, ref, &gone).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(std::filesystem::exists(controller_.data_dir() / "sessions" / id));
}

TEST_F(RecordingTest, ReportsInEveryFormat) {
  std::string id;
  std::vector<uint64_t> bookmarks;
  RunSession(45, &id, &bookmarks);
  // A note a player must not read as markup (the finding: '<' unescaped).
  v1::AnnotateRequest note;
  note.set_session_id(id);
  note.set_sim_time_s(30);
  note.set_label("<b>SpO2 < 90 & falling</b>");
  {
    grpc::ClientContext context;
    v1::Annotation added;
    ASSERT_TRUE(debrief_->Annotate(&context, note, &added).ok());
  }
  auto report = [&](v1::ReportFormat format) {
    grpc::ClientContext context;
    v1::ExportReportRequest request;
    request.set_session_id(id);
    request.set_format(format);
    v1::Report out;
    EXPECT_TRUE(debrief_->ExportReport(&context, request, &out).ok());
    return out;
  };
  const v1::Report html = report(v1::REPORT_FORMAT_HTML);
  EXPECT_EQ(html.content_type(), "text/html; charset=utf-8");
  EXPECT_NE(html.content().find("data-vital=\"heart_rate_bpm\""), std::string::npos);
  EXPECT_NE(html.content().find("class=\"state-band\" data-state=\"respiratory-distress\""),
            std::string::npos);
  EXPECT_NE(html.content().find("before oxygen"), std::string::npos);
  EXPECT_NE(html.content().find("<table class=\"grades\">"), std::string::npos);
  EXPECT_EQ(html.content().find("<script"), std::string::npos);

  const v1::Report csv = report(v1::REPORT_FORMAT_CSV);
  EXPECT_EQ(csv.content().rfind("sim_time_s,clock,state,heart_rate_bpm", 0), 0u);
  EXPECT_GE(std::count(csv.content().begin(), csv.content().end(), '\n'), 45);

  const v1::Report vtt = report(v1::REPORT_FORMAT_WEBVTT);
  EXPECT_EQ(vtt.content().rfind("WEBVTT", 0), 0u);
  EXPECT_NE(vtt.content().find("Bookmark: [airway] before oxygen"), std::string::npos);
  EXPECT_NE(vtt.content().find("00:00:12."), std::string::npos);
  EXPECT_NE(vtt.content().find("&lt;b&gt;SpO2 &lt; 90 &amp; falling&lt;/b&gt;"), std::string::npos)
      << vtt.content();
  EXPECT_EQ(vtt.content().find("<b>"), std::string::npos);

  const v1::Report json = report(v1::REPORT_FORMAT_JSON);
  EXPECT_NE(json.content().find("\"session_id\": \"" + id + "\""), std::string::npos);
}

}  // namespace
}  // namespace pedisim::testing
