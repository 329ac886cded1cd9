#include "follow_updates.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "client/console/output.h"
#include "client/console/watch_printer.h"
#include "interrupt_canceller.h"

namespace pedisim::cli {

int FollowUpdates(ControllerClient& client, double vitals_every_s, const OpenUpdateStream& open) {
  const bool json = client.options().json;
  const bool terminal = isatty(STDOUT_FILENO) == 1;
  console::WatchPrinter printer(std::cout, {.live_vitals_line = terminal,
                                            .color = terminal && std::getenv("NO_COLOR") == nullptr,
                                            .vitals_every_s = vitals_every_s});
  grpc::ClientContext context;
  grpc::Status status;
  bool interrupted = false;
  {
    InterruptCanceller canceller(&context);
    std::unique_ptr<grpc::ClientReader<v1::SessionUpdate>> reader = open(&context);
    v1::SessionUpdate update;
    while (reader->Read(&update)) {
      if (json) {
        console::PrintJsonLine(update);
        std::cout.flush();  // a consumer such as jq should see updates as they come
      } else if (!update.has_waveform()) {
        printer.Print(update);
      }
    }
    status = reader->Finish();
    interrupted = canceller.interrupted();
  }
  if (!interrupted && !status.ok()) {
    if (!json) printer.ReleaseTerminal();
    return client.Fail(status);
  }
  if (!json) printer.PrintSummary(interrupted);
  return console::kExitOk;
}

}  // namespace pedisim::cli
