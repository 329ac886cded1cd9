// `session watch`: follows SessionService.Watch until the session ends or
// the user presses Ctrl-C.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "client/console/output.h"
#include "client/console/watch_printer.h"
#include "controller_client.h"
#include "follow_updates.h"
#include "session_commands.h"
#include "validators.h"

namespace pedisim::cli {
namespace {

struct WatchOptions {
  std::string session_id;
  double vitals_every_s = 10;
  bool live_only = false;
  uint64_t after_event_id = 0;
};

int RunWatch(const GlobalOptions& global, const WatchOptions& options) {
  ControllerClient client(global);
  v1::WatchRequest request;
  request.set_session_id(options.session_id);
  // By default the events that already happened come first, so a watcher
  // that joins late still reads the whole story.
  if (!options.live_only) request.set_after_event_id(options.after_event_id);
  return FollowUpdates(client, options.vitals_every_s, [&](grpc::ClientContext* context) {
    return client.sessions().Watch(context, request);
  });
}

}  // namespace

void AddSessionWatchCommand(CLI::App& session, const GlobalOptions& global,
                            CommandRunner& selected) {
  auto options = std::make_shared<WatchOptions>();
  CLI::App* watch = session.add_subcommand(
      "watch", "Follow a session live until it ends (Ctrl-C stops watching, not the session)");
  watch->footer(
      "\nPrints each event as [mm:ss.s] AGENT  SUMMARY and the vitals as\n"
      "[mm:ss] HR 172 bpm  SpO2 88%  ... ('*' marks values held by an override). On a\n"
      "terminal the vitals line stays below the events, updated in place; otherwise\n"
      "one is printed every --vitals-every-s simulated seconds. The last line sums\n"
      "up status, state, sim time and event count. With --json: one update per line.\n"
      "Events that happened before the watch began are printed first, unless\n"
      "--live-only; --after-event N starts after event N (to resume a watch).\n"
      "Exits 0 when the session ends (stopped or completed) or on Ctrl-C.\n\n" +
      std::string(kGlobalHelpPointer));
  watch->add_option("ID", options->session_id, "Session id")->required();
  watch
      ->add_option("--vitals-every-s", options->vitals_every_s,
                   "When stdout is not a terminal: simulated seconds between vitals lines\n"
                   "(0 = every sample)")
      ->type_name("SECONDS")
      ->capture_default_str()
      ->check(NonNegativeNumber());
  watch->add_flag("--live-only", options->live_only,
                  "Skip the events that happened before the watch began");
  watch
      ->add_option("--after-event", options->after_event_id,
                   "Replay only the past events with a larger id")
      ->type_name("ID")
      ->excludes("--live-only");
  watch->callback([&, options] { selected = [&, options] { return RunWatch(global, *options); }; });
}

}  // namespace pedisim::cli
