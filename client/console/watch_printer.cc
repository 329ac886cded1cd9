#include "client/console/watch_printer.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include "client/console/formatting.h"
#include "core/text/enum_names.h"

namespace pedisim::console {
namespace {

constexpr char kEraseLine[] = "\r\x1b[K";
// Absorbs float noise in sample times (9.999999 after 10 s) so that the
// vitals lines of a log fall on the intended interval.
constexpr double kSampleTimeSlackS = 1e-3;

// A live line longer than the terminal wraps, and '\r' then only returns to
// the start of its last row, leaving copies behind. 0 when unknown.
size_t TerminalColumns() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0) return 0;
  return size.ws_col;
}

std::string TruncateToWidth(const std::string& utf8, size_t columns) {
  size_t seen = 0;
  for (size_t i = 0; i < utf8.size(); ++i) {
    const bool starts_code_point = (static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80;
    if (starts_code_point && seen++ == columns) return utf8.substr(0, i);
  }
  return utf8;
}

bool IsFinal(v1::SessionStatus status) {
  return status == v1::SESSION_STATUS_STOPPED || status == v1::SESSION_STATUS_COMPLETED;
}

}  // namespace

WatchPrinter::WatchPrinter(std::ostream& out, const WatchPrinterOptions& options)
    : out_(out), options_(options) {}

void WatchPrinter::Print(const v1::SessionUpdate& update) {
  switch (update.update_case()) {
    case v1::SessionUpdate::kSnapshot:
      PrintSnapshot(update.snapshot());
      break;
    case v1::SessionUpdate::kVitals:
      PrintVitals(update.vitals().sim_time_s(), update.vitals().vitals(),
                  update.vitals().overridden());
      break;
    case v1::SessionUpdate::kEvent:
      PrintEvent(update.event());
      break;
    case v1::SessionUpdate::kWaveform:    // a terminal cannot draw a monitor trace
    case v1::SessionUpdate::kAssessment:  // every grade arrives as an event line too
    case v1::SessionUpdate::UPDATE_NOT_SET:
      break;
  }
  out_.flush();
}

void WatchPrinter::PrintSnapshot(const v1::Session& session) {
  session_id_ = session.id();
  status_ = session.status();
  state_ = session.current_state();
  sim_time_s_ = std::max(sim_time_s_, session.sim_time_s());
  event_count_ = std::max(event_count_, session.event_count());
  // Later snapshots only follow status changes, which arrive as events too.
  if (saw_snapshot_) return;
  saw_snapshot_ = true;
  if (options_.dry_run) {
    PrintLine("dry run of " + session.scenario_id() + " (seed " + std::to_string(session.seed()) +
              "), starting in state " + session.current_state());
  } else {
    PrintLine("watching session " + session.id() + " (" + session.scenario_id() +
              "): " + text::EnumWords(session.status()) + " in state " + session.current_state() +
              " at " + FormatClock(session.sim_time_s()) + ", " + FormatSpeed(session.speed()));
  }
  PrintVitals(session.sim_time_s(), session.vitals(), {});
}

void WatchPrinter::PrintEvent(const v1::Event& event) {
  sim_time_s_ = std::max(sim_time_s_, event.sim_time_s());
  event_count_ = std::max(event_count_, event.id());
  // A scheduled transition names its target too, before entering it.
  if (event.kind() == v1::EVENT_KIND_STATE_ENTERED) state_ = event.state_change().to_state();
  PrintLine(FormatEvent(event, options_.color));
}

void WatchPrinter::PrintVitals(double sim_time_s, const v1::Vitals& vitals,
                               const google::protobuf::RepeatedPtrField<std::string>& overridden) {
  sim_time_s_ = std::max(sim_time_s_, sim_time_s);
  const std::string line =
      fmt::format("[{}] {}", FormatClock(sim_time_s), FormatVitals(vitals, overridden));
  if (options_.live_vitals_line) {
    live_line_ = line;
    DrawLiveLine();
    return;
  }
  if (last_vitals_line_s_ &&
      sim_time_s - *last_vitals_line_s_ < options_.vitals_every_s - kSampleTimeSlackS) {
    // A repeat of the line just printed (a final sample at the same moment)
    // would only be printed again by the summary.
    unprinted_vitals_line_ = line == last_vitals_line_ ? "" : line;
    return;
  }
  last_vitals_line_s_ = sim_time_s;
  last_vitals_line_ = line;
  unprinted_vitals_line_.clear();
  out_ << line << '\n';
}

void WatchPrinter::PrintLine(const std::string& line) {
  EraseLiveLine();
  out_ << line << '\n';
  DrawLiveLine();
}

void WatchPrinter::DrawLiveLine() {
  if (!options_.live_vitals_line || live_line_.empty()) return;
  const size_t columns = TerminalColumns();
  // The last column stays free: writing into it makes some terminals wrap.
  const std::string visible = columns > 1 ? TruncateToWidth(live_line_, columns - 1) : live_line_;
  out_ << kEraseLine << visible;
  live_line_drawn_ = true;
}

void WatchPrinter::EraseLiveLine() {
  if (!live_line_drawn_) return;
  out_ << kEraseLine;
  live_line_drawn_ = false;
}

void WatchPrinter::ReleaseTerminal() {
  if (!live_line_drawn_) return;
  // Redrawn rather than kept as is: a "^C" echoed by the terminal may sit in it.
  DrawLiveLine();
  out_ << '\n';
  live_line_drawn_ = false;
  out_.flush();
}

void WatchPrinter::PrintSummary(bool interrupted) {
  ReleaseTerminal();
  if (!unprinted_vitals_line_.empty()) out_ << unprinted_vitals_line_ << '\n';
  std::string status = saw_snapshot_ ? text::EnumWords(status_) : "unknown";
  std::string line;
  if (options_.dry_run) {
    line = "dry run " + status;
  } else if (interrupted && !IsFinal(status_)) {
    line = "stopped watching session " + session_id_ + " (still " + status + ")";
  } else {
    line = "session " + session_id_ + " " + status;
  }
  line += ": state " + state_ + ", sim time " + FormatClock(sim_time_s_) + ", " +
          std::to_string(event_count_) + (event_count_ == 1 ? " event" : " events");
  out_ << line << '\n';
  out_.flush();
}

}  // namespace pedisim::console
