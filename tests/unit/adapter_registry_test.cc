#include <gtest/gtest.h>

#include "devices/builtin_adapters.h"
#include "devices/registry.h"
#include "devices/virtual/virtual_manikin.h"

namespace pedisim::devices {
namespace {

TEST(AdapterRegistryTest, RegisteringANameTwiceIsAnError) {
  AdapterRegistry registry;
  RegisterBuiltinAdapters(registry);
  EXPECT_THROW(registry.Register("virtual-monitor", &VirtualManikin::Create), std::logic_error);
  EXPECT_EQ(registry.Names(),
            (std::vector<std::string>{"hl7-mllp", "virtual-manikin", "virtual-monitor"}));
}

TEST(AdapterRegistryTest, UnknownAdapterAndBadConfigAreNamed) {
  AdapterRegistry registry;
  RegisterBuiltinAdapters(registry);
  const auto unknown = registry.Create("warp-drive", {});
  EXPECT_EQ(unknown.error, AdapterRegistry::CreateResult::Error::kUnknownAdapter);
  EXPECT_EQ(unknown.adapter, nullptr);
  EXPECT_NE(unknown.message.find("virtual-monitor"), std::string::npos) << unknown.message;

  const auto bad_key = registry.Create("virtual-monitor", {{"colour", "green"}});
  EXPECT_EQ(bad_key.error, AdapterRegistry::CreateResult::Error::kBadConfig);
  EXPECT_NE(bad_key.message.find("colour"), std::string::npos) << bad_key.message;
}

TEST(VirtualManikinTest, ReportsScriptedActionsOnSimulatedTime) {
  AdapterRegistry registry;
  RegisterBuiltinAdapters(registry);
  auto made = registry.Create(
      "virtual-manikin",
      {{"script",
        "actions:\n  - {at_s: 1, action: {kind: oxygen}}\n"
        "  - {at_s: 1, action: {kind: suction}}\n"
        "  - {at_s: 2.5, action: {kind: drug, drug: epinephrine, dose_mg: 0.07}}\n"},
       {"script_name", "team.actions.yaml"}});
  ASSERT_NE(made.adapter, nullptr) << made.message;
  EXPECT_TRUE(made.adapter->TakeObservations(0.9).empty());
  EXPECT_EQ(made.adapter->TakeObservations(1.0).size(), 2u);
  EXPECT_TRUE(made.adapter->TakeObservations(2.4).empty());
  const auto drug = made.adapter->TakeObservations(3.0);
  ASSERT_EQ(drug.size(), 1u);
  EXPECT_EQ(drug[0].action.drug(), "epinephrine");
  EXPECT_EQ(made.adapter->StatusDetail(), "script: 3 of 3 actions reported");
}

TEST(VirtualManikinTest, BadScriptIsAConfigErrorWithItsLine) {
  AdapterRegistry registry;
  RegisterBuiltinAdapters(registry);
  const auto made = registry.Create(
      "virtual-manikin", {{"script", "actions:\n  - {at_s: soon}\n"}, {"script_name", "x.yaml"}});
  EXPECT_EQ(made.error, AdapterRegistry::CreateResult::Error::kBadConfig);
  EXPECT_NE(made.message.find("x.yaml:2:"), std::string::npos) << made.message;
}

}  // namespace
}  // namespace pedisim::devices
