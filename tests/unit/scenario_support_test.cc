#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/scenario/diagnostics.h"
#include "core/scenario/source_files.h"
#include "core/scenario/source_map.h"
#include "core/scenario/spelling.h"
#include "scenario_test_support.h"

namespace pedisim::scenario {
namespace {

TEST(SourceMapTest, ParentPathStripsOneComponent) {
  EXPECT_EQ(SourceMap::ParentPath("states[2].transitions[0].to_state"), "states[2].transitions[0]");
  EXPECT_EQ(SourceMap::ParentPath("states[2].transitions[0]"), "states[2].transitions");
  EXPECT_EQ(SourceMap::ParentPath("states[0].vital_trend_duration_s[spo2_pct]"),
            "states[0].vital_trend_duration_s");
  EXPECT_EQ(SourceMap::ParentPath("patient"), "");
  EXPECT_EQ(SourceMap::ParentPath(""), "");
}

TEST(SourceMapTest, MissingPathsFallBackToTheirNearestAncestor) {
  SourceMap map;
  map.Record("", {1, 1}, {1, 1});
  map.Record("states[1]", {7, 5}, {7, 5});
  map.Record("states[1].name", {7, 5}, {7, 11});
  EXPECT_EQ(map.ValueLocation("states[1].name"), (SourceLocation{7, 11}));
  EXPECT_EQ(map.KeyLocation("states[1].name"), (SourceLocation{7, 5}));
  EXPECT_EQ(map.KeyLocation("states[1].transitions[0].to_state"), (SourceLocation{7, 5}));
  EXPECT_EQ(map.KeyLocation("title"), (SourceLocation{1, 1}));
  EXPECT_FALSE(SourceMap().ValueLocation("title").known());
}

TEST(SourceFilesTest, AppendedElementsResolveToTheirOwnFileAndIndex) {
  SourceMap scenario;
  scenario.Record("states[1].name", {8, 5}, {8, 11});
  SourceMap fragment;
  fragment.Record("states[0].name", {2, 5}, {2, 11});
  SourceFiles files("s.yaml", scenario);
  files.AddAppended("states", 2, 3, "fragments/f.yaml", fragment);

  const SourceFiles::Origin appended = files.Resolve("states[2].name");
  EXPECT_EQ(appended.file, "fragments/f.yaml");
  EXPECT_EQ(appended.field_path, "states[0].name");
  EXPECT_EQ(appended.source_map.ValueLocation(appended.field_path), (SourceLocation{2, 11}));
  EXPECT_EQ(files.Resolve("states[4].transitions[1]").field_path, "states[2].transitions[1]");
  // Before and after the appended range, and other fields, stay in s.yaml.
  for (const char* path : {"states[1].name", "states[5]", "states", "statesx[2]", "handlers[2]"}) {
    const SourceFiles::Origin origin = files.Resolve(path);
    EXPECT_EQ(origin.file, "s.yaml") << path;
    EXPECT_EQ(origin.field_path, path);
  }
}

TEST(SpellingTest, SuggestsLikelyTyposOnly) {
  const std::vector<std::string> vitals = {"heart_rate_bpm", "spo2_pct", "respiratory_rate_bpm",
                                           "temperature_c"};
  EXPECT_EQ(SuggestClosest("heart_rate", vitals), "heart_rate_bpm");
  EXPECT_EQ(SuggestClosest("HeartRateBpm", vitals), "heart_rate_bpm");
  EXPECT_EQ(SuggestClosest("sp02_pct", vitals), "spo2_pct");
  EXPECT_EQ(SuggestClosest("temp", vitals), "temperature_c");
  EXPECT_EQ(SuggestClosest("blood_glucose", vitals), std::nullopt);
  EXPECT_EQ(SuggestClosest("", vitals), std::nullopt);
  EXPECT_EQ(SuggestClosest("id", {"name", "title"}), std::nullopt);
}

TEST(SpellingTest, QuotedCutsLongTextWithoutSplittingACharacter) {
  EXPECT_EQ(Quoted("distress"), "'distress'");
  // Built piecewise: GCC 12 gives a false -Wrestrict on "'" + std::string.
  std::string xs = "'";
  xs.append(37, 'x').append("...'");
  EXPECT_EQ(Quoted(std::string(100, 'x')), xs);
  // "é" is two bytes: 37 bytes would end inside the 19th.
  std::string accents;
  for (int i = 0; i < 30; ++i) accents += "é";
  std::string cut = "'";
  cut.append(accents, 0, 36).append("...'");
  EXPECT_EQ(Quoted(accents), cut);
}

TEST(DiagnosticsTest, FormatsLikeACompiler) {
  const v1::Diagnostic error =
      MakeDiagnostic(v1::Diagnostic::SEVERITY_ERROR, "a.yaml", {3, 7}, "id", "bad id");
  const v1::Diagnostic warning =
      MakeDiagnostic(v1::Diagnostic::SEVERITY_WARNING, "a.yaml", {}, "", "no terminal state");
  EXPECT_EQ(FormatDiagnostics({error, warning}),
            "a.yaml:3:7: error: bad id\na.yaml: warning: no terminal state\n");
  EXPECT_TRUE(HasErrors({warning, error}));
  EXPECT_FALSE(HasErrors({warning}));
  ParseReport report;
  report.diagnostics = {warning};
  EXPECT_TRUE(report.ok());
}

}  // namespace
}  // namespace pedisim::scenario
