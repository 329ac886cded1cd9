#include "controller/waveforms/ecg_morphology.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace pedisim::waveforms {
namespace {

constexpr double kPWaveHalfWidthS = 0.04;
constexpr double kPWaveAmplitudeMv = 0.15;

// A QRS complex with its waves centered relative to QRS onset (Bump fields:
// center, rise and fall half-widths, mV). Every wave starts at or after the
// onset, so a complex never reaches back before the time it is scheduled for.
struct ComplexShape {
  // Unused trailing entries have zero amplitude.
  std::array<Bump, 3> qrs_waves;
  double duration_s;
  double t_mv;
  // The shortest ST segment plus T wave, which matters for wide complexes
  // whose Bazett QT would otherwise leave no room for a T wave.
  double min_st_t_s;
};

const ComplexShape& ShapeOf(QrsShape shape) {
  // Small septal Q, tall R, modest S.
  static constexpr ComplexShape kNarrowShape{.qrs_waves = {{{0.012, 0.012, 0.012, -0.10},
                                                            {0.032, 0.020, 0.020, 1.30},
                                                            {0.056, 0.014, 0.014, -0.30}}},
                                             .duration_s = 0.070,
                                             .t_mv = 0.30,
                                             .min_st_t_s = 0.12};
  // No Q wave: an escape focus below the block depolarizes the septum late.
  static constexpr ComplexShape kEscapeShape{
      .qrs_waves = {{{0.050, 0.045, 0.040, 1.00}, {0.095, 0.025, 0.025, -0.25}}},
      .duration_s = 0.120,
      .t_mv = 0.25,
      .min_st_t_s = 0.14};
  // Slow cell-to-cell spread: broad R, deep S, discordant T.
  static constexpr ComplexShape kVentricularShape{
      .qrs_waves = {{{0.070, 0.070, 0.050, 1.60}, {0.135, 0.035, 0.035, -0.50}}},
      .duration_s = 0.170,
      .t_mv = -0.45,
      .min_st_t_s = 0.14};
  switch (shape) {
    case QrsShape::kNarrow:
      return kNarrowShape;
    case QrsShape::kEscape:
      return kEscapeShape;
    case QrsShape::kVentricular:
      return kVentricularShape;
  }
  return kNarrowShape;
}

}  // namespace

double SinusPrInterval(double rr_s) { return std::clamp(0.08 + 0.08 * rr_s, 0.09, 0.16); }

double QtInterval(double rr_s) { return std::clamp(0.40 * std::sqrt(rr_s), 0.20, 0.45); }

double RPeakOffset(QrsShape shape) {
  // The R wave is the tallest positive wave of each complex.
  const std::array<Bump, 3>& waves = ShapeOf(shape).qrs_waves;
  return std::max_element(waves.begin(), waves.end(),
                          [](const Bump& a, const Bump& b) { return a.amplitude < b.amplitude; })
      ->center_s;
}

void AppendPWave(double onset_s, std::vector<Bump>* waves) {
  waves->push_back(SymmetricBump(onset_s + kPWaveHalfWidthS, kPWaveHalfWidthS, kPWaveAmplitudeMv));
}

void AppendVentricularComplex(double qrs_onset_s, double rr_s, QrsShape shape, double scale,
                              std::vector<Bump>* waves) {
  const ComplexShape& c = ShapeOf(shape);
  for (const Bump& wave : c.qrs_waves) {
    if (wave.amplitude == 0.0) continue;
    waves->push_back(
        Bump{qrs_onset_s + wave.center_s, wave.rise_s, wave.fall_s, scale * wave.amplitude});
  }

  // The T wave fills the end of the QT interval after a short ST segment; it
  // rises slower than it falls, as repolarization does.
  const double st_t_s = std::max(QtInterval(rr_s) - c.duration_s, c.min_st_t_s);
  const double t_rise_s = 0.55 * st_t_s;
  const double t_fall_s = 0.35 * st_t_s;
  const double t_center_s = qrs_onset_s + c.duration_s + st_t_s - t_fall_s;
  waves->push_back(Bump{t_center_s, t_rise_s, t_fall_s, scale * c.t_mv});
}

}  // namespace pedisim::waveforms
