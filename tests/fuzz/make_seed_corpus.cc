// Writes the binary seed corpora of the fuzzers (see README.md):
//   make_seed_corpus CORPUS_DIR [--from-record RECORD]
// device_frame/: framed DeviceMessages as pedisim-device sends them;
// mllp/: receivers' answers to an HL7 sender, MLLP-framed;
// record/: record files (with their index) written by RecordWriter, one of
// each entry kind, and with --from-record a short copy of a real session's
// record (its first and last entries), whole and torn.

#include <google/protobuf/text_format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/protocol/frame_codec.h"
#include "core/record_file/record_frames.h"
#include "core/record_file/record_reader.h"
#include "core/record_file/record_writer.h"
#include "devices/hl7/mllp_framing.h"
#include "pedisim/v1/device_service.pb.h"
#include "tests/fuzz/request_types.h"

namespace pedisim::fuzz {
namespace {

namespace fs = std::filesystem;

template <typename Message>
Message FromText(const std::string& text) {
  Message message;
  if (!google::protobuf::TextFormat::ParseFromString(text, &message)) {
    std::fprintf(stderr, "bad seed text: %s\n", text.c_str());
    std::exit(1);
  }
  return message;
}

void Write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

const char* const kHello = R"(hello {
  protocol_version: DEVICE_PROTOCOL_VERSION_1
  identity { manufacturer: "PediSim" model: "virtual-monitor" serial: "VM-0001"
             firmware_version: "0.1.0" }
  capabilities { renders_vitals: "heart_rate_bpm" renders_vitals: "spo2_pct"
                 senses_actions: "ACTION_KIND_OXYGEN" renders_waveforms: WAVEFORM_KIND_ECG_II }
  session_id: "20261126-213310-2682" name: "monitor"
  waveforms: WAVEFORM_KIND_ECG_II waveforms: WAVEFORM_KIND_PLETH })";
const char* const kHeartbeat =
    R"(heartbeat { sequence: 7 sent_at { seconds: 1764192790 nanos: 250000000 } })";
const char* const kObservation = R"(observation {
  action { kind: ACTION_KIND_DRUG performer: "Nurse Lee" drug: "adrenaline" dose_mg: 0.07
           route: "IV" }
  sensed_at { seconds: 1764192791 } })";

void WriteDeviceFrames(const fs::path& folder) {
  using v1::DeviceMessage;
  const std::string hello = [] {
    std::string frame;
    protocol::AppendFrame(FromText<DeviceMessage>(kHello), &frame);
    return frame;
  }();
  std::string session = hello;
  for (const char* text : {kHeartbeat, kObservation, kHeartbeat}) {
    protocol::AppendFrame(FromText<DeviceMessage>(text), &session);
  }
  Write(folder / "hello", hello);
  Write(folder / "session", session);
  std::string pairing;
  protocol::AppendFrame(
      FromText<DeviceMessage>(R"(hello { protocol_version: DEVICE_PROTOCOL_VERSION_1
        identity { manufacturer: "Acme" model: "Manikin 3" } pairing_code: "K7Q-2M9" name: "manikin"
        cpr_samples: true device_events: true })"),
      &pairing);
  protocol::AppendFrame(FromText<DeviceMessage>(
                            R"(observation { action { kind: ACTION_KIND_OXYGEN
                              oxygen_flow_l_per_min: 10 } sensed_at { seconds: 1764192800 } })"),
                        &pairing);
  Write(folder / "pairing", pairing);
  // What the controller sends, which devices parse with the same framing.
  std::string from_controller;
  protocol::AppendFrame(FromText<v1::ControllerMessage>(
                            R"(welcome { session_id: "20261126-213310-2682" device_name: "monitor"
                              missing_capabilities: "senses_actions:ACTION_KIND_DEFIBRILLATION" }
                              queued_at { seconds: 1764192790 })"),
                        &from_controller);
  protocol::AppendFrame(
      FromText<v1::ControllerMessage>(R"(goodbye { code: 3 message: "hello.name: required" })"),
      &from_controller);
  Write(folder / "from-controller", from_controller);
  // A length over the limit ends the stream before its body.
  Write(folder / "over-limit", std::string("\x00\x10\x00\x01", 4) + "body");
}

void WriteMllp(const fs::path& folder) {
  using devices::hl7::MllpFrame;
  const std::string msh = "MSH|^~\\&|LAB|HOSP|PEDISIM|SIMLAB|20261126213310||ACK^R01^ACK|";
  // The first byte sets the size of the pieces the rest arrives in.
  Write(folder / "aa", "\x05" + MllpFrame(msh + "A1|P|2.5\rMSA|AA|PS000001\r"));
  Write(folder / "ae-with-text",
        "\x40" + MllpFrame(msh + "A2|P|2.5\rMSA|AE|PS000002|OBX-5 out of range\rERR|||207\r"));
  Write(folder / "enhanced-and-noise",
        "\x01\r\n" + MllpFrame(msh + "A3|P|2.5\nMSA|CA^x|PS000003\n") + "junk" +
            MllpFrame("MSH#^~\\&#LAB#HOSP\rMSA#CR#PS000004#rejected\r"));
  Write(folder / "two-in-one", "\x10" + MllpFrame(msh + "A4|P|2.5\r\nMSA|AA|PS000005\r\n") +
                                   MllpFrame(msh + "A5|P|2.5\rMSA|AR|PS000006\r"));
  Write(folder / "no-start-block", "\x03" + msh + "A6|P|2.5\rMSA|AA|PS000007\r\x1c\x0d");
}

v1::RecordHeader SyntheticHeader() {
  return FromText<v1::RecordHeader>(
      R"(format_version: 1 session_id: "20261126-000000-0001"
         scenario { id: "test-scenario" title: "Test" initial_state: "distress" }
         participants { name: "Ana" role: "team leader" }
         created_at { seconds: 1764115200 })");
}

// Writes `entries` after `header` with RecordWriter, and returns the record
// followed by its index, as record_fuzzer reads its input.
std::string RecordSeed(const fs::path& scratch, const v1::RecordHeader& header,
                       const std::vector<v1::RecordEntry>& entries) {
  const fs::path record = scratch / "seed.psrec";
  fs::remove(record);
  fs::remove(recording::IndexPathFor(record));
  {
    recording::RecordWriter writer(record, header);
    for (const v1::RecordEntry& entry : entries) writer.Append(entry);
    if (!writer.Flush()) std::exit(1);
  }
  return ReadAll(record) + ReadAll(recording::IndexPathFor(record));
}

void WriteRecords(const fs::path& folder, const fs::path& scratch, const fs::path& real_record) {
  using v1::RecordEntry;
  const std::vector<RecordEntry> one_of_each = {
      FromText<RecordEntry>(R"(step: 1 keyframe { session { current_state: "distress" } })"),
      FromText<RecordEntry>(
          R"(step: 2 vitals { sim_time_s: 0.2 vitals { heart_rate_bpm: 168 spo2_pct: 89 }
                               abnormal: "heart_rate_bpm" })"),
      FromText<RecordEntry>(R"(step: 3 event { id: 1 sim_time_s: 0.3 kind: EVENT_KIND_STATE_ENTERED
                               state_change { from_state: "distress" to_state: "failure" } })"),
      FromText<RecordEntry>(R"(step: 4 event { id: 2 sim_time_s: 0.4 source: "Dr. Osei"
                               bookmark { category: "airway" label: "late O2" note: "debrief" } })"),
      FromText<RecordEntry>(R"(step: 5 assessment { })"),
      FromText<RecordEntry>(R"(step: 6 end { session { current_state: "failure" } })"),
      FromText<RecordEntry>(R"(step: 6 annotation { event_id: 2 label: "review" })"),
      FromText<RecordEntry>(R"(step: 6 final_assessment { })"),
  };
  const std::string synthetic = RecordSeed(scratch, SyntheticHeader(), one_of_each);
  Write(folder / "one-of-each", synthetic);
  // Torn mid-frame, without its index: how a killed controller leaves it.
  const size_t index_at = synthetic.rfind(recording::kIndexMagic);
  Write(folder / "torn", synthetic.substr(0, index_at - 5));
  Write(folder / "header-only", RecordSeed(scratch, SyntheticHeader(), {}));
  if (real_record.empty()) return;

  // A real session, kept short: its first entries (keyframe, vitals,
  // waveform inputs, events) and its last (the end, annotations).
  recording::RecordReader reader(real_record);
  std::vector<RecordEntry> entries;
  RecordEntry entry;
  while (reader.Next(&entry)) entries.push_back(entry);
  std::vector<RecordEntry> kept(entries.begin(),
                                entries.begin() + std::min<size_t>(40, entries.size()));
  kept.insert(kept.end(), entries.end() - std::min<size_t>(4, entries.size()), entries.end());
  const std::string real = RecordSeed(scratch, reader.header(), kept);
  Write(folder / "real-session", real);
  Write(folder / "real-session-torn", real.substr(0, real.rfind(recording::kIndexMagic) - 11));
}

// request_fuzzer/: one request of each kind the controller checks
// before its handlers, valid, each after its type's index byte.
void WriteRequests(const fs::path& folder) {
  const std::vector<const google::protobuf::Descriptor*> types = RequestTypes();
  auto seed = [&](const google::protobuf::Message& request, const std::string& name) {
    const auto at = std::find(types.begin(), types.end(), request.GetDescriptor());
    if (at == types.end()) {
      std::fprintf(stderr, "%s is no request type\n", request.GetTypeName().c_str());
      std::exit(1);
    }
    Write(folder / name,
          std::string(1, static_cast<char>(at - types.begin())) + request.SerializeAsString());
  };
  seed(FromText<v1::CreateSessionRequest>(
           "scenario_id: 'infant-respiratory-failure' speed: 2 participants {name: 'Dr. Osei' "
           "role: 'team leader'} devices {adapter: 'virtual-manikin' config {key: 'script' "
           "value: 'actions: []'}} tags: 'course 12'"),
       "create");
  seed(FromText<v1::LogActionRequest>(
           "session_id: 's1' action {kind: ACTION_KIND_DRUG drug: 'epinephrine' dose_mg: 0.12 "
           "route: 'IM'}"),
       "drug");
  seed(FromText<v1::OverrideVitalsRequest>(
           "session_id: 's1' vitals {heart_rate_bpm: 180} trend_duration_s: 30 release: "
           "'spo2_pct'"),
       "override");
  seed(FromText<v1::SetRoomDisplayRequest>(
           "session_id: 's1' display {hidden_vitals: 'etco2_mmhg' alarm_limits {vital: "
           "'heart_rate_bpm' low: 90 high: 180}}"),
       "room-display");
  seed(FromText<v1::GetAssessmentRequest>("session_id: 's1' viewer_role: VIEWER_ROLE_LEARNER"),
       "assessment");
  seed(FromText<v1::ReplayRequest>("session_id: 's1' from_s: 12 speed: 4"), "replay");
}

}  // namespace
}  // namespace pedisim::fuzz

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc != 2 && !(argc == 4 && std::strcmp(argv[2], "--from-record") == 0)) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR [--from-record RECORD]\n", argv[0]);
    return 2;
  }
  const fs::path corpus = argv[1];
  const fs::path scratch = fs::temp_directory_path() / "pedisim-seed-corpus";
  fs::create_directories(scratch);
  pedisim::fuzz::WriteDeviceFrames(corpus / "device_frame_fuzzer");
  pedisim::fuzz::WriteMllp(corpus / "mllp_fuzzer");
  pedisim::fuzz::WriteRequests(corpus / "request_fuzzer");
  pedisim::fuzz::WriteRecords(corpus / "record_fuzzer", scratch, argc == 4 ? argv[3] : "");
  fs::remove_all(scratch);
  return 0;
}
