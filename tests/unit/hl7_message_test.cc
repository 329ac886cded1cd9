// The ORU^R01 builder, the HL7 encoding helpers and ACK parsing: pure
// functions, checked segment by segment.

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/vitals/age_bands.h"
#include "core/vitals/vital_table.h"
#include "devices/hl7/hl7_ack.h"
#include "devices/hl7/hl7_encoding.h"
#include "devices/hl7/nibp_tracker.h"
#include "devices/hl7/oru_message.h"

namespace pedisim::devices::hl7 {
namespace {

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t end; (end = text.find(separator, start)) != std::string::npos; start = end + 1) {
    parts.push_back(text.substr(start, end - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

// Segments of a message, each split into fields (index = HL7 field number,
// except MSH where index 1 is MSH-2 because MSH-1 is the separator itself).
std::vector<std::vector<std::string>> Segments(const std::string& message) {
  EXPECT_EQ(message.back(), '\r');
  std::vector<std::vector<std::string>> segments;
  for (const std::string& segment : Split(message.substr(0, message.size() - 1), '\r')) {
    segments.push_back(Split(segment, '|'));
  }
  return segments;
}

std::chrono::system_clock::time_point At(int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

OruInput Example() {
  OruInput input;
  input.control_id = "abc-7";
  input.message_time = At(1735786800);      // 2025-01-02 03:00:00 UTC
  input.observation_time = At(1735786799);  // one second earlier
  input.session_id = "s-42";
  input.patient.set_name("Maya");
  input.patient.set_sex(v1::SEX_FEMALE);
  input.patient.set_age_months(6);
  v1::Vitals* vitals = input.sample.mutable_vitals();
  vitals->set_heart_rate_bpm(168);
  vitals->set_spo2_pct(89);
  vitals->set_respiratory_rate_bpm(64);
  vitals->set_etco2_mmhg(52.5);
  vitals->set_temperature_c(38.44);
  // A measurement taken 20 s before the numerics.
  NibpReading nibp;
  nibp.values.set_nibp_systolic_mmhg(85);
  nibp.values.set_nibp_diastolic_mmhg(55);
  nibp.values.set_nibp_mean_mmhg(65);
  nibp.taken_at = At(1735786779);
  input.nibp = nibp;
  return input;
}

TEST(Hl7EncodingTest, EscapesEveryDelimiterAndControlCharacter) {
  EXPECT_EQ(Escape("O'Brien^x|y"), "O'Brien\\S\\x\\F\\y");
  EXPECT_EQ(Escape("a~b\\c&d"), "a\\R\\b\\E\\c\\T\\d");
  EXPECT_EQ(Escape("two\rlines\n"), "two lines ");
  EXPECT_EQ(Escape("Zoë"), "Zoë") << "UTF-8 passes through";
}

TEST(Hl7EncodingTest, NumbersHaveAtMostOneDecimalAndNoExponent) {
  EXPECT_EQ(Number(168), "168");
  EXPECT_EQ(Number(38.44), "38.4");
  EXPECT_EQ(Number(122.5), "122.5");
  EXPECT_EQ(Number(-0.01), "0");
  EXPECT_EQ(Number(0.000001), "0");
  EXPECT_EQ(Number(349.96), "350");
}

TEST(Hl7EncodingTest, TimestampIsUtcWithOffset) {
  EXPECT_EQ(Timestamp(At(1735786800)), "20250102030000+0000");
}

TEST(OruMessageTest, HeaderPatientAndOrderFollowPcd01) {
  OruInput input = Example();
  input.header.receiving_application = "EMR";
  input.header.receiving_facility = "CHILDRENS";
  const auto segments = Segments(BuildOruR01(input));
  ASSERT_GE(segments.size(), 5u);
  const std::vector<std::string>& msh = segments[0];
  EXPECT_EQ(msh[0], "MSH");
  EXPECT_EQ(msh[1], "^~\\&");
  EXPECT_EQ(msh[2], "PEDISIM");
  EXPECT_EQ(msh[3], "PEDISIM");
  EXPECT_EQ(msh[4], "EMR");
  EXPECT_EQ(msh[5], "CHILDRENS");
  EXPECT_EQ(msh[6], "20250102030000+0000");
  EXPECT_EQ(msh[8], "ORU^R01^ORU_R01");
  EXPECT_EQ(msh[9], "abc-7");
  EXPECT_EQ(msh[10], "T") << "simulated data is training data by default";
  EXPECT_EQ(msh[11], "2.6");
  EXPECT_EQ(msh[14], "NE");
  EXPECT_EQ(msh[15], "AL");
  EXPECT_EQ(msh[20], "IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO");

  const std::vector<std::string>& pid = segments[1];
  EXPECT_EQ(pid[0], "PID");
  EXPECT_EQ(pid[3], "SIM-s-42^^^PEDISIM^MR") << "an MRN no real patient has";
  EXPECT_EQ(pid[5], "SIMULATION^Maya") << "the family name marks the simulation";
  EXPECT_EQ(pid[8], "F");
  EXPECT_EQ(segments[2][0], "PV1");
  EXPECT_EQ(segments[2][2], "I");
  EXPECT_EQ(segments[2].size(), 4u);
  EXPECT_EQ(segments[2][3], "") << "no location configured";

  const std::vector<std::string>& obr = segments[3];
  EXPECT_EQ(obr[0], "OBR");
  EXPECT_EQ(obr[2], "abc-7^PEDISIM");
  EXPECT_EQ(obr[4], "182777000^monitoring of patient^SCT");
  EXPECT_EQ(obr[7], "20250102025959+0000");

  const std::vector<std::string>& mds = segments[4];
  EXPECT_EQ(mds[3], "69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC");
  EXPECT_EQ(mds[4], "1.0.0.0");
}

TEST(OruMessageTest, OneNumericObxPerVitalWithItsCodeAndUnit) {
  const auto segments = Segments(BuildOruR01(Example()));
  ASSERT_EQ(segments.size(), 5u + vitals::kVitalFieldCount);
  struct Expected {
    const char* code;
    const char* units;
    const char* value;
  };
  const Expected expected[] = {
      {"147842^MDC_ECG_HEART_RATE^MDC", "264864^MDC_DIM_BEAT_PER_MIN^MDC", "168"},
      {"150456^MDC_PULS_OXIM_SAT_O2^MDC", "262688^MDC_DIM_PERCENT^MDC", "89"},
      {"151562^MDC_RESP_RATE^MDC", "264928^MDC_DIM_RESP_PER_MIN^MDC", "64"},
      {"150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "266016^MDC_DIM_MMHG^MDC", "85"},
      {"150022^MDC_PRESS_BLD_NONINV_DIA^MDC", "266016^MDC_DIM_MMHG^MDC", "55"},
      {"150023^MDC_PRESS_BLD_NONINV_MEAN^MDC", "266016^MDC_DIM_MMHG^MDC", "65"},
      {"151708^MDC_AWAY_CO2_ET^MDC", "266016^MDC_DIM_MMHG^MDC", "52.5"},
      {"150364^MDC_TEMP_BODY^MDC", "268192^MDC_DIM_DEGC^MDC", "38.4"},
  };
  for (int i = 0; i < vitals::kVitalFieldCount; ++i) {
    SCOPED_TRACE(i);
    const std::vector<std::string>& obx = segments[5 + i];
    ASSERT_GE(obx.size(), 19u);
    EXPECT_EQ(obx[0], "OBX");
    EXPECT_EQ(obx[1], std::to_string(i + 2));
    EXPECT_EQ(obx[2], "NM");
    EXPECT_EQ(obx[3], expected[i].code);
    EXPECT_EQ(obx[4], "1.0.0." + std::to_string(i + 1));
    EXPECT_EQ(obx[5], expected[i].value);
    EXPECT_EQ(obx[6], expected[i].units);
    EXPECT_EQ(obx[11], "R");
    const bool nibp = vitals::VitalFields()[i].group == "NIBP";
    EXPECT_EQ(obx[14], nibp ? "20250102025939+0000" : "20250102025959+0000")
        << "NIBP carries the time of its measurement";
    EXPECT_EQ(obx[18], "0200000000000000^EUI-64");
  }
}

TEST(OruMessageTest, AbsentVitalsAreOmittedAndSubIdsStayPerVital) {
  OruInput input = Example();
  input.sample.mutable_vitals()->clear_spo2_pct();
  input.sample.mutable_vitals()->clear_etco2_mmhg();
  const std::string message = BuildOruR01(input);
  EXPECT_EQ(message.find("MDC_PULS_OXIM_SAT_O2"), std::string::npos);
  EXPECT_EQ(message.find("MDC_AWAY_CO2_ET"), std::string::npos);
  const auto segments = Segments(message);
  ASSERT_EQ(segments.size(), 5u + vitals::kVitalFieldCount - 2);
  EXPECT_EQ(segments[6][3], "151562^MDC_RESP_RATE^MDC");
  EXPECT_EQ(segments[6][1], "3") << "set ids stay contiguous";
  EXPECT_EQ(segments[6][4], "1.0.0.3") << "a vital keeps its sub-id";
}

TEST(OruMessageTest, WithoutASnapshotThePatientIsUnknown) {
  OruInput input = Example();
  input.session_id.clear();
  input.patient.Clear();
  const auto segments = Segments(BuildOruR01(input));
  EXPECT_EQ(segments[1][3], "");
  EXPECT_EQ(segments[1][5], "SIMULATION") << "even a nameless patient is marked";
  EXPECT_EQ(segments[1][8], "U");
  EXPECT_EQ(segments[5][18], "0200000000000000^EUI-64");
}

TEST(OruMessageTest, NoNumericsGiveOnlyTheMonitorObx) {
  OruInput input = Example();
  input.sample.clear_vitals();
  input.nibp.reset();
  EXPECT_EQ(Segments(BuildOruR01(input)).size(), 5u);
}

TEST(OruMessageTest, DelimitersInNamesAndConfiguredTextAreEscaped) {
  OruInput input = Example();
  input.patient.set_name("O'Brien^x|y");
  input.header.sending_facility = "St Mary & St Jude";
  input.session_id = "a|b";
  const auto segments = Segments(BuildOruR01(input));
  EXPECT_EQ(segments[0][3], "St Mary \\T\\ St Jude");
  EXPECT_EQ(segments[1][5], "SIMULATION^O'Brien\\S\\x\\F\\y");
  EXPECT_EQ(segments[1][3], "SIM-a\\F\\b^^^PEDISIM^MR");
  EXPECT_EQ(segments[1].size(), 9u) << "the name did not add fields";
}

TEST(OruMessageTest, AgeBandGivesReferenceRangeAndAbnormalFlags) {
  OruInput input = Example();
  v1::VitalRange* hr = input.age_band.add_normal();
  hr->set_vital("heart_rate_bpm");
  hr->set_low(100);
  hr->set_high(160);
  v1::VitalRange* spo2 = input.age_band.add_normal();
  spo2->set_vital("spo2_pct");
  spo2->set_low(94);
  spo2->set_high(100);
  v1::VitalRange* spo2_alarm = input.age_band.add_alarm_limits();
  spo2_alarm->set_vital("spo2_pct");
  spo2_alarm->set_low(90);
  spo2_alarm->set_high(100);
  input.sample.add_abnormal("temperature_c");  // no range known: direction unknown
  const auto segments = Segments(BuildOruR01(input));
  EXPECT_EQ(segments[5][7], "100-160");
  EXPECT_EQ(segments[5][8], "H") << "above the range, no alarm limit known";
  EXPECT_EQ(segments[6][7], "94-100");
  EXPECT_EQ(segments[6][8], "LL") << "below the alarm limit";
  EXPECT_EQ(segments[7][7], "");
  EXPECT_EQ(segments[7][8], "") << "no range, not flagged by the engine";
  EXPECT_EQ(segments[12][8], "A");
}

// The tester's finding: an infant's HR 166.9 went out as HH with 100-180.
TEST(OruMessageTest, AnInfantsTachycardiaInsideTheRangeIsNotFlagged) {
  OruInput input = Example();
  input.age_band = vitals::AgeBandFor(0.5);
  input.sample.mutable_vitals()->set_heart_rate_bpm(166.9);
  input.sample.add_abnormal("heart_rate_bpm");  // whatever the engine said
  input.sample.add_alarming("heart_rate_bpm");
  const auto segments = Segments(BuildOruR01(input));
  EXPECT_EQ(segments[5][5], "166.9");
  EXPECT_EQ(segments[5][7], "100-180");
  EXPECT_EQ(segments[5][8], "");
}

TEST(OruMessageTest, FlagsFollowTheValueAsSent) {
  v1::VitalRange normal;
  normal.set_low(94);
  normal.set_high(100);
  v1::VitalRange alarm = normal;
  alarm.set_low(90);
  EXPECT_EQ(AbnormalFlag(93.96, normal, alarm), "") << "sent as 94";
  EXPECT_EQ(AbnormalFlag(93.94, normal, alarm), "L") << "sent as 93.9";
  EXPECT_EQ(AbnormalFlag(90, normal, alarm), "L") << "at the alarm limit";
  EXPECT_EQ(AbnormalFlag(89.9, normal, alarm), "LL");
  EXPECT_EQ(AbnormalFlag(100.04, normal, alarm), "");
  // An instructor's alarm limit inside the range still flags nothing there.
  alarm.set_high(95);
  EXPECT_EQ(AbnormalFlag(97, normal, alarm), "");
  EXPECT_EQ(AbnormalFlag(100.5, normal, alarm), "HH");
  EXPECT_EQ(AbnormalFlag(100.5, normal, std::nullopt), "H");
}

// Whole-year ages and one inside each band: the SBP alarm moves with age.
std::vector<double> AgesOfEveryBand() {
  std::vector<double> ages = {0, 0.03, 0.5, 0.99, 1.5, 2.99, 5.99, 9.5, 11.99, 40};
  for (int years = 1; years <= 18; ++years) ages.push_back(years);
  return ages;
}

TEST(AgeBandTableTest, AlarmLimitsAreNeverInsideTheNormalRange) {
  for (const double age : AgesOfEveryBand()) {
    const v1::AgeBand band = vitals::AgeBandFor(age);
    for (const vitals::VitalField& field : vitals::VitalFields()) {
      SCOPED_TRACE(band.name() + " (" + std::to_string(age) + " y) " + std::string(field.name));
      const std::optional<v1::VitalRange> normal = vitals::RangeOf(band.normal(), field.name);
      ASSERT_TRUE(normal.has_value());
      const std::optional<v1::VitalRange> alarm = vitals::RangeOf(band.alarm_limits(), field.name);
      if (!alarm) continue;
      EXPECT_LE(alarm->low(), normal->low());
      EXPECT_GE(alarm->high(), normal->high());
    }
  }
}

// Over every band and every vital, from its minimum to its maximum: a value
// inside the range sent in OBX-7 is never flagged; outside it is L/H, and
// LL/HH exactly when it is beyond the alarm limit too.
TEST(AgeBandTableTest, FlagsAgreeWithTheSentRangeOverASweep) {
  int checked = 0;
  for (const double age : AgesOfEveryBand()) {
    OruInput input = Example();
    input.age_band = vitals::AgeBandFor(age);
    for (const vitals::VitalField& field : vitals::VitalFields()) {
      SCOPED_TRACE(input.age_band.name() + " " + std::string(field.name));
      const std::optional<v1::VitalRange> alarm =
          vitals::RangeOf(input.age_band.alarm_limits(), field.name);
      const double step = field.decimals > 0 ? 0.05 : 0.25;
      for (double value = field.min; value <= field.max; value += step) {
        input.sample.clear_vitals();
        input.nibp.reset();
        if (field.group == "NIBP") {
          input.nibp.emplace();
          (input.nibp->values.*field.set)(value);
        } else {
          (input.sample.mutable_vitals()->*field.set)(value);
        }
        const auto segments = Segments(BuildOruR01(input));
        ASSERT_EQ(segments.size(), 6u);
        const std::vector<std::string>& obx = segments[5];
        const double sent = std::stod(obx[5]);
        const std::vector<std::string> range = Split(obx[7], '-');
        ASSERT_EQ(range.size(), 2u) << obx[7];
        const double low = std::stod(range[0]);
        const double high = std::stod(range[1]);
        const std::string& flag = obx[8];
        if (sent >= low && sent <= high) {
          EXPECT_EQ(flag, "") << sent << " in " << obx[7];
        } else if (sent > high) {
          const bool critical = alarm && sent > alarm->high();
          EXPECT_EQ(flag, critical ? "HH" : "H") << sent << " above " << obx[7];
        } else {
          const bool critical = alarm && sent < alarm->low();
          EXPECT_EQ(flag, critical ? "LL" : "L") << sent << " below " << obx[7];
        }
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 10000);
}

TEST(OruMessageTest, NibpGoesOutOnlyWithAReading) {
  OruInput input = Example();
  input.nibp.reset();
  const std::string without = BuildOruR01(input);
  EXPECT_EQ(without.find("MDC_PRESS_BLD_NONINV"), std::string::npos) << without;
  EXPECT_EQ(Segments(without).size(), 5u + vitals::kVitalFieldCount - 3);
  // The sample's own pressures never go out as a measurement.
  input.sample.mutable_vitals()->set_nibp_systolic_mmhg(120);
  EXPECT_EQ(BuildOruR01(input).find("MDC_PRESS_BLD_NONINV"), std::string::npos);
}

TEST(OruMessageTest, MarkingLocationAndDeviceIdAreConfigurable) {
  OruInput input = Example();
  input.marking.mrn_prefix = "ZZ";
  input.marking.name_marker = "ZZSIM";
  input.marking.patient_class = "E";
  input.marking.point_of_care = "PICU";
  input.marking.room = "12";
  input.marking.bed = "A";
  input.marking.device_eui64 = "0123456789ABCDEF";
  const auto segments = Segments(BuildOruR01(input));
  EXPECT_EQ(segments[1][3], "ZZs-42^^^PEDISIM^MR");
  EXPECT_EQ(segments[1][5], "ZZSIM^Maya");
  EXPECT_EQ(segments[2][2], "E");
  EXPECT_EQ(segments[2][3], "PICU^12^A");
  EXPECT_EQ(segments[4][18], "0123456789ABCDEF^EUI-64");
  EXPECT_EQ(segments[5][18], "0123456789ABCDEF^EUI-64");
  input.marking.room.clear();
  input.marking.bed.clear();
  EXPECT_EQ(Segments(BuildOruR01(input))[2][3], "PICU") << "no trailing empty components";
}

v1::SessionUpdate Numerics(double sim_time_s, double systolic) {
  v1::SessionUpdate update;
  update.mutable_vitals()->set_sim_time_s(sim_time_s);
  v1::Vitals* vitals = update.mutable_vitals()->mutable_vitals();
  vitals->set_heart_rate_bpm(120);
  if (systolic > 0) {
    vitals->set_nibp_systolic_mmhg(systolic);
    vitals->set_nibp_diastolic_mmhg(systolic - 40);
    vitals->set_nibp_mean_mmhg(systolic - 27);
  }
  return update;
}

v1::SessionUpdate Action(v1::ActionKind kind, double sim_time_s) {
  v1::SessionUpdate update;
  update.mutable_event()->set_kind(v1::EVENT_KIND_LEARNER_ACTION);
  update.mutable_event()->set_sim_time_s(sim_time_s);
  update.mutable_event()->mutable_action()->set_kind(kind);
  return update;
}

TEST(NibpTrackerTest, AReadingAtTheEndOfEachMeasurementOnce) {
  NibpTracker nibp;
  v1::SessionUpdate snapshot;
  snapshot.mutable_snapshot()->mutable_patient()->set_age_years(4);  // 30 s
  nibp.OnUpdate(snapshot, At(0));
  nibp.OnUpdate(Numerics(1, 100), At(1));
  EXPECT_FALSE(nibp.TakeNew().has_value()) << "no measurement, no reading";
  nibp.OnUpdate(Action(v1::ACTION_KIND_NIBP_MEASUREMENT, 10), At(10));
  nibp.OnUpdate(Numerics(39, 101), At(39));
  EXPECT_FALSE(nibp.TakeNew().has_value()) << "the cuff is still measuring";
  nibp.OnUpdate(Numerics(40, 102), At(40));
  nibp.OnUpdate(Numerics(41, 103), At(41));
  const std::optional<NibpReading> reading = nibp.TakeNew();
  ASSERT_TRUE(reading.has_value());
  EXPECT_EQ(reading->values.nibp_systolic_mmhg(), 102) << "the pressure at its end";
  EXPECT_EQ(reading->values.nibp_diastolic_mmhg(), 62);
  EXPECT_EQ(reading->values.nibp_mean_mmhg(), 75);
  EXPECT_FALSE(reading->values.has_heart_rate_bpm());
  EXPECT_EQ(reading->taken_at, At(40));
  nibp.OnUpdate(Numerics(50, 104), At(50));
  EXPECT_FALSE(nibp.TakeNew().has_value()) << "sent once";
  EXPECT_EQ(nibp.readings(), 1u);
}

TEST(NibpTrackerTest, NoReadingWithoutPressuresOrWithTheCuffOff) {
  NibpTracker nibp;  // no snapshot: age 0, 25 s
  nibp.OnUpdate(Action(v1::ACTION_KIND_NIBP_MEASUREMENT, 0), At(0));
  nibp.OnUpdate(Numerics(25, 0), At(25));
  EXPECT_FALSE(nibp.TakeNew().has_value()) << "no pulse: the measurement failed";
  nibp.OnUpdate(Action(v1::ACTION_KIND_NIBP_MEASUREMENT, 30), At(30));
  v1::SessionUpdate removed = Action(v1::ACTION_KIND_SENSOR_REMOVED, 31);
  removed.mutable_event()->mutable_action()->set_sensor(v1::MONITOR_SENSOR_NIBP_CUFF);
  nibp.OnUpdate(removed, At(31));
  nibp.OnUpdate(Numerics(60, 90), At(60));
  EXPECT_FALSE(nibp.TakeNew().has_value()) << "the cuff came off";
  EXPECT_EQ(nibp.readings(), 0u);
}

TEST(NibpTrackerTest, ACancelledMeasurementGivesNoReadingAndTheNextOneDoes) {
  NibpTracker nibp;  // age 0: 25 s
  nibp.OnUpdate(Action(v1::ACTION_KIND_NIBP_MEASUREMENT, 0), At(0));
  nibp.OnUpdate(Action(v1::ACTION_KIND_NIBP_CANCELLED, 5), At(5));
  nibp.OnUpdate(Numerics(25, 90), At(25));
  EXPECT_FALSE(nibp.TakeNew().has_value()) << "the key was pressed again: cancelled";
  nibp.OnUpdate(Action(v1::ACTION_KIND_NIBP_MEASUREMENT, 30), At(30));
  nibp.OnUpdate(Numerics(55, 91), At(55));
  const std::optional<NibpReading> reading = nibp.TakeNew();
  ASSERT_TRUE(reading.has_value()) << "a measurement after the cancelled one reads";
  EXPECT_EQ(reading->values.nibp_systolic_mmhg(), 91);
  EXPECT_EQ(nibp.readings(), 1u);
}

TEST(OruMessageTest, SexMapsToHl7Table0001) {
  OruInput input = Example();
  input.patient.set_sex(v1::SEX_MALE);
  EXPECT_EQ(Segments(BuildOruR01(input))[1][8], "M");
  input.patient.set_sex(v1::SEX_UNSPECIFIED);
  EXPECT_EQ(Segments(BuildOruR01(input))[1][8], "U");
}

TEST(Hl7AckTest, ReadsMsaCodeControlIdAndText) {
  const auto ack = ParseAck(
      "MSH|^~\\&|EMR|H|PEDISIM|PEDISIM|20250102||ACK^R01^ACK|9|T|2.6\r"
      "MSA|AE|abc-7|unknown patient\r");
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(ack->code, "AE");
  EXPECT_EQ(ack->control_id, "abc-7");
  EXPECT_EQ(ack->text, "unknown patient");
  EXPECT_FALSE(ack->accepted());
}

TEST(Hl7AckTest, AcceptsOriginalAndEnhancedModeAndOtherSeparators) {
  const auto aa = ParseAck("MSH|^~\\&|A|B|C|D|1||ACK|2|T|2.6\nMSA|AA|x-1\n");
  ASSERT_TRUE(aa.has_value());
  EXPECT_TRUE(aa->accepted());
  EXPECT_EQ(aa->control_id, "x-1");
  const auto ca = ParseAck("MSH#^~\\&#A#B#C#D#1##ACK#2#T#2.6\rMSA#CA#x-2");
  ASSERT_TRUE(ca.has_value());
  EXPECT_TRUE(ca->accepted());
  EXPECT_EQ(ca->control_id, "x-2");
  for (const char* code : {"AR", "CE", "CR"}) {
    const auto nack =
        ParseAck(std::string("MSH|^~\\&|A|B|C|D|1||ACK|2|T|2.6\rMSA|") + code + "|x-3\r");
    ASSERT_TRUE(nack.has_value());
    EXPECT_FALSE(nack->accepted()) << code;
  }
}

TEST(Hl7AckTest, MessagesWithoutMshOrMsaAreNotAcks) {
  EXPECT_FALSE(ParseAck("").has_value());
  EXPECT_FALSE(ParseAck("MSA|AA|1\r").has_value());
  EXPECT_FALSE(ParseAck("MSH|^~\\&|A|B|C|D|1||ACK|2|T|2.6\rERR|x\r").has_value());
  EXPECT_FALSE(ParseAck("MSH|^~\\&|A\rMSAX|AA|1\r").has_value());
}

}  // namespace
}  // namespace pedisim::devices::hl7
