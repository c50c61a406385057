// Plans for hosts with `manage_db_user`: the account line, no password compared, and a
// refused change of account on an existing host.
#include <gtest/gtest.h>

#include "tests/fakes/sample_fleet.hpp"
#include "vmoodle/diff/compute_plan.hpp"

namespace vmoodle::diff {
namespace {

using testing::empty_live;
using testing::row_for;
using testing::sample_fleet;

model::Fleet managed_fleet() {
  auto fleet = sample_fleet(1);
  model::Host& host = fleet.hosts.front();
  host.manage_db_user = true;
  host.db_password.reset();
  host.db_user = "m_one";
  return fleet;
}

bool has_note(const plan::HostChange& change, const std::string& note) {
  for (const auto& line : change.notes) {
    if (line == note) {
      return true;
    }
  }
  return false;
}

TEST(ManagedAccountPlan, CreateShowsTheAccountWithoutAnyPassword) {
  auto fleet = managed_fleet();
  auto plan = compute_plan(fleet, empty_live(), {}, {});
  ASSERT_TRUE(plan) << plan.error().render();
  ASSERT_FALSE(plan->changes.empty());
  const auto& change = plan->changes.front();
  EXPECT_EQ(change.action, plan::Action::create);
  EXPECT_TRUE(
      has_note(change, "+ account 'm_one'@'%' (password generated, stored in the registry)"));
}

TEST(ManagedAccountPlan, TheGeneratedPasswordIsNeverCompared) {
  auto fleet = managed_fleet();
  auto live = empty_live();
  live.registry.push_back(row_for(fleet.hosts.front(), "GeneratedByApply0123456789abcdef"));
  auto plan = compute_plan(fleet, live, {}, {});
  ASSERT_TRUE(plan) << plan.error().render();
  EXPECT_FALSE(plan->has_changes());
}

TEST(ManagedAccountPlan, ChangingTheAccountOfAnExistingHostIsRefused) {
  auto fleet = managed_fleet();
  auto live = empty_live();
  model::RegistryRow row = row_for(fleet.hosts.front(), "x");
  row.vdblogin = "moodle";
  live.registry.push_back(row);
  auto plan = compute_plan(fleet, live, {}, {});
  ASSERT_FALSE(plan);
  ASSERT_EQ(plan.error().causes.size(), 1u);
  EXPECT_NE(plan.error().causes.front().message.find("vdblogin is `moodle`"), std::string::npos)
      << plan.error().render();
}

TEST(ManagedAccountPlan, DestroyShowsTheAccountItDrops) {
  auto fleet = managed_fleet();
  auto live = empty_live();
  live.registry.push_back(row_for(fleet.hosts.front(), "x"));
  fleet.hosts.front().state = model::HostState::absent;
  fleet.hosts.front().final_snapshot = false;
  auto plan = compute_plan(fleet, live, {}, {});
  ASSERT_TRUE(plan) << plan.error().render();
  ASSERT_FALSE(plan->changes.empty());
  EXPECT_TRUE(
      has_note(plan->changes.front(), "- account 'm_one'@'%' (dropped after the database)"));
}

} // namespace
} // namespace vmoodle::diff
