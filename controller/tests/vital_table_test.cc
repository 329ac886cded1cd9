// Adding a vital is a field in proto/pedisim/v1/vitals.proto and a row of
// core/vitals/vital_table.h, nothing else. This walks the table through every
// place that shows, checks or records vitals (text lines, the CLI, the age
// bands, the CSV and HTML reports, the dashboard, the virtual monitor), so a
// row that one of them ignores fails here.
#include "core/vitals/vital_table.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "client/console/formatting.h"
#include "controller/recording/session_digest.h"
#include "core/vitals/age_bands.h"
#include "core/vitals/vitals_text.h"
#include "devices/virtual/virtual_monitor.h"
#include "views/vital_info.h"

namespace pedisim::vitals {
namespace {

// A value for every row, distinct from the others and inside its bounds.
v1::Vitals EveryVital() {
  v1::Vitals all;
  for (int i = 0; i < kVitalFieldCount; ++i) {
    const VitalField& field = VitalFields()[i];
    (all.*field.set)(field.min + 1 + i);
  }
  return all;
}

std::string Shown(const VitalField& field) {
  return FormatValue(field, (EveryVital().*field.get)());
}

TEST(VitalTableTest, RowsAreWellFormed) {
  std::set<std::string_view> names;
  std::set<uint32_t> codes;
  for (int i = 0; i < kVitalFieldCount; ++i) {
    const VitalField& field = VitalFields()[i];
    SCOPED_TRACE(field.name);
    EXPECT_TRUE(names.insert(field.name).second);
    EXPECT_TRUE(codes.insert(field.mdc_code).second);
    EXPECT_EQ(VitalFieldIndex(field.name), i);
    // The proto has the field the row names.
    EXPECT_NE(v1::Vitals::descriptor()->FindFieldByName(std::string(field.name)), nullptr);
    EXPECT_LT(field.min, field.max);
    EXPECT_LT(field.chart.low, field.chart.high);
    EXPECT_FALSE(field.label.empty());
    EXPECT_FALSE(field.unit.empty());
    EXPECT_FALSE(field.normal_source.empty());
    for (const Limits& band : field.normal) EXPECT_LT(band.low, band.high);
  }
  // Every numeric field of the proto has its row.
  const auto* descriptor = v1::Vitals::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    if (descriptor->field(i)->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_DOUBLE) {
      continue;
    }
    EXPECT_TRUE(names.contains(descriptor->field(i)->name())) << descriptor->field(i)->name();
  }
}

TEST(VitalTableTest, EveryRowHasItsRangesInEveryAgeBand) {
  for (const AgeBandBounds& bounds : kAgeBands) {
    const double age_years = std::min(bounds.up_to_years * 0.99, 17.0);
    const v1::AgeBand band = AgeBandFor(age_years);
    EXPECT_EQ(band.name(), bounds.name);
    const v1::Vitals normal = NormalVitals(band);
    for (const VitalField& field : VitalFields()) {
      SCOPED_TRACE(std::string(bounds.name) + " " + std::string(field.name));
      EXPECT_TRUE(RangeOf(band.normal(), field.name).has_value());
      EXPECT_EQ(RangeOf(band.alarm_limits(), field.name).has_value(), field.alarm.has_value());
      EXPECT_TRUE((normal.*field.has)());
    }
  }
}

TEST(VitalTableTest, EveryRowIsInTheVitalsLineAndTheCli) {
  const v1::Vitals all = EveryVital();
  const std::string line = FormatVitalsLine(all);
  const std::string cli = console::FormatVitals(all, {});
  for (const VitalField& field : VitalFields()) {
    SCOPED_TRACE(field.name);
    EXPECT_NE(line.find(Shown(field)), std::string::npos) << line;
    EXPECT_NE(line.find(field.group.empty() ? field.label : field.group), std::string::npos);
    EXPECT_NE(cli.find(Shown(field)), std::string::npos) << cli;
  }
}

TEST(VitalTableTest, EveryRowIsInTheReports) {
  recording::SessionDigest digest;
  digest.duration_s = 2;
  for (double t : {0.0, 1.0}) {
    v1::VitalsSample& sample = digest.vitals.emplace_back();
    sample.set_sim_time_s(t);
    *sample.mutable_vitals() = EveryVital();
  }
  const std::string csv = recording::RenderCsvReport(digest);
  const std::string header = csv.substr(0, csv.find('\n'));
  const std::string html = recording::RenderHtmlReport(digest);
  for (const VitalField& field : VitalFields()) {
    SCOPED_TRACE(field.name);
    EXPECT_NE(header.find(std::string(field.name) + ","), std::string::npos) << header;
    EXPECT_NE(csv.find(fmt::format(",{:.1f},", (EveryVital().*field.get)())), std::string::npos);
    EXPECT_NE(html.find("data-vital=\"" + std::string(field.name) + "\""), std::string::npos);
  }
}

TEST(VitalTableTest, EveryRowIsOnTheDashboardAndTheVirtualMonitor) {
  devices::VirtualMonitor monitor;
  v1::SessionUpdate update;
  *update.mutable_vitals()->mutable_vitals() = EveryVital();
  monitor.OnUpdate(update);
  const std::string status = monitor.StatusDetail();
  for (const VitalField& field : VitalFields()) {
    SCOPED_TRACE(field.name);
    const dashboard::VitalInfo* info = dashboard::FindVital(std::string(field.name));
    ASSERT_NE(info, nullptr);
    EXPECT_EQ(info->label, field.label);
    EXPECT_EQ(info->decimals, field.decimals);
    EXPECT_NE(status.find(Shown(field)), std::string::npos) << status;
  }
}

}  // namespace
}  // namespace pedisim::vitals
