// Record files on their own: frames, checksums, torn tails, the keyframe
// index, a disk that fills up, and the catalog built from records.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "controller/recording/recording_catalog.h"
#include "controller/recording/session_recorder.h"
#include "core/record_file/record_frames.h"
#include "core/record_file/record_reader.h"
#include "core/record_file/record_writer.h"

namespace pedisim::recording {
namespace {

class TempFolder {
 public:
  TempFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pedisim-rec-XXXXXX").string();
    EXPECT_NE(mkdtemp(pattern.data()), nullptr);
    path_ = pattern;
  }
  ~TempFolder() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

v1::RecordHeader Header(const std::string& id, const std::string& learner = "Ana") {
  v1::RecordHeader header;
  header.set_format_version(1);
  header.set_session_id(id);
  header.mutable_scenario()->set_id("test-scenario");
  header.mutable_scenario()->set_title("Test");
  header.add_participants()->set_name(learner);
  header.mutable_created_at()->set_seconds(1'700'000'000);
  return header;
}

v1::RecordEntry EventEntry(uint64_t step, uint64_t id) {
  v1::RecordEntry entry;
  entry.set_step(step);
  entry.mutable_event()->set_id(id);
  entry.mutable_event()->set_sim_time_s(static_cast<double>(step) * 0.1);
  entry.mutable_event()->set_summary("event " + std::to_string(id));
  return entry;
}

v1::RecordEntry KeyframeEntry(uint64_t step) {
  v1::RecordEntry entry;
  entry.set_step(step);
  entry.mutable_keyframe()->mutable_session()->set_sim_time_s(static_cast<double>(step) * 0.1);
  return entry;
}

// 100 steps with one event each and a keyframe every 30.
void WriteSample(const std::filesystem::path& path) {
  RecordWriter writer(path, Header("s1"));
  for (uint64_t step = 1; step <= 100; ++step) {
    writer.Append(EventEntry(step, step));
    if (step % 30 == 0) writer.Append(KeyframeEntry(step));
    if (step % 10 == 0) {
      ASSERT_TRUE(writer.Flush());
    }
  }
}

int CountEntries(RecordReader& reader) {
  int count = 0;
  v1::RecordEntry entry;
  while (reader.Next(&entry)) ++count;
  return count;
}

TEST(RecordFramesTest, DecodesWholeFramesAndRejectsDamage) {
  std::string bytes;
  AppendFrame("hello", &bytes);
  DecodedFrame frame = DecodeFrame(bytes);
  ASSERT_EQ(frame.result, FrameResult::kFrame);
  EXPECT_EQ(frame.payload, "hello");
  EXPECT_EQ(frame.size, bytes.size());
  for (size_t length = 0; length < bytes.size(); ++length) {
    EXPECT_EQ(DecodeFrame(bytes.substr(0, length)).result, FrameResult::kNeedMore) << length;
  }
  std::string flipped = bytes;
  flipped.back() ^= 1;
  EXPECT_EQ(DecodeFrame(flipped).result, FrameResult::kCorrupt);
  std::string huge = bytes;
  huge[3] = '\x7f';  // a length far past the limit
  EXPECT_EQ(DecodeFrame(huge).result, FrameResult::kCorrupt);
}

TEST(RecordFileTest, WritesReadsAndSeeksByTheIndex) {
  TempFolder folder;
  const std::filesystem::path path = folder.path() / "r.psrec";
  WriteSample(path);
  RecordReader reader(path);
  EXPECT_EQ(reader.header().session_id(), "s1");
  EXPECT_EQ(CountEntries(reader), 103);
  EXPECT_FALSE(reader.torn());
  ASSERT_EQ(reader.keyframes().size(), 3u);
  EXPECT_EQ(reader.SeekToKeyframe(75), 60u);
  v1::RecordEntry entry;
  ASSERT_TRUE(reader.Next(&entry));
  EXPECT_TRUE(entry.has_keyframe());
  ASSERT_TRUE(reader.Next(&entry));
  EXPECT_EQ(entry.event().id(), 61u);
  EXPECT_EQ(reader.SeekToKeyframe(10), 0u);
  ASSERT_TRUE(reader.Next(&entry));
  EXPECT_EQ(entry.event().id(), 1u);
}

TEST(RecordFileTest, WithoutItsIndexTheRecordIsScannedForKeyframes) {
  TempFolder folder;
  const std::filesystem::path path = folder.path() / "r.psrec";
  WriteSample(path);
  std::filesystem::remove(IndexPathFor(path));
  RecordReader reader(path);
  EXPECT_EQ(reader.keyframes().size(), 3u);
  // An index that lags (a crash between the two writes) is completed.
  WriteSample(folder.path() / "lagging.psrec");
  std::filesystem::resize_file(IndexPathFor(folder.path() / "lagging.psrec"),
                               kIndexMagic.size() + 16);  // the first keyframe only
  RecordReader lagging(folder.path() / "lagging.psrec");
  EXPECT_EQ(lagging.keyframes().size(), 3u);
}

TEST(RecordFileTest, EveryTornTailIsDetectedAndCutToTheLastWholeFrame) {
  TempFolder folder;
  const std::filesystem::path intact = folder.path() / "intact.psrec";
  WriteSample(intact);
  const auto size = std::filesystem::file_size(intact);
  std::string last_frame;
  AppendFrame(EventEntry(100, 100).SerializeAsString(), &last_frame);
  // The sample's last frame is the event of step 100; tear it at every byte.
  const auto previous_end = size - last_frame.size();
  for (uintmax_t cut = previous_end + 1; cut < size; ++cut) {
    const std::filesystem::path torn = folder.path() / "torn.psrec";
    std::filesystem::copy_file(intact, torn, std::filesystem::copy_options::overwrite_existing);
    std::filesystem::resize_file(torn, cut);
    const RecordSummary summary = ScanRecord(torn, /*repair=*/true);
    EXPECT_TRUE(summary.was_torn) << cut;
    EXPECT_EQ(std::filesystem::file_size(torn), previous_end) << cut;
    RecordReader reader(torn);
    EXPECT_EQ(CountEntries(reader), 102) << cut;
    EXPECT_FALSE(reader.torn()) << cut;
    // Appending after the repair gives a valid record again.
    {
      RecordWriter writer = RecordWriter::Reopen(torn);
      writer.Append(EventEntry(100, 100));
      ASSERT_TRUE(writer.Flush());
    }
    RecordReader reopened(torn);
    EXPECT_EQ(CountEntries(reopened), 103) << cut;
  }
}

TEST(RecordFileTest, CuttingATornTailAlsoDropsTheIndexEntriesPastIt) {
  TempFolder folder;
  const std::filesystem::path path = folder.path() / "r.psrec";
  WriteSample(path);
  uint64_t last_keyframe = 0;
  {
    RecordReader reader(path);
    ASSERT_EQ(reader.keyframes().size(), 3u);
    last_keyframe = reader.keyframes().back().offset;
  }
  // Power lost after the index was written but before the record was.
  std::filesystem::resize_file(path, last_keyframe + 3);
  ScanRecord(path, /*repair=*/true);
  EXPECT_EQ(std::filesystem::file_size(path), last_keyframe);
  EXPECT_EQ(std::filesystem::file_size(IndexPathFor(path)), kIndexMagic.size() + 2 * 16);
  {
    // New frames where the old keyframe was are not mistaken for it.
    RecordWriter writer = RecordWriter::Reopen(path);
    writer.Append(EventEntry(95, 95));
    ASSERT_TRUE(writer.Flush());
  }
  RecordReader reader(path);
  EXPECT_EQ(reader.keyframes().size(), 2u);
}

TEST(RecordFileTest, DamageInTheMiddleEndsTheRecordThere) {
  TempFolder folder;
  const std::filesystem::path path = folder.path() / "r.psrec";
  WriteSample(path);
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(static_cast<std::streamoff>(std::filesystem::file_size(path) / 2));
    file.put('\xff');
  }
  RecordReader reader(path);
  const int read = CountEntries(reader);
  EXPECT_GT(read, 10);
  EXPECT_LT(read, 103);
  EXPECT_TRUE(reader.torn());
  EXPECT_THROW(RecordReader(folder.path() / "missing.psrec"), RecordError);
  std::ofstream(folder.path() / "junk.psrec") << "not a record";
  EXPECT_THROW(RecordReader(folder.path() / "junk.psrec"), RecordError);
}

// A disk that fills up: RLIMIT_FSIZE stands in for it, in a child process so
// the limit binds nothing else. Writes fail, the record stays valid up to
// its last good flush, and once there is room again nothing is missing.
TEST(RecordFileTest, AFullDiskLeavesAValidRecordAndLosesNothingWhenRoomReturns) {
  TempFolder folder;
  const std::filesystem::path path = folder.path() / "r.psrec";
  const pid_t child = fork();
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);  // EFBIG from write() instead of a signal
    RecordWriter writer(path, Header("full"));
    rlimit limit{};
    getrlimit(RLIMIT_FSIZE, &limit);
    const rlim_t hard = limit.rlim_max;
    limit.rlim_cur = writer.flushed_bytes() + 2000;
    setrlimit(RLIMIT_FSIZE, &limit);
    bool failed = false;
    for (uint64_t step = 1; step <= 200; ++step) {
      writer.Append(EventEntry(step, step));
      if (!writer.Flush()) failed = true;
    }
    // The file ends at a whole frame even though writes failed.
    if (!failed || writer.write_errors() == 0) _exit(2);
    if (std::filesystem::file_size(path) > writer.flushed_bytes()) _exit(3);
    limit.rlim_cur = hard;
    setrlimit(RLIMIT_FSIZE, &limit);
    _exit(writer.Flush() ? 0 : 4);
  }
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  RecordReader reader(path);
  EXPECT_EQ(CountEntries(reader), 200);
  EXPECT_FALSE(reader.torn());
}

TEST(RecordingCatalogTest, BuiltFromRecordsFiltersAndRecoversInterruptedSessions) {
  TempFolder data;
  const std::filesystem::path sessions = RecordingCatalog::SessionsDir(data.path());
  for (const auto& [id, learner] : {std::pair{"a", "Ana"}, {"b", "Ben"}, {"c", "Ana"}}) {
    std::filesystem::create_directories(sessions / id);
    RecordWriter writer(sessions / id / SessionRecorder::kRecordName, Header(id, learner));
    writer.Append(EventEntry(5, 1));
    if (std::string(id) != "c") {  // c never ended: the controller died
      v1::RecordEntry end;
      end.set_step(5);
      end.mutable_end()->mutable_session()->set_id(id);
      end.mutable_end()->mutable_session()->set_current_state("stable");
      end.mutable_end()->mutable_session()->set_status(v1::SESSION_STATUS_COMPLETED);
      writer.Append(end);
    }
  }
  // c's last write was torn.
  std::ofstream(sessions / "c" / SessionRecorder::kRecordName, std::ios::app) << "\x10\x00";
  RecordingCatalog catalog(data.path());
  EXPECT_TRUE(catalog.recovery().rebuilt);
  EXPECT_EQ(catalog.recovery().interrupted, 1);
  EXPECT_EQ(catalog.recovery().torn_tails_cut, 1);
  EXPECT_EQ(catalog.List({}).size(), 3u);
  CatalogFilter by_learner;
  by_learner.learner = "Ana";
  const std::vector<v1::Recording> ana = catalog.List(by_learner);
  ASSERT_EQ(ana.size(), 2u);
  const std::optional<v1::Recording> c = catalog.Get("c");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->status(), v1::RECORDING_STATUS_INTERRUPTED);
  EXPECT_EQ(catalog.Get("a")->status(), v1::RECORDING_STATUS_COMPLETE);
  EXPECT_EQ(catalog.Get("a")->outcome(), "stable");
  CatalogFilter recent;
  recent.since_unix_s = 1'800'000'000;
  EXPECT_TRUE(catalog.List(recent).empty());
  // Retention: all three are old; a locked one is kept.
  EXPECT_TRUE(catalog.SetLocked("b", true));
  EXPECT_EQ(catalog.OlderThan(30, std::chrono::system_clock::now()).size(), 2u);
}

}  // namespace
}  // namespace pedisim::recording
