// The ORU^R01 builder, the HL7 encoding helpers and ACK parsing: pure
// functions, checked segment by segment.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/vitals/vital_table.h"
#include "devices/hl7/hl7_ack.h"
#include "devices/hl7/hl7_encoding.h"
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
  vitals->set_nibp_systolic_mmhg(85);
  vitals->set_nibp_diastolic_mmhg(55);
  vitals->set_nibp_mean_mmhg(65);
  vitals->set_etco2_mmhg(52.5);
  vitals->set_temperature_c(38.44);
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
  EXPECT_EQ(pid[3], "s-42^^^PEDISIM^MR");
  EXPECT_EQ(pid[5], "Maya");
  EXPECT_EQ(pid[8], "F");
  EXPECT_EQ(segments[2][0], "PV1");

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
    EXPECT_EQ(obx[14], "20250102025959+0000");
    EXPECT_EQ(obx[18], "s-42^PEDISIM");
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
  EXPECT_EQ(segments[1][5], "");
  EXPECT_EQ(segments[1][8], "U");
  EXPECT_EQ(segments[5][18], "PEDISIM");
}

TEST(OruMessageTest, NoNumericsGiveOnlyTheMonitorObx) {
  OruInput input = Example();
  input.sample.clear_vitals();
  EXPECT_EQ(Segments(BuildOruR01(input)).size(), 5u);
}

TEST(OruMessageTest, DelimitersInNamesAndConfiguredTextAreEscaped) {
  OruInput input = Example();
  input.patient.set_name("O'Brien^x|y");
  input.header.sending_facility = "St Mary & St Jude";
  input.session_id = "a|b";
  const auto segments = Segments(BuildOruR01(input));
  EXPECT_EQ(segments[0][3], "St Mary \\T\\ St Jude");
  EXPECT_EQ(segments[1][5], "O'Brien\\S\\x\\F\\y");
  EXPECT_EQ(segments[1][3], "a\\F\\b^^^PEDISIM^MR");
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
  input.sample.add_abnormal("heart_rate_bpm");
  input.sample.add_abnormal("spo2_pct");
  input.sample.add_alarming("spo2_pct");
  input.sample.add_abnormal("temperature_c");  // no range known: direction unknown
  const auto segments = Segments(BuildOruR01(input));
  EXPECT_EQ(segments[5][7], "100-160");
  EXPECT_EQ(segments[5][8], "H");
  EXPECT_EQ(segments[6][7], "94-100");
  EXPECT_EQ(segments[6][8], "LL") << "below the alarm limit";
  EXPECT_EQ(segments[7][7], "");
  EXPECT_EQ(segments[7][8], "") << "not flagged by the engine";
  EXPECT_EQ(segments[12][8], "A");
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
