#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "pedisim/v1/assessment.pb.h"
#include "pedisim/v1/recording.pb.h"

namespace pedisim::recording {

// What a report shows of a recorded session, read in one pass of its record.
struct SessionDigest {
  struct StateSpan {
    std::string state;
    double from_s = 0;
    double to_s = 0;
  };

  v1::RecordHeader header;
  bool ended = false;  // false: interrupted (or still running)
  v1::Session final_session;
  double duration_s = 0;
  std::vector<v1::Event> events;
  std::vector<v1::VitalsSample> vitals;
  std::vector<StateSpan> states;
  std::vector<v1::Annotation> annotations;
  std::optional<v1::Assessment> assessment;
};

// Throws RecordError when the record cannot be read.
SessionDigest DigestRecord(const std::filesystem::path& record);

// The whole report as one self-contained HTML page (inline CSS and SVG, no
// scripts, nothing fetched), printable.
std::string RenderHtmlReport(const SessionDigest& digest);
// The digest as JSON: header, outcome, assessment, events, vitals, annotations.
std::string RenderJsonReport(const SessionDigest& digest);
// One row per recorded numerics sample, with the state and the events of
// the second it covers.
std::string RenderCsvReport(const SessionDigest& digest);
// State changes, bookmarks and annotations as WebVTT chapters, so a video
// of the room can be navigated by them.
std::string RenderWebVtt(const SessionDigest& digest);

// "03:07" style simulated time (hours when needed).
std::string ClockText(double sim_time_s);

}  // namespace pedisim::recording
