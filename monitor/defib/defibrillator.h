#pragma once

// The defibrillator's workflow, pure logic (docs/monitor.md, reference
// monitor.md §7): pads on (infant or child/adult), manual mode with an
// energy in joules, charge, shock; synchronised mode, where the shock waits
// for the next R wave; AED mode, which analyses the rhythm and advises a
// shock or not with prompts. Every step the learners take is returned as a
// learner action for the session; the controller checks the energy per kg.

#include <optional>
#include <string>
#include <vector>

#include "pedisim/v1/actions.pb.h"
#include "pedisim/v1/vitals.pb.h"

namespace pedisim::monitor {

class Defibrillator {
 public:
  enum class State { kIdle, kCharging, kCharged, kAnalyzing };

  // Manual energies [model: no vendor list was found]: 1-10 J by 1, then
  // 15, 20, 30, 50, 70, 100, 120, 150, 200 J (ZOLL X Series' maximum).
  static const std::vector<int>& Energies();
  // [model, reference §7a]: about 3 s to 50 J, 7 s to 200 J.
  static double ChargeTimeS(int energy_j);
  // A charge not shocked within 60 s is dumped (ZOLL X, LIFEPAK 15).
  static constexpr double kDisarmAfterS = 60;
  // [model, reference §7d: not found as a number] rhythm analysis time.
  static constexpr double kAnalysisS = 8;
  // AED energies: pediatric pads 50 J (ZOLL OneStep Pediatric); child/adult
  // pads 150 J [model: a common biphasic first dose].
  static int AedEnergyJ(v1::DefibrillatorPads pads);

  // Learner actions, each returns what to report (none when refused).
  std::optional<v1::LearnerAction> PutPadsOn(v1::DefibrillatorPads pads);
  // Changing the energy after charging dumps the charge (LIFEPAK).
  void SelectEnergy(int energy_j);
  void SetMode(v1::DefibrillatorMode mode);
  std::optional<v1::LearnerAction> Charge(double now_s);
  // Manual: shocks at once when charged. Synchronised: arms, and the shock
  // comes with the next R wave (Update). AED: shocks when advised and charged.
  std::optional<v1::LearnerAction> PressShock(double now_s);
  // AED: starts an analysis of the rhythm.
  bool Analyze(double now_s);

  // Advances to `now_s`. `r_wave` = an R wave was detected since the last
  // call; `rhythm` = the patient's rhythm now (for the AED). Returns a shock
  // delivered now (a synchronised one), or a charge the AED started.
  std::optional<v1::LearnerAction> Update(double now_s, bool r_wave,
                                          std::optional<v1::Rhythm> rhythm);

  State state() const { return state_; }
  v1::DefibrillatorPads pads() const { return pads_; }
  v1::DefibrillatorMode mode() const { return mode_; }
  int energy_j() const { return energy_j_; }
  bool sync_armed() const { return sync_armed_; }
  // 0..1 while charging.
  double ChargeProgress(double now_s) const;
  int shocks() const { return shocks_; }
  // The AED's prompt for the learners (on screen, and spoken where the
  // machine can speak), and its advice once analysed.
  const std::string& prompt() const { return prompt_; }
  std::optional<bool> shock_advised() const { return shock_advised_; }

 private:
  v1::LearnerAction ShockAction();

  State state_ = State::kIdle;
  v1::DefibrillatorPads pads_ = v1::DEFIBRILLATOR_PADS_UNSPECIFIED;
  v1::DefibrillatorMode mode_ = v1::DEFIBRILLATOR_MODE_MANUAL;
  int energy_j_ = 10;
  double charge_started_s_ = 0;
  double charged_at_s_ = 0;
  double analysis_started_s_ = 0;
  bool sync_armed_ = false;
  int shocks_ = 0;
  std::string prompt_;
  std::optional<bool> shock_advised_;
};

// Whether an AED advises a shock for `rhythm`: VF and (pulseless) VT,
// torsades included (reference §7d).
bool Shockable(v1::Rhythm rhythm);

}  // namespace pedisim::monitor
