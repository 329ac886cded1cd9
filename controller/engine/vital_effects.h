#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "core/vitals/vital_table.h"
#include "pedisim/v1/scenario.pb.h"

namespace pedisim::engine {

// The effects of handlers in progress: each adds to one vital along an
// envelope (onset, hold, wear-off) that starts when its action was logged.
class VitalEffects {
 public:
  void Add(const v1::VitalEffect& effect, int field, double start_s, uint64_t cause_event_id);

  // The sum of every effect on `field` at `now_s`.
  double Change(int field, double now_s) const;

  // Forgets effects that have worn off.
  void Prune(double now_s);

  // Ends the lasting effects on `field` and returns what they added at
  // `now_s`: a state that scripts the vital takes them into its trend's
  // starting point, so the value shows as scripted once the trend ends.
  double AbsorbLasting(int field, double now_s);

  // The event behind the most recent effect on `field` still acting, or 0.
  uint64_t LatestCause(int field) const;

 private:
  struct Active {
    int field;
    v1::VitalEffect effect;
    double start_s;
    uint64_t cause_event_id;
  };
  static double Envelope(const Active& active, double now_s);

  std::vector<Active> active_;
};

}  // namespace pedisim::engine
