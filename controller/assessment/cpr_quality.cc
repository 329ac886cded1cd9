#include "controller/assessment/cpr_quality.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

namespace pedisim::assessment {
namespace {

struct Span {
  double start_s;
  double end_s;
};

// The time compressions went on: each run of compressions closer than
// kPauseThresholdS, from its first compression to one interval after its
// last.
std::vector<Span> CompressionRuns(const CprRecord& record) {
  std::vector<Span> runs;
  const auto& compressions = record.compressions;
  for (size_t i = 0; i < compressions.size(); ++i) {
    const double rate = compressions[i].sample.rate_per_min();
    const double interval_s = rate > 0 ? std::min(60.0 / rate, kPauseThresholdS) : 0;
    const double t = compressions[i].time_s;
    if (!runs.empty() && t - runs.back().end_s <= kPauseThresholdS) {
      runs.back().end_s = std::max(runs.back().end_s, t + interval_s);
    } else {
      runs.push_back({t, t + interval_s});
    }
  }
  return runs;
}

// The periods CPR is judged over: the pulseless time up to now, or, when
// the patient never lost the pulse (a newborn's bradycardia), the time from
// the first compression to the end of the last run, since compressions then
// rightly stop once the heart rate recovers.
std::vector<Span> ReferencePeriods(const CprRecord& record, const std::vector<Span>& runs,
                                   double now_s) {
  std::vector<Span> periods;
  for (const CprRecord::Pulseless& pulseless : record.pulseless) {
    const double end = std::min(pulseless.end_s.value_or(now_s), now_s);
    if (end > pulseless.start_s) periods.push_back({pulseless.start_s, end});
  }
  if (record.pulseless.empty() && !runs.empty()) {
    periods.push_back({runs.front().start_s, std::min(runs.back().end_s, now_s)});
  }
  return periods;
}

double Overlap(const Span& a, const Span& b) {
  return std::max(0.0, std::min(a.end_s, b.end_s) - std::max(a.start_s, b.start_s));
}

// Rounding of simulated times, which land on 0.1 s steps.
constexpr double kPulseLostTolerance = 1e-6;

// Whether the patient had no pulse at time_s; a shock in the step the pulse
// was lost counts as the arrest's.
bool Pulseless(const CprRecord& record, double time_s) {
  return std::any_of(record.pulseless.begin(), record.pulseless.end(),
                     [&](const CprRecord::Pulseless& period) {
                       return time_s + kPulseLostTolerance >= period.start_s &&
                              (!period.end_s || time_s < *period.end_s);
                     });
}

bool Outside(const v1::Range& range, double value) {
  return (range.has_min() && value < range.min()) || (range.has_max() && value > range.max());
}

void ListOffTarget(const v1::CprTargets& targets, bool shock_energy_off_target,
                   v1::CprQuality& quality) {
  auto off = [&](const char* metric) { quality.add_off_target(metric); };
  // No compressions at all in a pulseless patient is the worst fraction.
  if ((quality.compressions() > 0 || quality.pulseless_s() > 0) &&
      quality.compression_fraction() < targets.min_compression_fraction()) {
    off("compression_fraction");
  }
  if (quality.compressions() > 0) {
    if (Outside(targets.compression_rate_per_min(), quality.compression_rate_per_min())) {
      off("compression_rate_per_min");
    }
    if (Outside(targets.compression_depth_mm(), quality.compression_depth_mm())) {
      off("compression_depth_mm");
    }
    if (quality.full_recoil_fraction() < targets.min_full_recoil_fraction()) {
      off("full_recoil_fraction");
    }
    if (quality.pauses_over_limit() > 0) off("pauses_over_limit");
    if (Outside(targets.ventilation_rate_per_min(), quality.ventilation_rate_per_min())) {
      off("ventilation_rate_per_min");
    }
  }
  if (shock_energy_off_target) off("shock_energy_j_per_kg");
}

}  // namespace

v1::CprQuality MeasureCpr(const CprRecord& record, double now_s, double weight_kg,
                          const v1::CprTargets* targets) {
  v1::CprQuality quality;
  const double kg = weight_kg > 0 ? weight_kg : 1;
  const auto& compressions = record.compressions;
  quality.set_compressions(static_cast<uint32_t>(compressions.size()));
  if (!compressions.empty()) {
    double rate = 0, depth = 0, recoiled = 0;
    for (const CprRecord::Compression& compression : compressions) {
      rate += compression.sample.rate_per_min();
      depth += compression.sample.depth_mm();
      recoiled += compression.sample.full_recoil() ? 1 : 0;
    }
    const auto count = static_cast<double>(compressions.size());
    quality.set_compression_rate_per_min(rate / count);
    quality.set_compression_depth_mm(depth / count);
    quality.set_full_recoil_fraction(recoiled / count);
  }

  const std::vector<Span> runs = CompressionRuns(record);
  const std::vector<Span> periods = ReferencePeriods(record, runs, now_s);
  double reference_s = 0, covered_s = 0;
  for (const Span& period : periods) {
    reference_s += period.end_s - period.start_s;
    for (const Span& run : runs) covered_s += Overlap(period, run);
  }
  if (!record.pulseless.empty()) quality.set_pulseless_s(reference_s);
  if (reference_s > 0) quality.set_compression_fraction(std::min(1.0, covered_s / reference_s));

  // Pauses: hands-off stretches within the reference periods once
  // compressions have begun (the wait for the first one is its own metric).
  if (!runs.empty()) {
    uint32_t over_limit = 0;
    double longest = 0;
    const double limit = targets ? targets->max_pause_s() : 10;
    for (const Span& period : periods) {
      double hands_off_from = std::max(period.start_s, runs.front().start_s);
      auto close_pause = [&](double until) {
        const double pause = until - hands_off_from;
        if (pause <= kPauseThresholdS) return;
        longest = std::max(longest, pause);
        if (pause > limit) ++over_limit;
      };
      for (const Span& run : runs) {
        if (run.end_s <= hands_off_from || run.start_s >= period.end_s) continue;
        if (run.start_s > hands_off_from) close_pause(run.start_s);
        hands_off_from = std::max(hands_off_from, run.end_s);
      }
      if (hands_off_from < period.end_s) close_pause(period.end_s);
    }
    quality.set_longest_pause_s(longest);
    quality.set_pauses_over_limit(over_limit);
  }

  quality.set_ventilations(static_cast<uint32_t>(record.ventilations.size()));
  double compressing_s = 0;
  for (const Span& run : runs) compressing_s += run.end_s - run.start_s;
  if (compressing_s > 0) {
    const auto during =
        std::count_if(record.ventilations.begin(), record.ventilations.end(), [&](double t) {
          return std::any_of(runs.begin(), runs.end(),
                             [&](const Span& run) { return t >= run.start_s && t <= run.end_s; });
        });
    quality.set_ventilation_rate_per_min(static_cast<double>(during) * 60 / compressing_s);
  }

  const double reference_start = record.pulseless.empty() ? 0 : record.pulseless.front().start_s;
  quality.set_measured_from(record.pulseless.empty()
                                ? std::string("scenario start")
                                : fmt::format("first loss of pulse at {:.1f} s", reference_start));
  if (!compressions.empty()) {
    quality.set_time_to_first_compression_s(compressions.front().time_s - reference_start);
  }
  // A shock with a pulse (the unsynchronized shock that put an SVT into VF)
  // is no answer to the arrest; a shock a commission rule judged harmful
  // (above the maximum energy) is that rule's to report. Either would
  // otherwise be counted twice, once by its rule and once as an off-target
  // CPR shock. A harmful shock in the arrest still holds its place in the
  // sequence: the one after it is a later shock, not the first.
  bool shock_energy_off_target = false;
  int arrest_shocks = 0;
  for (const CprRecord::Shock& shock : record.shocks) {
    if (!Pulseless(record, shock.time_s)) continue;
    const bool first = arrest_shocks++ == 0;
    if (shock.harmful) continue;
    if (!quality.has_time_to_first_shock_s()) {
      quality.set_time_to_first_shock_s(shock.time_s - reference_start);
    }
    const double per_kg = shock.energy_j / kg;
    quality.add_shock_energy_j_per_kg(per_kg);
    if (targets) {
      const v1::Range& range =
          first ? targets->first_shock_j_per_kg() : targets->later_shock_j_per_kg();
      shock_energy_off_target = shock_energy_off_target || Outside(range, per_kg);
    }
  }
  if (targets) {
    *quality.mutable_targets() = *targets;
    ListOffTarget(*targets, shock_energy_off_target, quality);
  }
  return quality;
}

const v1::CprTargets* CprTargetsFor(const v1::GuidelineSet& guidelines, double age_years) {
  for (const v1::CprTargets& targets : guidelines.cpr_targets()) {
    const v1::Range& ages = targets.age_years();
    if ((!ages.has_min() || age_years >= ages.min()) &&
        (!ages.has_max() || age_years < ages.max())) {
      return &targets;
    }
  }
  return nullptr;
}

}  // namespace pedisim::assessment
