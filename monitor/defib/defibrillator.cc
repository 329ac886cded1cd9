#include "monitor/defib/defibrillator.h"

#include <algorithm>

namespace pedisim::monitor {

const std::vector<int>& Defibrillator::Energies() {
  static const std::vector<int> kEnergies = {1,  2,  3,  4,  5,  6,   7,   8,   9,  10,
                                             15, 20, 30, 50, 70, 100, 120, 150, 200};
  return kEnergies;
}

double Defibrillator::ChargeTimeS(int energy_j) {
  return 3.0 + 4.0 * std::clamp((energy_j - 50) / 150.0, 0.0, 1.0) -
         (energy_j < 50 ? 1.0 * (50 - energy_j) / 50 : 0);
}

int Defibrillator::AedEnergyJ(v1::DefibrillatorPads pads) {
  return pads == v1::DEFIBRILLATOR_PADS_INFANT ? 50 : 150;
}

bool Shockable(v1::Rhythm rhythm) {
  return rhythm == v1::RHYTHM_VENTRICULAR_FIBRILLATION ||
         rhythm == v1::RHYTHM_VENTRICULAR_TACHYCARDIA || rhythm == v1::RHYTHM_TORSADES;
}

std::optional<v1::LearnerAction> Defibrillator::PutPadsOn(v1::DefibrillatorPads pads) {
  if (pads == v1::DEFIBRILLATOR_PADS_UNSPECIFIED || pads == pads_) return std::nullopt;
  pads_ = pads;
  state_ = State::kIdle;
  sync_armed_ = false;
  if (mode_ == v1::DEFIBRILLATOR_MODE_AED) prompt_ = "Press Analyze. Do not touch the patient";
  v1::LearnerAction action;
  action.set_kind(v1::ACTION_KIND_DEFIBRILLATOR_PADS_ON);
  action.set_pads(pads);
  return action;
}

void Defibrillator::SelectEnergy(int energy_j) {
  if (mode_ == v1::DEFIBRILLATOR_MODE_AED || energy_j == energy_j_) return;
  energy_j_ = energy_j;
  if (state_ == State::kCharging || state_ == State::kCharged) {
    state_ = State::kIdle;
    sync_armed_ = false;
  }
}

void Defibrillator::SetMode(v1::DefibrillatorMode mode) {
  if (mode == mode_) return;
  mode_ = mode;
  state_ = State::kIdle;
  sync_armed_ = false;
  shock_advised_.reset();
  prompt_ = mode == v1::DEFIBRILLATOR_MODE_AED ? (pads_ == v1::DEFIBRILLATOR_PADS_UNSPECIFIED
                                                      ? "Attach pads to the patient's chest"
                                                      : "Press Analyze. Do not touch the patient")
                                               : "";
  if (mode == v1::DEFIBRILLATOR_MODE_AED) energy_j_ = AedEnergyJ(pads_);
}

std::optional<v1::LearnerAction> Defibrillator::Charge(double now_s) {
  if (pads_ == v1::DEFIBRILLATOR_PADS_UNSPECIFIED) return std::nullopt;
  if (state_ == State::kCharging || state_ == State::kAnalyzing) return std::nullopt;
  if (mode_ == v1::DEFIBRILLATOR_MODE_AED && shock_advised_ != true) return std::nullopt;
  state_ = State::kCharging;
  charge_started_s_ = now_s;
  v1::LearnerAction action;
  action.set_kind(v1::ACTION_KIND_DEFIBRILLATOR_CHARGED);
  action.set_energy_j(energy_j_);
  action.set_pads(pads_);
  action.set_defibrillator_mode(mode_);
  return action;
}

v1::LearnerAction Defibrillator::ShockAction() {
  v1::LearnerAction action;
  action.set_kind(mode_ == v1::DEFIBRILLATOR_MODE_SYNCHRONIZED
                      ? v1::ACTION_KIND_SYNCHRONIZED_CARDIOVERSION
                      : v1::ACTION_KIND_DEFIBRILLATION);
  action.set_energy_j(energy_j_);
  action.set_pads(pads_);
  action.set_defibrillator_mode(mode_);
  state_ = State::kIdle;
  sync_armed_ = false;
  ++shocks_;
  if (mode_ == v1::DEFIBRILLATOR_MODE_AED) {
    prompt_ = "Shock delivered. Begin CPR";
    shock_advised_.reset();
  }
  return action;
}

std::optional<v1::LearnerAction> Defibrillator::PressShock(double) {
  if (state_ != State::kCharged) return std::nullopt;
  if (mode_ == v1::DEFIBRILLATOR_MODE_SYNCHRONIZED) {
    sync_armed_ = true;
    return std::nullopt;
  }
  return ShockAction();
}

bool Defibrillator::Analyze(double now_s) {
  if (mode_ != v1::DEFIBRILLATOR_MODE_AED || pads_ == v1::DEFIBRILLATOR_PADS_UNSPECIFIED ||
      state_ == State::kAnalyzing || state_ == State::kCharging) {
    return false;
  }
  state_ = State::kAnalyzing;
  analysis_started_s_ = now_s;
  shock_advised_.reset();
  prompt_ = "Analyzing rhythm. Do not touch the patient";
  return true;
}

double Defibrillator::ChargeProgress(double now_s) const {
  if (state_ == State::kCharged) return 1;
  if (state_ != State::kCharging) return 0;
  return std::clamp((now_s - charge_started_s_) / ChargeTimeS(energy_j_), 0.0, 1.0);
}

std::optional<v1::LearnerAction> Defibrillator::Update(double now_s, bool r_wave,
                                                       std::optional<v1::Rhythm> rhythm) {
  switch (state_) {
    case State::kCharging:
      if (now_s - charge_started_s_ >= ChargeTimeS(energy_j_)) {
        state_ = State::kCharged;
        charged_at_s_ = now_s;
        if (mode_ == v1::DEFIBRILLATOR_MODE_AED) prompt_ = "Stand clear. Push the shock button";
      }
      return std::nullopt;
    case State::kCharged:
      if (now_s - charged_at_s_ >= kDisarmAfterS) {
        state_ = State::kIdle;
        sync_armed_ = false;
        if (mode_ == v1::DEFIBRILLATOR_MODE_AED) prompt_ = "Shock cancelled. Begin CPR";
        return std::nullopt;
      }
      if (sync_armed_ && r_wave) return ShockAction();
      return std::nullopt;
    case State::kAnalyzing:
      if (now_s - analysis_started_s_ < kAnalysisS) return std::nullopt;
      state_ = State::kIdle;
      shock_advised_ = rhythm && Shockable(*rhythm);
      if (*shock_advised_) {
        prompt_ = "Shock advised. Charging. Stand clear";
        energy_j_ = AedEnergyJ(pads_);
        return Charge(now_s);
      }
      prompt_ = "No shock advised. Begin CPR";
      return std::nullopt;
    case State::kIdle:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace pedisim::monitor
