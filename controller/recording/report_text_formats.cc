// The machine-readable reports: JSON, CSV and WebVTT chapters.

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cmath>

#include "controller/recording/session_digest.h"
#include "core/vitals/vital_table.h"

namespace pedisim::recording {

namespace {

std::string Json(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

std::string JsonString(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

template <class Items, class Render>
std::string JsonArray(const Items& items, Render render) {
  std::string out = "[";
  bool first = true;
  for (const auto& item : items) {
    if (!first) out += ",\n";
    first = false;
    out += render(item);
  }
  return out + "]";
}

std::string CsvField(std::string text) {
  // A spreadsheet runs a cell that starts like a formula; text from the
  // session (a learner's name, a note) must stay text.
  if (!text.empty() && std::string_view("=+-@").find(text.front()) != std::string_view::npos) {
    text = std::string(1, '\'') + text;
  }
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

template <class Optional>
std::string CsvNumber(bool has, Optional value) {
  return has ? fmt::format("{:.1f}", value) : std::string();
}

std::string VttTime(double seconds) {
  const auto ms = static_cast<int64_t>(std::llround(std::max(0.0, seconds) * 1000));
  return fmt::format("{:02d}:{:02d}:{:02d}.{:03d}", ms / 3600000, (ms / 60000) % 60,
                     (ms / 1000) % 60, ms % 1000);
}

// WebVTT cue text may not contain "-->" and must not have blank lines.
std::string VttText(std::string text) {
  for (size_t at; (at = text.find("-->")) != std::string::npos;) text.replace(at, 3, "->");
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

// A cue's text: a player reads '<' as the start of a tag and '&' as the
// start of an entity (WebVTT, W3C, "cue text"), so both are escaped, and
// '>' with them.
std::string VttCueText(const std::string& text) {
  std::string escaped;
  for (const char c : VttText(text)) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

}  // namespace

std::string RenderJsonReport(const SessionDigest& digest) {
  std::string out = "{\n";
  out += "\"session_id\": " + JsonString(digest.header.session_id()) + ",\n";
  out += "\"header\": " + Json(digest.header) + ",\n";
  out += fmt::format("\"complete\": {},\n\"duration_s\": {},\n", digest.ended ? "true" : "false",
                     digest.duration_s);
  if (digest.ended) out += "\"final_session\": " + Json(digest.final_session) + ",\n";
  if (digest.assessment) out += "\"assessment\": " + Json(*digest.assessment) + ",\n";
  out += "\"states\": " +
         JsonArray(digest.states,
                   [](const SessionDigest::StateSpan& span) {
                     return fmt::format("{{\"state\": {}, \"from_s\": {}, \"to_s\": {}}}",
                                        JsonString(span.state), span.from_s, span.to_s);
                   }) +
         ",\n";
  out += "\"annotations\": " +
         JsonArray(digest.annotations, [](const v1::Annotation& note) { return Json(note); }) +
         ",\n";
  out += "\"events\": " +
         JsonArray(digest.events, [](const v1::Event& event) { return Json(event); }) + ",\n";
  out += "\"vitals\": " +
         JsonArray(digest.vitals, [](const v1::VitalsSample& sample) { return Json(sample); }) +
         "\n}\n";
  return out;
}

std::string RenderCsvReport(const SessionDigest& digest) {
  // One column per vital of the table, named as the field.
  std::string out = "sim_time_s,clock,state,";
  for (const vitals::VitalField& field : vitals::VitalFields()) {
    out += std::string(field.name) + ",";
  }
  out += "alarming,events\n";
  size_t next_event = 0;
  size_t state_index = 0;
  for (size_t i = 0; i < digest.vitals.size(); ++i) {
    const v1::VitalsSample& sample = digest.vitals[i];
    const v1::Vitals& v = sample.vitals();
    const double until_s =
        i + 1 < digest.vitals.size() ? digest.vitals[i + 1].sim_time_s() : digest.duration_s + 1;
    while (state_index + 1 < digest.states.size() &&
           digest.states[state_index + 1].from_s <= sample.sim_time_s()) {
      ++state_index;
    }
    const std::string state = digest.states.empty() ? "" : digest.states[state_index].state;
    // The events from this sample up to the next one, compressions folded
    // into a count (a minute of CPR is over a hundred of them).
    std::string events;
    int compressions = 0;
    for (; next_event < digest.events.size() && digest.events[next_event].sim_time_s() < until_s;
         ++next_event) {
      const v1::Event& event = digest.events[next_event];
      if (event.has_action() && event.action().kind() == v1::ACTION_KIND_CHEST_COMPRESSION) {
        ++compressions;
        continue;
      }
      events += (events.empty() ? "" : "; ") + event.summary();
    }
    if (compressions > 0) {
      events += fmt::format("{}{} compressions", events.empty() ? "" : "; ", compressions);
    }
    std::string alarming;
    for (const std::string& name : sample.alarming()) {
      alarming += (alarming.empty() ? "" : " ") + name;
    }
    out += fmt::format("{:.1f},{},{},", sample.sim_time_s(), ClockText(sample.sim_time_s()),
                       CsvField(state));
    for (const vitals::VitalField& field : vitals::VitalFields()) {
      out += CsvNumber((v.*field.has)(), (v.*field.get)()) + ",";
    }
    out += CsvField(alarming) + "," + CsvField(events) + "\n";
  }
  return out;
}

std::string RenderWebVtt(const SessionDigest& digest) {
  struct Chapter {
    double at_s;
    std::string title;
  };
  std::vector<Chapter> chapters;
  for (const SessionDigest::StateSpan& span : digest.states) {
    chapters.push_back({span.from_s, "State: " + span.state});
  }
  for (const v1::Annotation& note : digest.annotations) {
    std::string title = note.event_id() != 0 ? "Bookmark: " : "Note: ";
    if (!note.category().empty()) title += "[" + note.category() + "] ";
    title += note.label();
    if (!note.comment().empty()) title += " - " + note.comment();
    chapters.push_back({note.sim_time_s(), title});
  }
  std::stable_sort(chapters.begin(), chapters.end(),
                   [](const Chapter& a, const Chapter& b) { return a.at_s < b.at_s; });
  std::string out = "WEBVTT - " + VttText(digest.header.scenario().title()) + " (" +
                    digest.header.session_id() + "), simulated time\n";
  for (size_t i = 0; i < chapters.size(); ++i) {
    // A chapter lasts until the next one; cues need a positive duration.
    const double end_s = std::max(
        chapters[i].at_s + 1, i + 1 < chapters.size() ? chapters[i + 1].at_s : digest.duration_s);
    out += fmt::format("\n{}\n{} --> {}\n{}\n", i + 1, VttTime(chapters[i].at_s), VttTime(end_s),
                       VttCueText(chapters[i].title));
  }
  return out;
}

}  // namespace pedisim::recording
