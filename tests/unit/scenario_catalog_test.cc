#include "core/scenario/scenario_catalog.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "scenario_test_support.h"

namespace pedisim::scenario {
namespace {

using ::pedisim::scenario::testing::FixturePath;
using ::pedisim::scenario::testing::Lines;
using ::testing::ElementsAre;

std::vector<std::string> SummaryLines(const std::vector<v1::ScenarioSummary>& summaries) {
  std::vector<std::string> lines;
  for (const v1::ScenarioSummary& summary : summaries) {
    lines.push_back(summary.id() + " <- " + summary.source_path() + " (" +
                    std::to_string(summary.state_count()) + " states)");
  }
  return lines;
}

TEST(ScenarioCatalogTest, ListsScenariosSortedByIdAndSkipsNonScenarios) {
  const ScenarioCatalog catalog(FixturePath("catalog"));
  // asthma.actions.yaml, svt/learner-script.yaml, notes.txt, empty-folder/
  // and the fragment fragments/scenario.yaml are neither listed nor
  // reported; croup.yaml has one state of its own and one from the fragment.
  EXPECT_THAT(SummaryLines(catalog.List()), ElementsAre("child-svt <- svt/scenario.yaml (2 states)",
                                                        "toddler-asthma <- asthma.yaml (2 states)",
                                                        "toddler-croup <- croup.yaml (2 states)"));
  EXPECT_EQ(catalog.List()[1].title(), "Toddler with acute asthma");
  EXPECT_DOUBLE_EQ(catalog.List()[1].patient().weight_kg(), 12.5);
}

TEST(ScenarioCatalogTest, ReportsBrokenFilesAndDuplicateIds) {
  const ScenarioCatalog catalog(FixturePath("catalog"));
  EXPECT_THAT(Lines(catalog.LoadErrors()),
              ElementsAre("broken.yaml:1:1: error: scenario has no states; at least one is "
                          "required",
                          "zz-duplicate.json:2:9: error: duplicate scenario id 'toddler-asthma'; "
                          "already loaded from asthma.yaml"));
  // The first file with the id wins.
  EXPECT_EQ(catalog.Find("toddler-asthma")->title(), "Toddler with acute asthma");
}

TEST(ScenarioCatalogTest, FindsScenariosAndTheirFiles) {
  const ScenarioCatalog catalog(FixturePath("catalog"));
  const std::optional<v1::Scenario> svt = catalog.Find("child-svt");
  ASSERT_TRUE(svt.has_value());
  EXPECT_EQ(svt->states(0).vitals().rhythm(), v1::RHYTHM_SVT);
  // Estimated by the loader: 3 x 8 years + 7.
  EXPECT_DOUBLE_EQ(svt->patient().weight_kg(), 31);
  EXPECT_EQ(catalog.PathOf("child-svt"), FixturePath("catalog") / "svt/scenario.yaml");
  EXPECT_FALSE(catalog.Find("broken-catalog-entry").has_value());
  EXPECT_FALSE(catalog.Find("").has_value());
  EXPECT_TRUE(catalog.PathOf("no-such-scenario").empty());
}

TEST(ScenarioCatalogTest, NamesAFragmentsErrorsByTheFragmentsPath) {
  const std::filesystem::path folder =
      std::filesystem::path(::testing::TempDir()) / "pedisim-catalog-fragments";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder / "fragments");
  std::ofstream(folder / "case.yaml") << "id: case\ntitle: Case\npatient: {age_years: 2}\n"
                                         "include: [fragments/end.yaml]\n"
                                         "initial_state: end\nstates: []\n";
  std::ofstream(folder / "fragments/end.yaml") << "states:\n  - {name: end, terminal: yes-ish}\n";
  const ScenarioCatalog catalog(folder);
  EXPECT_TRUE(catalog.List().empty());
  EXPECT_THAT(Lines(catalog.LoadErrors()),
              ElementsAre("fragments/end.yaml:2:27: error: expected true or false for terminal, "
                          "got 'yes-ish'"));
  std::filesystem::remove_all(folder);
}

TEST(ScenarioCatalogTest, MissingFolderIsALoadErrorNotACrash) {
  const std::filesystem::path missing = FixturePath("no-such-folder");
  ScenarioCatalog catalog(missing);
  EXPECT_TRUE(catalog.List().empty());
  EXPECT_THAT(Lines(catalog.LoadErrors()),
              ElementsAre(missing.string() + ": error: scenario folder does not exist"));
  catalog.Reload();
  EXPECT_EQ(catalog.LoadErrors().size(), 1u);
}

TEST(ScenarioCatalogTest, ReloadPicksUpChangesWhileReadersRun) {
  const std::filesystem::path folder =
      std::filesystem::path(::testing::TempDir()) / "pedisim-catalog-reload";
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  std::filesystem::copy_file(FixturePath("catalog/asthma.yaml"), folder / "asthma.yaml");
  ScenarioCatalog catalog(folder);
  ASSERT_EQ(catalog.List().size(), 1u);

  std::atomic<bool> stop{false};
  std::atomic<int> lookups_without_asthma{0};
  std::thread reader([&] {
    while (!stop) {
      if (!catalog.Find("toddler-asthma")) ++lookups_without_asthma;
      catalog.List();
    }
  });
  std::filesystem::copy_file(FixturePath("catalog/svt/scenario.yaml"), folder / "svt.yaml");
  for (int i = 0; i < 20; ++i) catalog.Reload();
  stop = true;
  reader.join();

  EXPECT_EQ(lookups_without_asthma, 0);
  EXPECT_THAT(
      SummaryLines(catalog.List()),
      ElementsAre("child-svt <- svt.yaml (2 states)", "toddler-asthma <- asthma.yaml (2 states)"));
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace pedisim::scenario
