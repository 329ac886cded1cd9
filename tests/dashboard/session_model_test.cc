#include "model/session_model.h"

#include <gtest/gtest.h>

#include "model/recording_timeline.h"
#include "views/state_graph_layout.h"

namespace pedisim::dashboard {
namespace {

v1::SessionUpdate Snapshot(const std::string& state, double sim_time_s, double time_in_state_s) {
  v1::SessionUpdate update;
  v1::Session* session = update.mutable_snapshot();
  session->set_id("s1");
  session->set_scenario_id("case");
  session->set_current_state(state);
  session->set_sim_time_s(sim_time_s);
  session->set_time_in_state_s(time_in_state_s);
  return update;
}

v1::SessionUpdate StateEntered(uint64_t id, const std::string& state, double sim_time_s) {
  v1::SessionUpdate update;
  v1::Event* event = update.mutable_event();
  event->set_id(id);
  event->set_sim_time_s(sim_time_s);
  event->set_kind(v1::EVENT_KIND_STATE_ENTERED);
  event->mutable_state_change()->set_to_state(state);
  return update;
}

TEST(SessionModelTest, StateEntryEventsKeepTheCurrentStateBetweenSnapshots) {
  SessionModel model;
  model.Apply(Snapshot("calm", 10, 4));
  model.Apply(StateEntered(1, "distress", 12));
  SessionView view;
  model.CopyInto(view);
  EXPECT_EQ(view.current_state, "distress");
  EXPECT_DOUBLE_EQ(view.state_entered_s, 12);
  EXPECT_FALSE(view.pending_current()) << "the snapshot's pending list is for 'calm'";
  // A Get answered before the event arrived must not take the state back.
  model.ApplySession(Snapshot("calm", 11, 5).snapshot());
  model.CopyInto(view);
  EXPECT_EQ(view.current_state, "distress");
}

TEST(SessionModelTest, CopiesOnlyNewEventsAndDropsDuplicates) {
  SessionModel model;
  SessionView view;
  model.Apply(StateEntered(1, "a", 1));
  model.CopyInto(view);
  ASSERT_EQ(view.events.size(), 1u);
  model.Apply(StateEntered(1, "a", 1));  // a reconnect resending it
  model.Apply(StateEntered(2, "b", 2));
  model.CopyInto(view);
  ASSERT_EQ(view.events.size(), 2u);
  EXPECT_EQ(view.events[1].id(), 2u);
  EXPECT_EQ(model.last_event_id(), 2u);
  model.Clear();
  model.CopyInto(view);
  EXPECT_TRUE(view.events.empty()) << "a cleared model (a replay seek) drops the view's events";
}

TEST(SessionModelTest, WaveformChunksFillTheirTraceAndAdvanceTime) {
  SessionModel model;
  model.SetTraceWindows({2, 2, 8, 8});
  v1::SessionUpdate update;
  v1::WaveformChunk* chunk = update.mutable_waveform();
  chunk->set_kind(v1::WAVEFORM_KIND_PLETH);
  chunk->set_sample_rate_hz(125);
  chunk->set_start_sim_time_s(3);
  for (int i = 0; i < 125; ++i) chunk->add_samples(0.5f);
  model.Apply(update);
  SessionView view;
  model.CopyInto(view);
  EXPECT_DOUBLE_EQ(view.traces[static_cast<int>(Trace::kPleth)].seconds_shown(), 1.0);
  EXPECT_EQ(view.traces[static_cast<int>(Trace::kEcg)].slot_count(), 0u);
  EXPECT_NEAR(view.sim_time_s, 3.992, 1e-9);
}

TEST(StateGraphLayoutTest, ColumnsFollowDistanceFromTheInitialState) {
  v1::Scenario scenario;
  scenario.set_initial_state("a");
  auto add = [&](const std::string& name, std::vector<std::string> targets) {
    v1::State* state = scenario.add_states();
    state->set_name(name);
    for (const std::string& target : targets) state->add_transitions()->set_to_state(target);
  };
  add("a", {"b", "c"});
  add("b", {"d", "a"});
  add("c", {});
  add("d", {});
  add("orphan", {});
  const GraphLayout layout = LayOutStates(scenario);
  auto node = [&](const std::string& name) { return layout.nodes[layout.index.at(name)]; };
  EXPECT_EQ(node("a").column, 0);
  EXPECT_EQ(node("b").column, 1);
  EXPECT_EQ(node("c").column, 1);
  EXPECT_EQ(node("c").row, 1);
  EXPECT_EQ(node("d").column, 2);
  EXPECT_EQ(node("orphan").column, 3) << "unreachable states go last";
  EXPECT_EQ(layout.columns, 4);
  EXPECT_EQ(layout.rows, 2);
}

}  // namespace
}  // namespace pedisim::dashboard

namespace pedisim::dashboard {
namespace {

v1::SessionUpdate EventUpdate(uint64_t id, double sim_time_s, v1::EventKind kind,
                              const std::string& to_state = "") {
  v1::SessionUpdate update;
  v1::Event* event = update.mutable_event();
  event->set_id(id);
  event->set_sim_time_s(sim_time_s);
  event->set_kind(kind);
  if (!to_state.empty()) event->mutable_state_change()->set_to_state(to_state);
  if (kind == v1::EVENT_KIND_BOOKMARK) event->mutable_bookmark()->set_label("look here");
  return update;
}

// A drug's toxic effect beginning is a moment of the debrief; the dose that
// caused it is already a learner action's marker, and the effect's end is
// not a moment anyone debriefs.
TEST(RecordingTimelineTest, ADrugsToxicEffectBeginningIsAMarker) {
  RecordingTimeline timeline;
  v1::SessionUpdate dose = EventUpdate(4, 30, v1::EVENT_KIND_DRUG_EFFECT);
  dose.mutable_event()->mutable_drug_effect()->set_drug("epinephrine");
  timeline.Add(dose);
  v1::SessionUpdate toxic = EventUpdate(5, 260, v1::EVENT_KIND_DRUG_EFFECT);
  toxic.mutable_event()->set_summary("epinephrine above its toxic level: ventricular tachycardia");
  toxic.mutable_event()->mutable_drug_effect()->set_toxicity("ventricular tachycardia");
  timeline.Add(toxic);
  v1::SessionUpdate ended = EventUpdate(6, 600, v1::EVENT_KIND_DRUG_EFFECT);
  ended.mutable_event()->mutable_drug_effect()->set_toxicity("ventricular tachycardia");
  ended.mutable_event()->mutable_drug_effect()->set_ended(true);
  timeline.Add(ended);
  ASSERT_EQ(timeline.markers().size(), 1u);
  EXPECT_EQ(timeline.markers()[0].label,
            "epinephrine above its toxic level: ventricular tachycardia");
  EXPECT_DOUBLE_EQ(timeline.markers()[0].sim_time_s, 260);
}

// A released test result is a moment of the debrief: it gets a tick,
// labelled with what was released.
TEST(RecordingTimelineTest, AReleasedResultIsAMarker) {
  RecordingTimeline timeline;
  v1::SessionUpdate released = EventUpdate(4, 90, v1::EVENT_KIND_DIAGNOSTIC_RESULT_RELEASED);
  released.mutable_event()->set_summary("blood_gas result released: pH 7.27");
  timeline.Add(released);
  ASSERT_EQ(timeline.markers().size(), 1u);
  EXPECT_FALSE(timeline.markers()[0].bookmark);
  EXPECT_EQ(timeline.markers()[0].label, "blood_gas result released: pH 7.27");
  EXPECT_DOUBLE_EQ(timeline.markers()[0].sim_time_s, 90);
}

TEST(RecordingTimelineTest, StateBandsMarkersAndEventsFromAReplay) {
  RecordingTimeline timeline;
  v1::SessionUpdate snapshot;
  snapshot.mutable_snapshot()->set_current_state("calm");
  timeline.Add(snapshot);
  timeline.Add(EventUpdate(1, 0, v1::EVENT_KIND_SESSION_STARTED));
  timeline.Add(EventUpdate(2, 12, v1::EVENT_KIND_STATE_ENTERED, "distress"));
  timeline.Add(EventUpdate(3, 20, v1::EVENT_KIND_BOOKMARK));
  timeline.Add(EventUpdate(3, 20, v1::EVENT_KIND_BOOKMARK));  // sent twice: kept once
  v1::SessionUpdate vitals;
  vitals.mutable_vitals()->set_sim_time_s(25);
  vitals.mutable_vitals()->mutable_vitals()->set_heart_rate_bpm(150);
  timeline.Add(vitals);
  timeline.Finish(30);

  ASSERT_EQ(timeline.bands().size(), 2u);
  EXPECT_EQ(timeline.bands()[0].state, "calm");
  EXPECT_DOUBLE_EQ(timeline.bands()[0].to_s, 12);
  EXPECT_DOUBLE_EQ(timeline.bands()[1].to_s, 30);
  ASSERT_EQ(timeline.markers().size(), 2u) << "the state entry and the bookmark";
  EXPECT_TRUE(timeline.markers()[1].bookmark);
  EXPECT_EQ(timeline.markers()[1].label, "look here");
  EXPECT_EQ(timeline.trend().size(), 1u);
  EXPECT_EQ(timeline.events().size(), 3u);
  EXPECT_DOUBLE_EQ(timeline.duration_s(), 30);

  EXPECT_DOUBLE_EQ(timeline.NextMarker(0, false), 12);
  EXPECT_DOUBLE_EQ(timeline.NextMarker(0, true), 20);
  EXPECT_DOUBLE_EQ(timeline.PreviousMarker(25, false), 20);
  EXPECT_DOUBLE_EQ(timeline.PreviousMarker(5, false), 5) << "nothing before: stay";
  EXPECT_EQ(timeline.EventsUntil(12), 2u);
  EXPECT_EQ(timeline.EventsUntil(100), 3u);
}

}  // namespace
}  // namespace pedisim::dashboard
