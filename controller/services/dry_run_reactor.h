#pragma once

#include <grpcpp/grpcpp.h>

#include <deque>
#include <optional>

#include "controller/session/simulation.h"
#include "pedisim/v1/session.pb.h"

namespace pedisim::services {

// One ScenarioService.DryRun stream: a Simulation with a scripted manikin,
// ticked as fast as the client reads, so a slow client slows the run
// instead of piling updates up in memory. gRPC calls it one callback at a
// time, so it needs no lock. Deletes itself when gRPC is done with it.
class DryRunReactor : public grpc::ServerWriteReactor<v1::SessionUpdate>,
                      private session::UpdateSubscriber {
 public:
  DryRunReactor(v1::Scenario scenario, uint64_t seed, double max_duration_s, bool waveforms,
                std::vector<session::AttachedDevice> devices);

  void OnWriteDone(bool ok) override;
  void OnDone() override { delete this; }

 private:
  // Ticks until there is something to write or the run is over, then starts
  // the next write or finishes.
  void WriteNext();
  // The simulation's updates queue up to be written (session::UpdateSubscriber).
  void OnUpdate(const v1::SessionUpdate& update) override { pending_.push_back(update); }
  void OnSessionEnded() override {}
  void End(v1::SessionStatus status, const std::string& why);
  v1::SessionUpdate Snapshot(v1::SessionStatus status) const;

  std::deque<v1::SessionUpdate> pending_;  // front is in flight
  session::Simulation simulation_;
  const double max_duration_s_;
  bool ended_ = false;
};

}  // namespace pedisim::services
