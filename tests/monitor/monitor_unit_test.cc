// The monitor's pure logic: alarm rules and silencing, the IEC burst
// patterns and pulse tone as synthesised samples, NIBP measurements and
// pulse detection, the layouts of 2 to 6 waveform rows.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <numbers>
#include <vector>

#include "monitor/alarms/alarm_rules.h"
#include "monitor/alarms/alarm_silencer.h"
#include "monitor/app/monitor_layout.h"
#include "monitor/audio/prompt_speaker.h"
#include "monitor/audio/tone_synth.h"
#include "monitor/defib/defibrillator.h"
#include "monitor/model/nibp_measurement.h"
#include "monitor/model/pulse_detector.h"

namespace pedisim::monitor {
namespace {

google::protobuf::RepeatedPtrField<v1::VitalRange> Limits() {
  google::protobuf::RepeatedPtrField<v1::VitalRange> limits;
  auto add = [&](const char* vital, double low, double high) {
    v1::VitalRange* range = limits.Add();
    range->set_vital(vital);
    range->set_low(low);
    range->set_high(high);
  };
  add("heart_rate_bpm", 75, 160);
  add("spo2_pct", 90, 100);
  add("respiratory_rate_bpm", 14, 36);
  return limits;
}

TEST(AlarmRules, ALimitCrossedAlarmsOnlyWhileItsSensorIsAttached) {
  v1::Vitals vitals;
  vitals.set_heart_rate_bpm(182);
  vitals.set_spo2_pct(97);
  vitals.set_respiratory_rate_bpm(40);
  EXPECT_TRUE(EvaluateAlarms(vitals, Limits(), {}, {}).empty());
  const std::vector<Alarm> alarms =
      EvaluateAlarms(vitals, Limits(), {v1::MONITOR_SENSOR_ECG_LEADS}, {});
  ASSERT_EQ(alarms.size(), 2u);
  EXPECT_EQ(alarms[0].id, "HR HIGH");
  EXPECT_EQ(alarms[0].text, "***HR 182>160");
  EXPECT_EQ(alarms[0].priority, AlarmPriority::kHigh);
  EXPECT_EQ(alarms[1].id, "RR HIGH");
  EXPECT_EQ(alarms[1].priority, AlarmPriority::kMedium);
  EXPECT_EQ(alarms[1].text, "**RR 40>36");
}

TEST(AlarmRules, AProbeThatCameOffIsALowPriorityTechnicalAlarm) {
  v1::Vitals vitals;
  vitals.set_heart_rate_bpm(110);
  const std::vector<Alarm> alarms = EvaluateAlarms(vitals, Limits(), {v1::MONITOR_SENSOR_ECG_LEADS},
                                                   {v1::MONITOR_SENSOR_SPO2_PROBE});
  ASSERT_EQ(alarms.size(), 1u);
  EXPECT_EQ(alarms[0].text, "*SpO2 PROBE OFF");
  EXPECT_TRUE(alarms[0].technical);
  EXPECT_EQ(alarms[0].priority, AlarmPriority::kLow);
}

TEST(AlarmRules, ALethalRhythmIsHighPriority) {
  v1::Vitals vitals;
  vitals.set_rhythm(v1::RHYTHM_VENTRICULAR_FIBRILLATION);
  const std::vector<Alarm> alarms =
      EvaluateAlarms(vitals, Limits(), {v1::MONITOR_SENSOR_ECG_LEADS}, {});
  ASSERT_EQ(alarms.size(), 1u);
  EXPECT_EQ(alarms[0].text, "***VFIB");
}

std::vector<Alarm> HighAndMedium() {
  return {{.id = "HR HIGH",
           .text = "***HR",
           .priority = AlarmPriority::kHigh,
           .field = "heart_rate_bpm",
           .technical = false},
          {.id = "RR HIGH",
           .text = "**RR",
           .priority = AlarmPriority::kMedium,
           .field = "respiratory_rate_bpm",
           .technical = false}};
}

TEST(AlarmSilencer, AcknowledgeSilencesWhatSoundsAndANewAlarmSoundsAgain) {
  AlarmSilencer silencer;
  silencer.Update({HighAndMedium()[1]}, 0);
  EXPECT_EQ(silencer.Sounding(0), AlarmPriority::kMedium);
  EXPECT_EQ(silencer.Acknowledge(), "RR HIGH");
  EXPECT_EQ(silencer.Sounding(1), std::nullopt);
  silencer.Update(HighAndMedium(), 2);
  EXPECT_EQ(silencer.Sounding(2), AlarmPriority::kHigh);
  // Once the condition ends, its acknowledgement goes with it.
  silencer.Update({}, 3);
  silencer.Update({HighAndMedium()[1]}, 4);
  EXPECT_EQ(silencer.Sounding(4), AlarmPriority::kMedium);
}

TEST(AlarmSilencer, AudioPauseLastsTwoMinutesAndAHigherPriorityBreaksThrough) {
  AlarmSilencer silencer;
  silencer.Update({HighAndMedium()[1]}, 10);
  EXPECT_EQ(silencer.ToggleAudioPause(10), "RR HIGH");
  EXPECT_TRUE(silencer.AudioPaused(10));
  EXPECT_DOUBLE_EQ(silencer.PauseLeftS(70), 60);
  EXPECT_EQ(silencer.Sounding(20), std::nullopt);
  silencer.Update(HighAndMedium(), 30);
  EXPECT_EQ(silencer.Sounding(30), AlarmPriority::kHigh);
  silencer.Update({HighAndMedium()[1]}, 130);
  EXPECT_FALSE(silencer.AudioPaused(130));
  EXPECT_EQ(silencer.Sounding(130), AlarmPriority::kMedium);
}

// Pulses in `samples`: [start, end) sample indexes of the runs louder than
// a tenth of full scale, runs closer than 10 ms merged.
std::vector<std::pair<int, int>> FindPulses(const std::vector<int16_t>& samples, int rate) {
  std::vector<std::pair<int, int>> pulses;
  const int merge = rate / 100;
  int last_loud = -merge - 1;
  for (int i = 0; i < static_cast<int>(samples.size()); ++i) {
    if (std::abs(samples[static_cast<size_t>(i)]) < 3000) continue;
    if (i - last_loud > merge) {
      pulses.push_back({i, i + 1});
    } else {
      pulses.back().second = i + 1;
    }
    last_loud = i;
  }
  return pulses;
}

TEST(ToneSynth, HighPriorityBurstIsTenPulsesThreePlusTwoPauseThreePlusTwo) {
  constexpr int kRate = 48000;
  ToneSynth synth(kRate);
  synth.SetVolume(1);
  synth.SetAlarm(AlarmPriority::kHigh);
  std::vector<int16_t> samples(static_cast<size_t>(kRate * 4));
  synth.Render(samples.data(), static_cast<int>(samples.size()));
  const std::vector<std::pair<int, int>> pulses = FindPulses(samples, kRate);
  ASSERT_EQ(pulses.size(), 10u);
  std::vector<double> gaps_ms;
  for (size_t i = 0; i < pulses.size(); ++i) {
    const double duration_ms = 1000.0 * (pulses[i].second - pulses[i].first) / kRate;
    // 150 ms, less the quiet ends of the 15 % ramps.
    EXPECT_GT(duration_ms, 110);
    EXPECT_LT(duration_ms, 155);
    if (i > 0) gaps_ms.push_back(1000.0 * (pulses[i].first - pulses[i - 1].first) / kRate);
  }
  // Starts 250 ms apart within a group, 400 ms between the 3 and the 2,
  // 850 ms between the halves.
  EXPECT_NEAR(gaps_ms[0], 250, 5);
  EXPECT_NEAR(gaps_ms[2], 400, 5);
  EXPECT_NEAR(gaps_ms[4], 850, 5);
  EXPECT_NEAR(gaps_ms[7], 400, 5);
}

TEST(ToneSynth, NoBurstOnceTheAlarmIsCleared) {
  constexpr int kRate = 48000;
  ToneSynth synth(kRate);
  synth.SetAlarm(AlarmPriority::kMedium);
  std::vector<int16_t> samples(kRate / 10);
  synth.Render(samples.data(), static_cast<int>(samples.size()));
  EXPECT_EQ(FindPulses(samples, kRate).size(), 1u);
  synth.SetAlarm(std::nullopt);
  std::vector<int16_t> after(static_cast<size_t>(kRate * 20));
  synth.Render(after.data(), static_cast<int>(after.size()));
  EXPECT_TRUE(FindPulses(after, kRate).empty());
}

TEST(ToneSynth, PulseTonePitchFallsWithSaturation) {
  EXPECT_DOUBLE_EQ(PulseToneHz(100), 662);
  EXPECT_DOUBLE_EQ(PulseToneHz(0), 163);
  EXPECT_GT(PulseToneHz(98), PulseToneHz(90));
  EXPECT_GT(PulseToneHz(90), PulseToneHz(80));
}

// The pitch of samples [from, to) by their rising zero crossings.
double PitchHz(const std::vector<int16_t>& samples, int rate, size_t from, size_t to) {
  int crossings = 0;
  size_t first = 0;
  size_t last = 0;
  for (size_t i = from + 1; i < to; ++i) {
    if (samples[i - 1] < 0 && samples[i] >= 0) {
      if (crossings == 0) first = i;
      last = i;
      ++crossings;
    }
  }
  if (crossings < 2) return 0;
  return (crossings - 1) / (static_cast<double>(last - first) / rate);
}

TEST(ToneSynth, TheChargeToneRisesWhileChargingThenHoldsUntilStopped) {
  const int rate = 48000;
  ToneSynth synth(rate);
  synth.StartChargeTone(2.0);
  std::vector<int16_t> samples(static_cast<size_t>(rate * 3));
  // In audio-callback-sized pieces, as SDL asks for them.
  for (size_t at = 0; at < samples.size(); at += 1024) {
    synth.Render(samples.data() + at,
                 static_cast<int>(std::min<size_t>(1024, samples.size() - at)));
  }
  const auto at = [&](double from_s, double to_s) {
    return PitchHz(samples, rate, static_cast<size_t>(from_s * rate),
                   static_cast<size_t>(to_s * rate));
  };
  const double start = at(0, 0.2);
  const double middle = at(0.9, 1.1);
  const double charged = at(2.2, 3.0);
  std::cout << "charge tone: " << start << " Hz, " << middle << " Hz mid-charge, " << charged
            << " Hz charged\n";
  EXPECT_NEAR(start, kChargeToneLowHz + (kChargeToneHighHz - kChargeToneLowHz) * 0.05, 15);
  EXPECT_NEAR(middle, (kChargeToneLowHz + kChargeToneHighHz) / 2, 15);
  EXPECT_NEAR(charged, kChargeToneHighHz, 5);
  synth.StopChargeTone();
  std::vector<int16_t> after(static_cast<size_t>(rate));
  synth.Render(after.data(), static_cast<int>(after.size()));
  EXPECT_TRUE(FindPulses(after, rate).empty()) << "silent after the shock";
}

TEST(ToneSynth, TheMetronomeClicksAtItsRateUntilStopped) {
  const int rate = 48000;
  ToneSynth synth(rate);
  synth.SetMetronome(110);
  std::vector<int16_t> samples(static_cast<size_t>(rate * 6));
  // In audio-callback-sized pieces, as SDL asks for them.
  for (size_t at = 0; at < samples.size(); at += 1024) {
    synth.Render(samples.data() + at,
                 static_cast<int>(std::min<size_t>(1024, samples.size() - at)));
  }
  const std::vector<std::pair<int, int>> clicks = FindPulses(samples, rate);
  ASSERT_EQ(clicks.size(), 11u);  // 0, 0.545, ... 5.45 s
  const double per_minute =
      60.0 * static_cast<double>(clicks.size() - 1) /
      (static_cast<double>(clicks.back().first - clicks.front().first) / rate);
  std::cout << "metronome: " << per_minute << " a minute\n";
  EXPECT_NEAR(per_minute, 110, 0.5);
  for (const auto& [start, end] : clicks) {
    EXPECT_NEAR(static_cast<double>(end - start) / rate, kMetronomeClickS, 0.01);
  }
  synth.SetMetronome(std::nullopt);
  std::vector<int16_t> after(static_cast<size_t>(rate * 2));
  synth.Render(after.data(), static_cast<int>(after.size()));
  EXPECT_TRUE(FindPulses(after, rate).empty());
}

TEST(NibpMeasurement, TheReadingIsThePatientsAtTheEndAndIsHeld) {
  NibpMeasurement nibp;
  EXPECT_FALSE(nibp.reading());
  ASSERT_TRUE(nibp.Start(0, 0.5));
  v1::Vitals early;
  early.set_nibp_systolic_mmhg(80);
  early.set_nibp_diastolic_mmhg(50);
  EXPECT_EQ(nibp.Update(10, &early, 0.5), NibpMeasurement::Step::kNothing);
  EXPECT_GT(nibp.CuffPressureMmhg(2), 0);
  v1::Vitals late;
  late.set_nibp_systolic_mmhg(72);
  late.set_nibp_diastolic_mmhg(40);
  late.set_nibp_mean_mmhg(51);
  EXPECT_EQ(nibp.Update(NibpMeasurement::DurationS(0.5), &late, 0.5),
            NibpMeasurement::Step::kFinished);
  ASSERT_TRUE(nibp.reading());
  EXPECT_EQ(nibp.reading()->systolic_mmhg, 72);
  EXPECT_EQ(nibp.reading()->mean_mmhg, 51);
  EXPECT_EQ(nibp.reading()->taken_at_s, NibpMeasurement::DurationS(0.5));
  EXPECT_EQ(nibp.Update(100, &early, 0.5), NibpMeasurement::Step::kNothing);
  EXPECT_EQ(nibp.reading()->systolic_mmhg, 72);
}

TEST(NibpMeasurement, AnIntervalStartsMeasurementsByItself) {
  NibpMeasurement nibp;
  nibp.SetIntervalS(300, 0);
  EXPECT_EQ(nibp.Update(299, nullptr, 5), NibpMeasurement::Step::kNothing);
  EXPECT_EQ(nibp.Update(300, nullptr, 5), NibpMeasurement::Step::kAutoStarted);
  EXPECT_TRUE(nibp.measuring());
  EXPECT_EQ(nibp.NextInS(300), 300);
}

TEST(PulseDetector, OnePulsePerBeatAndNoneOnAFlatLine) {
  PulseDetector detector;
  constexpr double kRateHz = 125;
  std::vector<float> pleth;
  // 10 s at 120 beats a minute.
  for (int i = 0; i < 10 * 125; ++i) {
    const double t = i / kRateHz;
    pleth.push_back(static_cast<float>(0.5 + 0.45 * std::sin(2 * std::numbers::pi * 2 * t)));
  }
  const int found = detector.Feed(pleth);
  EXPECT_GE(found, 19);
  EXPECT_LE(found, 20);
  std::vector<float> flat(1000, 0.5f);
  EXPECT_EQ(detector.Feed(flat), 0);
}

TEST(Defibrillator, ManualChargeThenShockReportsEnergyModeAndPads) {
  Defibrillator defib;
  EXPECT_FALSE(defib.Charge(0)) << "no pads";
  const std::optional<v1::LearnerAction> pads = defib.PutPadsOn(v1::DEFIBRILLATOR_PADS_INFANT);
  ASSERT_TRUE(pads);
  EXPECT_EQ(pads->kind(), v1::ACTION_KIND_DEFIBRILLATOR_PADS_ON);
  defib.SelectEnergy(20);
  ASSERT_TRUE(defib.Charge(0));
  EXPECT_FALSE(defib.PressShock(1)) << "still charging";
  EXPECT_FALSE(defib.Update(Defibrillator::ChargeTimeS(20), false, std::nullopt));
  EXPECT_EQ(defib.state(), Defibrillator::State::kCharged);
  const std::optional<v1::LearnerAction> shock = defib.PressShock(5);
  ASSERT_TRUE(shock);
  EXPECT_EQ(shock->kind(), v1::ACTION_KIND_DEFIBRILLATION);
  EXPECT_DOUBLE_EQ(shock->energy_j(), 20);
  EXPECT_EQ(shock->pads(), v1::DEFIBRILLATOR_PADS_INFANT);
  EXPECT_EQ(shock->defibrillator_mode(), v1::DEFIBRILLATOR_MODE_MANUAL);
  EXPECT_EQ(defib.state(), Defibrillator::State::kIdle);
}

TEST(Defibrillator, AChangedEnergyOrSixtySecondsDumpTheCharge) {
  Defibrillator defib;
  defib.PutPadsOn(v1::DEFIBRILLATOR_PADS_CHILD_ADULT);
  defib.SelectEnergy(50);
  defib.Charge(0);
  defib.Update(10, false, std::nullopt);
  defib.SelectEnergy(70);
  EXPECT_EQ(defib.state(), Defibrillator::State::kIdle);
  defib.Charge(20);
  defib.Update(30, false, std::nullopt);
  EXPECT_EQ(defib.state(), Defibrillator::State::kCharged);
  defib.Update(30 + Defibrillator::kDisarmAfterS, false, std::nullopt);
  EXPECT_EQ(defib.state(), Defibrillator::State::kIdle);
}

TEST(Defibrillator, SynchronisedShockWaitsForTheNextRWave) {
  Defibrillator defib;
  defib.PutPadsOn(v1::DEFIBRILLATOR_PADS_CHILD_ADULT);
  defib.SetMode(v1::DEFIBRILLATOR_MODE_SYNCHRONIZED);
  defib.SelectEnergy(10);
  defib.Charge(0);
  defib.Update(5, false, std::nullopt);
  EXPECT_FALSE(defib.PressShock(5));
  EXPECT_TRUE(defib.sync_armed());
  EXPECT_FALSE(defib.Update(5.1, false, std::nullopt));
  const std::optional<v1::LearnerAction> shock = defib.Update(5.2, true, std::nullopt);
  ASSERT_TRUE(shock);
  EXPECT_EQ(shock->kind(), v1::ACTION_KIND_SYNCHRONIZED_CARDIOVERSION);
  EXPECT_EQ(shock->defibrillator_mode(), v1::DEFIBRILLATOR_MODE_SYNCHRONIZED);
}

TEST(Defibrillator, AedAdvisesAShockForVfOnlyAndChargesItself) {
  Defibrillator defib;
  defib.SetMode(v1::DEFIBRILLATOR_MODE_AED);
  EXPECT_EQ(defib.prompt(), "Attach pads to the patient's chest");
  defib.PutPadsOn(v1::DEFIBRILLATOR_PADS_INFANT);
  ASSERT_TRUE(defib.Analyze(0));
  EXPECT_FALSE(defib.Update(Defibrillator::kAnalysisS, false, v1::RHYTHM_SINUS));
  EXPECT_EQ(defib.shock_advised(), false);
  EXPECT_EQ(defib.prompt(), "No shock advised. Begin CPR");
  ASSERT_TRUE(defib.Analyze(20));
  const std::optional<v1::LearnerAction> charge =
      defib.Update(20 + Defibrillator::kAnalysisS, false, v1::RHYTHM_VENTRICULAR_FIBRILLATION);
  ASSERT_TRUE(charge);
  EXPECT_EQ(charge->kind(), v1::ACTION_KIND_DEFIBRILLATOR_CHARGED);
  EXPECT_DOUBLE_EQ(charge->energy_j(), 50) << "pediatric pads";
  defib.Update(40, false, v1::RHYTHM_VENTRICULAR_FIBRILLATION);
  EXPECT_EQ(defib.prompt(), "Stand clear. Push the shock button");
  const std::optional<v1::LearnerAction> shock = defib.PressShock(41);
  ASSERT_TRUE(shock);
  EXPECT_EQ(shock->defibrillator_mode(), v1::DEFIBRILLATOR_MODE_AED);
  EXPECT_EQ(defib.prompt(), "Shock delivered. Begin CPR");
}

TEST(PromptSpeaker, DecodesAStreamedWavAndResamplesIt) {
  // espeak-ng's header: 22050 Hz mono 16-bit, the data size a placeholder.
  std::string wav = "RIFF";
  auto put32 = [&](uint32_t v) {
    for (int i = 0; i < 4; ++i) wav += static_cast<char>((v >> (8 * i)) & 0xff);
  };
  auto put16 = [&](uint16_t v) {
    wav += static_cast<char>(v & 0xff);
    wav += static_cast<char>(v >> 8);
  };
  put32(0x7ffff024);
  wav += "WAVEfmt ";
  put32(16);
  put16(1);
  put16(1);
  put32(22050);
  put32(44100);
  put16(2);
  put16(16);
  wav += "data";
  put32(0x7ffff000);
  for (int i = 0; i < 2205; ++i) put16(static_cast<uint16_t>(i % 2 ? 16384 : -16384));
  const std::optional<std::vector<float>> clip = DecodeWav(wav, 48000);
  ASSERT_TRUE(clip);
  // 0.1 s at 48 kHz.
  EXPECT_NEAR(static_cast<double>(clip->size()), 4800, 3);
  EXPECT_NEAR((*clip)[0], -0.5, 1e-3);
  EXPECT_FALSE(DecodeWav("not a wav", 48000));
}

TEST(MonitorLayoutTest, TwoToSixRowsAddWavesThenCascadeTheEcg) {
  const auto waves = [](int rows) {
    std::vector<std::pair<Wave, int>> shown;  // wave, part
    for (const WaveRow& row : WaveRows(rows)) shown.emplace_back(row.wave, row.part);
    return shown;
  };
  using W = Wave;
  EXPECT_EQ(waves(2), (std::vector<std::pair<W, int>>{{W::kEcg, 0}, {W::kPleth, 0}}));
  EXPECT_EQ(waves(3),
            (std::vector<std::pair<W, int>>{{W::kEcg, 0}, {W::kPleth, 0}, {W::kCapnogram, 0}}));
  EXPECT_EQ(waves(4), (std::vector<std::pair<W, int>>{
                          {W::kEcg, 0}, {W::kPleth, 0}, {W::kCapnogram, 0}, {W::kRespiration, 0}}));
  EXPECT_EQ(
      waves(5),
      (std::vector<std::pair<W, int>>{
          {W::kEcg, 0}, {W::kEcg, 1}, {W::kPleth, 0}, {W::kCapnogram, 0}, {W::kRespiration, 0}}));
  EXPECT_EQ(waves(6), (std::vector<std::pair<W, int>>{{W::kEcg, 0},
                                                      {W::kEcg, 1},
                                                      {W::kEcg, 2},
                                                      {W::kPleth, 0},
                                                      {W::kCapnogram, 0},
                                                      {W::kRespiration, 0}}));
  // Out of range is clamped.
  EXPECT_EQ(WaveRows(1).size(), 2u);
  EXPECT_EQ(WaveRows(9).size(), 6u);
  // A cascaded ECG sweeps 6 s per row: each row keeps the 25 mm/s look.
  EXPECT_EQ(SweepWindowS(Wave::kEcg, 4), 6.0);
  EXPECT_EQ(SweepWindowS(Wave::kEcg, 5), 12.0);
  EXPECT_EQ(SweepWindowS(Wave::kEcg, 6), 18.0);
  EXPECT_EQ(SweepWindowS(Wave::kPleth, 6), 6.0);
  EXPECT_EQ(SweepWindowS(Wave::kCapnogram, 6), 24.0);
}

TEST(MonitorLayoutTest, RowsStackBetweenTheStatusBarAndTheStripAndNumericsKeepTheirPlaces) {
  for (int rows = 2; rows <= 6; ++rows) {
    const MonitorLayout layout = LayOut(ImVec2(1280, 720), rows);
    const MonitorLayout four = LayOut(ImVec2(1280, 720));
    ASSERT_EQ(static_cast<int>(layout.rows.size()), rows);
    EXPECT_FLOAT_EQ(layout.rows.front().box.min.y, layout.status_bar.max.y);
    EXPECT_FLOAT_EQ(layout.rows.back().box.max.y, four.rows.back().box.max.y);
    for (size_t row = 1; row < layout.rows.size(); ++row) {
      EXPECT_FLOAT_EQ(layout.rows[row].box.min.y, layout.rows[row - 1].box.max.y);
    }
    for (size_t numeric = 0; numeric < layout.numerics.size(); ++numeric) {
      EXPECT_FLOAT_EQ(layout.numerics[numeric].min.y, four.numerics[numeric].min.y);
    }
  }
}

}  // namespace
}  // namespace pedisim::monitor
