// Snapshots, destroys and the dependencies between changes.
#include "vmoodle/diff/compute_plan.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/sample_fleet.hpp"
#include "vmoodle/model/markers.hpp"

namespace vmoodle::diff {
namespace {

using testing::empty_live;
using testing::row_for;
using testing::sample_fleet;

std::map<std::string, Secret> passwords(const model::Fleet& fleet) {
  return testing::same_password(fleet, "pw");
}

model::LiveState registered(const model::Fleet& fleet) {
  auto live = empty_live();
  for (const auto& host : fleet.hosts) {
    live.registry.push_back(row_for(host, "pw"));
  }
  return live;
}

TEST(LifecyclePlan, SnapshotComesBeforeTheCreatesThatUseIt) {
  auto fleet = sample_fleet(3);
  auto live = empty_live();
  live.registry.push_back(row_for(fleet.hosts[0], "pw"));
  fleet.snapshots.push_back({"t2", fleet.hosts[0].vhostname, {}});
  fleet.hosts[1].template_name = "t2";
  fleet.hosts[2].template_name = "t2";
  auto plan = compute_plan(fleet, live, passwords(fleet), {});
  ASSERT_TRUE(plan) << plan.error().render();
  ASSERT_EQ(plan->changes.size(), 3u);
  EXPECT_EQ(plan->changes[0].action, plan::Action::snapshot);
  EXPECT_EQ(plan->changes[0].snapshot, "t2");
  EXPECT_EQ(plan->changes[0].vhostname, fleet.hosts[0].vhostname);
  EXPECT_EQ(plan->changes[1].depends_on, (std::vector<std::size_t>{0}));
  EXPECT_EQ(plan->changes[2].depends_on, (std::vector<std::size_t>{0}));
  EXPECT_EQ(plan->summary().snapshot, 1);
}

TEST(LifecyclePlan, SnapshotOfAHostCreatedInTheSameApplyWaitsForIt) {
  auto fleet = sample_fleet(2);
  fleet.snapshots.push_back({"t2", fleet.hosts[1].vhostname, {}});
  auto plan = compute_plan(fleet, empty_live(), passwords(fleet), {});
  ASSERT_TRUE(plan) << plan.error().render();
  ASSERT_EQ(plan->changes.size(), 3u);
  const auto& snapshot = plan->changes[2];
  EXPECT_EQ(snapshot.action, plan::Action::snapshot);
  EXPECT_EQ(snapshot.depends_on, (std::vector<std::size_t>{1}));
  EXPECT_EQ(plan->changes[1].vhostname, fleet.hosts[1].vhostname);
}

TEST(LifecyclePlan, ExistingSnapshotIsLeftAloneUnlessReplaced) {
  auto fleet = sample_fleet(1);
  auto live = registered(fleet);
  fleet.snapshots.push_back({"base45", fleet.hosts[0].vhostname, {}});
  auto plan = compute_plan(fleet, live, passwords(fleet), {});
  ASSERT_TRUE(plan);
  EXPECT_FALSE(plan->has_changes());
  PlanOptions options;
  options.replace_snapshots = {"base45"};
  auto replaced = compute_plan(fleet, live, passwords(fleet), options);
  ASSERT_TRUE(replaced);
  ASSERT_EQ(replaced->changes.size(), 1u);
  EXPECT_TRUE(replaced->changes[0].replace);
}

TEST(LifecyclePlan, AbsentHostIsDestroyedAfterAFinalSnapshot) {
  auto fleet = sample_fleet(2);
  auto live = registered(fleet);
  fleet.hosts[1].state = model::HostState::absent;
  auto plan = compute_plan(fleet, live, passwords(fleet), {});
  ASSERT_TRUE(plan) << plan.error().render();
  ASSERT_EQ(plan->changes.size(), 1u);
  const auto& change = plan->changes[0];
  EXPECT_EQ(change.action, plan::Action::destroy);
  EXPECT_EQ(change.snapshot, "final_h2_2");
  EXPECT_EQ(change.server, "db1");
  EXPECT_EQ(change.database, "vmdl_h2");
}

TEST(LifecyclePlan, FinalSnapshotCanBeTurnedOff) {
  auto fleet = sample_fleet(1);
  auto live = registered(fleet);
  fleet.hosts[0].state = model::HostState::absent;
  fleet.hosts[0].final_snapshot = false;
  auto plan = compute_plan(fleet, live, passwords(fleet), {});
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->changes[0].snapshot, "");
}

TEST(LifecyclePlan, AbsentAndUnregisteredIsNothing) {
  auto fleet = sample_fleet(1);
  fleet.hosts[0].state = model::HostState::absent;
  auto plan = compute_plan(fleet, empty_live(), passwords(fleet), {});
  ASSERT_TRUE(plan);
  EXPECT_FALSE(plan->has_changes());
}

TEST(LifecyclePlan, ProtectedHostIsNotDestroyed) {
  auto fleet = sample_fleet(1);
  auto live = registered(fleet);
  fleet.hosts[0].state = model::HostState::absent;
  fleet.hosts[0].protect = true;
  auto plan = compute_plan(fleet, live, passwords(fleet), {});
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().render().find("host is protected"), std::string::npos);
}

TEST(LifecyclePlan, MaxDestroyRefusesTheWholePlan) {
  auto fleet = sample_fleet(7);
  auto live = registered(fleet);
  for (auto& host : fleet.hosts) {
    host.state = model::HostState::absent;
  }
  auto plan = compute_plan(fleet, live, passwords(fleet), {});
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().render().find("destroys 7 hosts, more than --max-destroy 5"),
            std::string::npos)
      << plan.error().render();
  PlanOptions options;
  options.max_destroy = 7;
  EXPECT_TRUE(compute_plan(fleet, live, passwords(fleet), options));
}

TEST(LifecyclePlan, DestroyRefusedWhenTheRegistryPointsElsewhere) {
  auto fleet = sample_fleet(1);
  auto live = registered(fleet);
  live.registry[0].vdatapath = "/var/moodledata/vhosts/someone-else";
  fleet.hosts[0].state = model::HostState::absent;
  EXPECT_FALSE(compute_plan(fleet, live, passwords(fleet), {}));
}

TEST(LifecyclePlan, InterruptedDestroyResumesWithItsSnapshot) {
  auto fleet = sample_fleet(1);
  auto live = registered(fleet);
  live.registry[0].metadata = model::destroying_mark("final_h1_1");
  live.registry[0].enabled = 0;
  fleet.hosts[0].state = model::HostState::absent;
  auto plan = compute_plan(fleet, live, passwords(fleet), {});
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->changes.size(), 1u);
  EXPECT_TRUE(plan->changes[0].resume);
  EXPECT_EQ(plan->changes[0].snapshot, "final_h1_1");
}

TEST(LifecyclePlan, HalfDestroyedHostCannotBeKeptSilently) {
  auto fleet = sample_fleet(1);
  auto live = registered(fleet);
  live.registry[0].metadata = model::destroying_mark("");
  auto plan = compute_plan(fleet, live, passwords(fleet), {});
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().render().find("interrupted destroy"), std::string::npos);
}

} // namespace
} // namespace vmoodle::diff
