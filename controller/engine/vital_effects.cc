#include "controller/engine/vital_effects.h"

#include <algorithm>

namespace pedisim::engine {

void VitalEffects::Add(const v1::VitalEffect& effect, int field, double start_s,
                       uint64_t cause_event_id) {
  active_.push_back({field, effect, start_s, cause_event_id});
}

double VitalEffects::Envelope(const Active& active, double now_s) {
  const v1::VitalEffect& effect = active.effect;
  const double t = now_s - active.start_s;
  if (t < 0) return 0;
  if (t < effect.onset_s()) return effect.change() * t / effect.onset_s();
  if (effect.lasting()) return effect.change();
  const double after_hold = t - effect.onset_s() - effect.hold_s();
  if (after_hold < 0) return effect.change();
  if (after_hold < effect.wear_off_s()) {
    return effect.change() * (1 - after_hold / effect.wear_off_s());
  }
  return 0;
}

double VitalEffects::Change(int field, double now_s) const {
  double change = 0;
  for (const Active& active : active_) {
    if (active.field == field) change += Envelope(active, now_s);
  }
  return change;
}

void VitalEffects::Prune(double now_s) {
  std::erase_if(active_, [now_s](const Active& active) {
    const v1::VitalEffect& effect = active.effect;
    return !effect.lasting() &&
           now_s - active.start_s > effect.onset_s() + effect.hold_s() + effect.wear_off_s();
  });
}

double VitalEffects::AbsorbLasting(int field, double now_s) {
  double absorbed = 0;
  std::erase_if(active_, [&](const Active& active) {
    if (active.field != field || !active.effect.lasting()) return false;
    absorbed += Envelope(active, now_s);
    return true;
  });
  return absorbed;
}

uint64_t VitalEffects::LatestCause(int field) const {
  for (auto it = active_.rbegin(); it != active_.rend(); ++it) {
    if (it->field == field) return it->cause_event_id;
  }
  return 0;
}

}  // namespace pedisim::engine
