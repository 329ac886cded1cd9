#include "report_printer.h"

#include <fmt/format.h>

#include <sstream>

#include "client/console/formatting.h"
#include "core/text/enum_names.h"

namespace pedisim::cli {
namespace {

std::string RangeText(const v1::Range& range) {
  if (range.has_min() && range.has_max()) return fmt::format("{:g}-{:g}", range.min(), range.max());
  if (range.has_min()) return fmt::format(">= {:g}", range.min());
  if (range.has_max()) return fmt::format("<= {:g}", range.max());
  return "no target";
}

void PrintItems(const v1::Assessment& assessment, std::ostream& out) {
  out << "ITEMS\n";
  for (const v1::ItemGrade& item : assessment.items()) {
    std::string grade = assessment.withheld() ? "withheld" : text::EnumWords(item.grade());
    if (item.has_score())
      grade += fmt::format(" ({} of {}-{})", item.score(), item.scale_min(), item.scale_max());
    out << fmt::format("  {:<14} {}", grade, item.item());
    if (item.has_decided_s()) out << "  [" << console::FormatClock(item.decided_s()) << "]";
    if (item.has_deadline_s() && item.has_window_opened_s()) {
      // Said in full, since "within 20 min" means nothing without "of what".
      out << fmt::format(
          "  (deadline {}: within {} of {})", console::FormatClock(item.deadline_s()),
          console::FormatClock(item.deadline_s() - item.window_opened_s()), item.measured_from());
    } else if (item.has_deadline_s()) {
      out << "  (deadline " << console::FormatClock(item.deadline_s()) << ")";
    } else if (!item.measured_from().empty()) {
      out << "  (its time starts at " << item.measured_from() << ")";
    }
    out << "\n";
    if (!item.reason().empty()) out << "                 " << item.reason() << "\n";
    if (item.has_override()) {
      out << fmt::format(
          "                 overridden by {} (was {}): {}\n", item.override().instructor(),
          text::EnumWords(item.override().original_grade()), item.override().comment());
    }
    for (const v1::Evidence& evidence : item.evidence()) {
      out << fmt::format("                 evidence #{} [{}] {}\n", evidence.event_id(),
                         console::FormatClock(evidence.sim_time_s()), evidence.summary());
    }
  }
}

void PrintCpr(const v1::Assessment& assessment, std::ostream& out) {
  if (!assessment.has_cpr()) return;
  const v1::CprQuality& cpr = assessment.cpr();
  const v1::CprTargets& targets = cpr.targets();
  out << "CPR QUALITY (" << (targets.age_band().empty() ? "no targets" : targets.age_band())
      << ", times from " << cpr.measured_from() << ")\n";
  auto flag = [&](const char* metric) {
    for (const std::string& off : cpr.off_target()) {
      if (off == metric) return "  OFF TARGET";
    }
    return "";
  };
  out << fmt::format("  compressions            {}\n", cpr.compressions());
  out << fmt::format("  rate                    {:.0f}/min (target {}){}\n",
                     cpr.compression_rate_per_min(), RangeText(targets.compression_rate_per_min()),
                     flag("compression_rate_per_min"));
  out << fmt::format("  depth                   {:.0f} mm (target {}){}\n",
                     cpr.compression_depth_mm(), RangeText(targets.compression_depth_mm()),
                     flag("compression_depth_mm"));
  out << fmt::format("  full recoil             {:.0f} % (target >= {:.0f} %){}\n",
                     100 * cpr.full_recoil_fraction(), 100 * targets.min_full_recoil_fraction(),
                     flag("full_recoil_fraction"));
  out << fmt::format("  compression fraction    {:.0f} % (target >= {:.0f} %){}\n",
                     100 * cpr.compression_fraction(), 100 * targets.min_compression_fraction(),
                     flag("compression_fraction"));
  out << fmt::format("  longest pause           {:.1f} s; {} over {:g} s{}\n",
                     cpr.longest_pause_s(), cpr.pauses_over_limit(), targets.max_pause_s(),
                     flag("pauses_over_limit"));
  out << fmt::format("  ventilations            {} ({:.0f}/min, target {}){}\n", cpr.ventilations(),
                     cpr.ventilation_rate_per_min(), RangeText(targets.ventilation_rate_per_min()),
                     flag("ventilation_rate_per_min"));
  if (cpr.has_time_to_first_compression_s()) {
    out << fmt::format("  first compression after {:.1f} s\n", cpr.time_to_first_compression_s());
  }
  if (cpr.has_time_to_first_shock_s()) {
    out << fmt::format("  first shock after       {:.1f} s\n", cpr.time_to_first_shock_s());
  }
  if (!cpr.shock_energy_j_per_kg().empty()) {
    std::string energies;
    for (double energy : cpr.shock_energy_j_per_kg()) {
      energies += fmt::format("{}{:.1f}", energies.empty() ? "" : ", ", energy);
    }
    out << "  shocks                  " << energies << " J/kg" << flag("shock_energy_j_per_kg")
        << "\n";
  }
}

void PrintCompetencies(const v1::Assessment& assessment, std::ostream& out) {
  if (assessment.competencies().empty()) return;
  out << "COMPETENCIES (ACGME)\n";
  for (const v1::CompetencyTotal& total : assessment.competencies()) {
    out << fmt::format(
        "  {:<28} {} items: {} met, {} late, {} wrong, {} omitted, {} n/a, {} "
        "pending{}\n",
        text::EnumWords(total.competency()), total.items(), total.met(), total.met_late(),
        total.wrong(), total.omitted(), total.not_applicable(), total.pending(),
        // Of the judged items only, and said so: "100 %" beside three pending
        // items would read as a perfect score.
        total.has_score_pct()
            ? fmt::format("  {:.0f} % of {} judged", total.score_pct(),
                          total.met() + total.met_late() + total.wrong() + total.omitted())
            : "");
  }
}

}  // namespace

std::string FormatDoseChecks(const v1::Assessment& assessment) {
  if (assessment.dose_checks().empty()) return {};
  std::string out = "DOSE CHECKS (" + assessment.guideline_set() + ")\n";
  for (const v1::DoseCheck& check : assessment.dose_checks()) {
    out += fmt::format("  [{}] #{} {:<14} {}\n", console::FormatClock(check.sim_time_s()),
                       check.event_id(), text::EnumWords(check.verdict()), check.reason());
  }
  return out;
}

std::string FormatReport(const v1::Session& session, const v1::Assessment& assessment) {
  std::ostringstream out;
  out << fmt::format("session {} ({}): {} in state {} at {}; {} mode, scores {}\n", session.id(),
                     session.scenario_id(), text::EnumWords(session.status()),
                     session.current_state(), console::FormatClock(assessment.sim_time_s()),
                     text::EnumWords(assessment.mode()),
                     assessment.released() ? "released to learners" : "not released");
  if (assessment.withheld()) {
    out << "grades are withheld from learners until the instructor releases them\n";
  }
  PrintItems(assessment, out);
  out << FormatDoseChecks(assessment);
  PrintCpr(assessment, out);
  PrintCompetencies(assessment, out);
  return out.str();
}

}  // namespace pedisim::cli
