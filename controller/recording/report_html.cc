// The debrief report as one self-contained HTML page: inline CSS and SVG
// only, so it opens from a USB stick, mails as one file and prints.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "controller/recording/session_digest.h"
#include "core/text/enum_names.h"
#include "core/vitals/vital_table.h"

namespace pedisim::recording {

namespace {

constexpr double kPlotWidth = 900;
constexpr double kPlotLeft = 60;
constexpr double kStripHeight = 80;

std::string Escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// The report's strip charts: one per vital of the table, the members of a
// group (NIBP's systolic, mean and diastolic) sharing one.
std::vector<std::vector<const vitals::VitalField*>> Strips() {
  std::vector<std::vector<const vitals::VitalField*>> strips;
  for (const vitals::VitalField& field : vitals::VitalFields()) {
    const bool joins_previous =
        !field.group.empty() && !strips.empty() && strips.back().front()->group == field.group;
    if (!joins_previous) strips.emplace_back();
    strips.back().push_back(&field);
  }
  return strips;
}

std::string PrintColour(const vitals::VitalField& field) {
  return fmt::format("#{:06x}", field.print_rgb);
}

class PlotWriter {
 public:
  explicit PlotWriter(const SessionDigest& digest)
      : digest_(digest), duration_s_(std::max(1.0, digest.duration_s)) {}

  double X(double t) const {
    return kPlotLeft + kPlotWidth * std::clamp(t / duration_s_, 0.0, 1.0);
  }

  std::string Render() const {
    const std::vector<std::vector<const vitals::VitalField*>> strips = Strips();
    const double top = 34;
    const double height = top + kStripHeight * static_cast<double>(strips.size()) + 30;
    std::string svg = fmt::format(
        "<svg class=\"vitals-plot\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" "
        "height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" aria-label=\"Vital signs over "
        "time\">\n",
        kPlotLeft + kPlotWidth + 20, height);
    svg += StateBands(top, height - 30);
    for (size_t i = 0; i < strips.size(); ++i) {
      svg += Strip(strips[i], top + kStripHeight * static_cast<double>(i));
    }
    svg += Markers(top, height - 30);
    svg += Axis(height - 30);
    return svg + "</svg>\n";
  }

 private:
  std::string StateBands(double top, double bottom) const {
    static const char* kFills[] = {"#e3f2fd", "#fff3e0", "#f3e5f5",
                                   "#e8f5e9", "#fffde7", "#fce4ec"};
    std::string out;
    for (size_t i = 0; i < digest_.states.size(); ++i) {
      const SessionDigest::StateSpan& span = digest_.states[i];
      const double x0 = X(span.from_s);
      const double x1 = std::max(X(span.to_s), x0 + 1);
      out += fmt::format(
          "<g class=\"state-band\" data-state=\"{0}\"><rect x=\"{1:.1f}\" y=\"{2}\" "
          "width=\"{3:.1f}\" height=\"{4}\" fill=\"{5}\"/><text x=\"{6:.1f}\" y=\"{7}\" "
          "class=\"band-label\">{0}</text><title>{0}: {8} to {9}</title></g>\n",
          Escape(span.state), x0, top - 20, x1 - x0, bottom - top + 20, kFills[i % 6], x0 + 3,
          top - 8, ClockText(span.from_s), ClockText(span.to_s));
    }
    return out;
  }

  std::string Strip(const std::vector<const vitals::VitalField*>& traces, double top) const {
    // A shared scale for the strip's traces, padded so lines stay inside.
    double low = 1e9, high = -1e9;
    for (const vitals::VitalField* trace : traces) {
      for (const v1::VitalsSample& sample : digest_.vitals) {
        if (auto value = vitals::ValueOf(sample.vitals(), *trace)) {
          low = std::min(low, *value);
          high = std::max(high, *value);
        }
      }
    }
    std::string out =
        fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" class=\"grid\"/>\n",
                    kPlotLeft, top + kStripHeight, kPlotLeft + kPlotWidth);
    const vitals::VitalField& first = *traces.front();
    const std::string label =
        fmt::format("{} {}", first.group.empty() ? first.label : first.group, first.unit);
    out += fmt::format("<text x=\"4\" y=\"{:.1f}\" class=\"strip-label\" fill=\"{}\">{}</text>\n",
                       top + 16, PrintColour(first), Escape(label));
    if (low > high) return out;  // never measured
    if (high - low < 10) {
      const double middle = (high + low) / 2;
      low = middle - 5;
      high = middle + 5;
    }
    auto y = [&](double value) {
      return top + 6 + (kStripHeight - 12) * (1 - (value - low) / (high - low));
    };
    out += fmt::format(
        "<text x=\"4\" y=\"{:.1f}\" class=\"scale\">{:.0f}</text><text x=\"4\" y=\"{:.1f}\" "
        "class=\"scale\">{:.0f}</text>\n",
        top + 30, high, top + kStripHeight - 4, low);
    for (const vitals::VitalField* trace : traces) {
      // A gap in the numbers (no pulse, no reading) breaks the line.
      std::vector<std::string> runs(1);
      for (const v1::VitalsSample& sample : digest_.vitals) {
        if (auto value = vitals::ValueOf(sample.vitals(), *trace)) {
          runs.back() += fmt::format("{:.1f},{:.1f} ", X(sample.sim_time_s()), y(*value));
        } else if (!runs.back().empty()) {
          runs.emplace_back();
        }
      }
      for (const std::string& points : runs) {
        if (points.empty()) continue;
        out += fmt::format(
            "<polyline class=\"trace\" data-vital=\"{}\" fill=\"none\" stroke=\"{}\" "
            "stroke-width=\"2\" points=\"{}\"/>\n",
            trace->name, PrintColour(*trace), points);
      }
    }
    return out;
  }

  std::string Markers(double top, double bottom) const {
    std::string out;
    for (const v1::Event& event : digest_.events) {
      const bool drug_or_shock =
          event.has_action() && (event.action().kind() == v1::ACTION_KIND_DRUG ||
                                 event.action().kind() == v1::ACTION_KIND_DEFIBRILLATION);
      if (!drug_or_shock && event.kind() != v1::EVENT_KIND_VITALS_OVERRIDDEN) continue;
      const double x = X(event.sim_time_s());
      out += fmt::format(
          "<g class=\"event-marker\"><line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" y2=\"{2}\" "
          "class=\"event-line\"/><circle cx=\"{0:.1f}\" cy=\"{2}\" r=\"4\" "
          "class=\"event-dot\"/><title>{3} {4}</title></g>\n",
          x, top, bottom, ClockText(event.sim_time_s()), Escape(event.summary()));
    }
    for (const v1::Annotation& note : digest_.annotations) {
      const double x = X(note.sim_time_s());
      out += fmt::format(
          "<g class=\"bookmark-marker\"><line x1=\"{0:.1f}\" y1=\"{1}\" x2=\"{0:.1f}\" "
          "y2=\"{2}\" class=\"bookmark-line\"/><path d=\"M{0:.1f},{1} l10,4 l-10,4 z\" "
          "class=\"bookmark-flag\"/><title>{3} {4}</title></g>\n",
          x, top - 20, bottom, ClockText(note.sim_time_s()), Escape(note.label()));
    }
    return out;
  }

  std::string Axis(double y) const {
    std::string out =
        fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" class=\"axis\"/>\n",
                    kPlotLeft, y, kPlotLeft + kPlotWidth);
    const double step = duration_s_ <= 300 ? 30 : duration_s_ <= 1200 ? 120 : 600;
    for (double t = 0; t <= duration_s_ + 1e-9; t += step) {
      out += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"tick\">{}</text>\n", X(t) - 14,
                         y + 16, ClockText(t));
    }
    return out;
  }

  const SessionDigest& digest_;
  const double duration_s_;
};

const char* GradeClass(v1::Grade grade) {
  switch (grade) {
    case v1::GRADE_MET:
      return "met";
    case v1::GRADE_MET_LATE:
      return "late";
    case v1::GRADE_WRONG:
      return "wrong";
    case v1::GRADE_OMITTED:
      return "omitted";
    default:
      return "pending";
  }
}

std::string AssessmentSection(const v1::Assessment& assessment) {
  std::string out = "<section id=\"assessment\"><h2>Assessment</h2>\n";
  if (assessment.withheld()) {
    return out + "<p class=\"withheld\">Scores have not been released yet.</p></section>\n";
  }
  out +=
      "<table class=\"grades\"><thead><tr><th>Item</th><th>Grade</th><th>Decided</th>"
      "<th>Deadline</th><th>Why</th><th>Evidence</th></tr></thead><tbody>\n";
  for (const v1::ItemGrade& item : assessment.items()) {
    std::string evidence;
    for (const v1::Evidence& proof : item.evidence()) {
      evidence += fmt::format("<li>{} #{} {}</li>", ClockText(proof.sim_time_s()), proof.event_id(),
                              Escape(proof.summary()));
    }
    out += fmt::format(
        "<tr class=\"grade-{}\"><td>{}</td><td class=\"grade\">{}</td><td>{}</td><td>{}</td>"
        "<td>{}</td><td><ul>{}</ul></td></tr>\n",
        GradeClass(item.grade()), Escape(item.item()), text::EnumWords(item.grade()),
        item.has_decided_s() ? ClockText(item.decided_s()) : "",
        item.has_deadline_s() ? ClockText(item.deadline_s()) : "", Escape(item.reason()), evidence);
  }
  out += "</tbody></table>\n";
  if (assessment.competencies_size() > 0) {
    out +=
        "<h3>ACGME competencies</h3><table class=\"competencies\"><thead><tr><th>Competency"
        "</th><th>Items</th><th>Met</th><th>Late</th><th>Wrong</th><th>Omitted</th>"
        "<th>Pending</th></tr></thead><tbody>\n";
    for (const v1::CompetencyTotal& total : assessment.competencies()) {
      out += fmt::format(
          "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
          "</tr>\n",
          text::EnumWords(total.competency()), total.items(), total.met(), total.met_late(),
          total.wrong(), total.omitted(), total.pending());
    }
    out += "</tbody></table>\n";
  }
  if (assessment.dose_checks_size() > 0) {
    out +=
        "<h3>Doses</h3><table class=\"doses\"><thead><tr><th>Time</th><th>Drug</th>"
        "<th>Dose</th><th>Verdict</th><th>Why</th></tr></thead><tbody>\n";
    for (const v1::DoseCheck& dose : assessment.dose_checks()) {
      out +=
          fmt::format("<tr><td>{}</td><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                      ClockText(dose.sim_time_s()), Escape(dose.drug()), Escape(dose.route()),
                      dose.has_dose_mg_per_kg() ? fmt::format("{:g} mg/kg", dose.dose_mg_per_kg())
                      : dose.has_dose_mg()      ? fmt::format("{:g} mg", dose.dose_mg())
                                                : std::string(),
                      text::EnumWords(dose.verdict()), Escape(dose.reason()));
    }
    out += "</tbody></table>\n";
  }
  const v1::CprQuality& cpr = assessment.cpr();
  if (cpr.compressions() > 0 || cpr.ventilations() > 0) {
    out += fmt::format(
        "<h3>CPR quality</h3><table class=\"cpr\"><tbody>"
        "<tr><th>Compressions</th><td>{}</td></tr>"
        "<tr><th>Rate</th><td>{:.0f} /min</td></tr>"
        "<tr><th>Depth</th><td>{:.0f} mm</td></tr>"
        "<tr><th>Full recoil</th><td>{:.0f} %</td></tr>"
        "<tr><th>Compression fraction</th><td>{:.0f} %</td></tr>"
        "<tr><th>Longest pause</th><td>{:.1f} s</td></tr>"
        "<tr><th>Ventilations</th><td>{} ({:.0f} /min)</td></tr>"
        "<tr><th>Off target</th><td>{}</td></tr></tbody></table>\n",
        cpr.compressions(), cpr.compression_rate_per_min(), cpr.compression_depth_mm(),
        100 * cpr.full_recoil_fraction(), 100 * cpr.compression_fraction(), cpr.longest_pause_s(),
        cpr.ventilations(), cpr.ventilation_rate_per_min(),
        Escape(fmt::format("{}", fmt::join(cpr.off_target(), ", "))));
  }
  return out + "</section>\n";
}

// "HR 232 at 11:40 ← epinephrine 1.2 mg IM (ten times the usual dose ...)
// at 03:10": for each modelled dose, the most it moved each vital and the
// value then, from the recorded drug levels. Empty for learners' digests,
// which hold neither the drug-effect events nor the levels.
std::string DrugEffectsSection(const SessionDigest& digest) {
  struct Extreme {
    double change = 0;
    double value = 0;
    double sim_time_s = 0;
  };
  std::map<uint64_t, const v1::Event*> doses;
  for (const v1::Event& event : digest.events) {
    if (event.kind() == v1::EVENT_KIND_DRUG_EFFECT && event.drug_effect().toxicity().empty()) {
      doses[event.id()] = &event;
    }
  }
  if (doses.empty()) return "";
  // Per dose, per Vitals field index: the largest change it made.
  std::map<uint64_t, std::map<int, Extreme>> extremes;
  for (const v1::VitalsSample& sample : digest.vitals) {
    for (const v1::DrugLevel& level : sample.drug_levels()) {
      if (!doses.contains(level.cause_event_id())) continue;
      for (int i = 0; i < vitals::kVitalFieldCount; ++i) {
        const vitals::VitalField& field = vitals::VitalFields()[i];
        if (!(level.changes().*field.has)() || !(sample.vitals().*field.has)()) continue;
        const double change = (level.changes().*field.get)();
        Extreme& extreme = extremes[level.cause_event_id()][i];
        if (std::abs(change) <= std::abs(extreme.change)) continue;
        extreme = {change, (sample.vitals().*field.get)(), sample.sim_time_s()};
      }
    }
  }
  std::string out =
      "<section id=\"drug-effects\"><h2>Drug effects</h2><table><thead><tr><th>Given</th>"
      "<th>Dose</th><th>Most it moved each vital (the reading then)</th></tr></thead><tbody>\n";
  for (const auto& [id, event] : doses) {
    std::string moved;
    for (const auto& [index, extreme] : extremes[id]) {
      if (std::abs(extreme.change) < 0.5) continue;
      const vitals::VitalField& field = vitals::VitalFields()[index];
      moved += fmt::format("{}{} {:+.0f} ({} {} at {})", moved.empty() ? "" : "; ", field.label,
                           extreme.change, vitals::FormatValue(field, extreme.value), field.unit,
                           ClockText(extreme.sim_time_s));
    }
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       ClockText(event->sim_time_s()), Escape(event->summary()),
                       moved.empty() ? "no measurable change" : Escape(moved));
  }
  return out + "</tbody></table></section>\n";
}

std::string PatientLine(const v1::Patient& patient) {
  std::string age = patient.age_years() > 0    ? fmt::format("{} years", patient.age_years())
                    : patient.age_months() > 0 ? fmt::format("{} months", patient.age_months())
                                               : fmt::format("{} days", patient.age_days());
  std::string weight = patient.has_weight_kg()
                           ? fmt::format(", {:g} kg{}", patient.weight_kg(),
                                         patient.weight_estimated() ? " (estimated)" : "")
                           : "";
  return Escape(patient.name()) + ", " + age + weight;
}

constexpr const char* kStyle = R"(
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px;color:#111;max-width:1000px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;border-bottom:1px solid #999;margin-top:28px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}
.facts td{border:none;padding:1px 8px 1px 0}.grade-met .grade{color:#138a36;font-weight:bold}
.grade-late .grade{color:#b26a00;font-weight:bold}.grade-wrong .grade,.grade-omitted .grade{color:#c62828;font-weight:bold}
ul{margin:0;padding-left:16px}.grid,.axis{stroke:#bbb}.strip-label{font-size:13px;font-weight:bold}
.scale,.tick,.band-label{font-size:11px;fill:#444}.event-line{stroke:#6a1b9a;stroke-dasharray:3 3}
.event-dot{fill:#6a1b9a}.bookmark-line{stroke:#1565c0}.bookmark-flag{fill:#1565c0}
.interrupted{color:#c62828;font-weight:bold}
@media print{body{margin:0}section{page-break-inside:avoid}}
)";

}  // namespace

std::string RenderHtmlReport(const SessionDigest& digest) {
  const v1::RecordHeader& header = digest.header;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  out += "<title>Debrief: " + Escape(header.scenario().title()) + " (" +
         Escape(header.session_id()) + ")</title><style>" + kStyle + "</style></head><body>\n";
  out += "<h1>" + Escape(header.scenario().title()) + "</h1>\n<table class=\"facts\">";
  auto fact = [&out](const std::string& name, const std::string& value) {
    out += "<tr><td>" + name + "</td><td>" + value + "</td></tr>";
  };
  fact("Session", Escape(header.session_id()));
  fact("Date", Escape(google::protobuf::util::TimeUtil::ToString(header.created_at())));
  fact("Patient", PatientLine(header.patient()));
  std::string team;
  for (const v1::Participant& person : header.participants()) {
    team += (team.empty() ? "" : ", ") + Escape(person.name()) +
            (person.role().empty() ? "" : " (" + Escape(person.role()) + ")");
  }
  fact("Team", team.empty() ? "not recorded" : team);
  fact("Duration", ClockText(digest.duration_s) + " simulated");
  const std::string outcome = digest.states.empty() ? "" : digest.states.back().state;
  fact("Outcome",
       digest.ended ? Escape(outcome)
                    : "<span class=\"interrupted\">interrupted in " + Escape(outcome) + "</span>");
  fact("Guidelines", Escape(header.guideline_set()));
  if (header.has_origin()) {
    fact("Forked from",
         fmt::format("{} at bookmark '{}' ({})", Escape(header.origin().session_id()),
                     Escape(header.origin().bookmark_label()),
                     ClockText(header.origin().sim_time_s())));
  }
  out += "</table>\n<section id=\"vitals\"><h2>Vital signs</h2>\n" + PlotWriter(digest).Render() +
         "</section>\n";
  out += DrugEffectsSection(digest);
  if (digest.assessment) out += AssessmentSection(*digest.assessment);
  if (!digest.annotations.empty()) {
    out += "<section id=\"annotations\"><h2>Bookmarks and notes</h2><table><tbody>\n";
    for (const v1::Annotation& note : digest.annotations) {
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                         ClockText(note.sim_time_s()), Escape(note.category()),
                         Escape(note.label()), Escape(note.comment()), Escape(note.author()));
    }
    out += "</tbody></table></section>\n";
  }
  out +=
      "<section id=\"events\"><h2>Timeline</h2><table><thead><tr><th>Time</th><th>Who</th>"
      "<th>What</th></tr></thead><tbody>\n";
  for (const v1::Event& event : digest.events) {
    // Compressions and breaths are counted in CPR quality, not listed.
    if (event.has_action() && (event.action().kind() == v1::ACTION_KIND_CHEST_COMPRESSION ||
                               event.action().kind() == v1::ACTION_KIND_VENTILATION)) {
      continue;
    }
    out +=
        fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", ClockText(event.sim_time_s()),
                    text::EnumWords(event.agent()), Escape(event.summary()));
  }
  out += "</tbody></table></section>\n</body></html>\n";
  return out;
}

}  // namespace pedisim::recording
