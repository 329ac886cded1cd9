// Human rendering of a SessionService.Watch stream.
#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "pedisim/v1/session.pb.h"

namespace pedisim::console {

struct WatchPrinterOptions {
  // Keep one vitals line updated in place below the event lines; needs a
  // terminal that understands '\r' and "clear to end of line".
  bool live_vitals_line = false;
  // Bold state changes (ANSI).
  bool color = false;
  // Without a live line: simulated seconds between printed vitals lines, so
  // that logs stay readable; 0 prints every sample.
  double vitals_every_s = 10;
  // A ScenarioService.DryRun stream rather than a session's: the first line
  // and the summary speak of the dry run.
  bool dry_run = false;
};

class WatchPrinter {
 public:
  WatchPrinter(std::ostream& out, const WatchPrinterOptions& options);

  void Print(const v1::SessionUpdate& update);

  // Prints the final line: status, final state, sim time, number of events.
  // `interrupted` when the user stopped watching before the session ended.
  void PrintSummary(bool interrupted);

  // Ends the live vitals line so that an error message starts on its own line.
  void ReleaseTerminal();

 private:
  void PrintSnapshot(const v1::Session& session);
  void PrintEvent(const v1::Event& event);
  void PrintVitals(double sim_time_s, const v1::Vitals& vitals,
                   const google::protobuf::RepeatedPtrField<std::string>& overridden);
  // Prints a complete line above the live vitals line.
  void PrintLine(const std::string& line);
  void DrawLiveLine();
  void EraseLiveLine();

  std::ostream& out_;
  const WatchPrinterOptions options_;

  bool saw_snapshot_ = false;
  std::string session_id_;
  v1::SessionStatus status_ = v1::SESSION_STATUS_UNSPECIFIED;
  std::string state_;
  double sim_time_s_ = 0;
  uint64_t event_count_ = 0;

  std::string live_line_;
  bool live_line_drawn_ = false;
  std::optional<double> last_vitals_line_s_;
  std::string last_vitals_line_;
  // Without a live line: the newest vitals line when it was skipped, so the
  // summary can show the final values.
  std::string unprinted_vitals_line_;
};

}  // namespace pedisim::console
