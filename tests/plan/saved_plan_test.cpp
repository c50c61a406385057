#include "vmoodle/plan/saved_plan.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/sample_fleet.hpp"
#include "vmoodle/diff/compute_plan.hpp"
#include "vmoodle/diff/drift.hpp"

namespace vmoodle::plan {
namespace {

using testing::empty_live;
using testing::row_for;
using testing::sample_fleet;

std::map<std::string, Secret> passwords(const model::Fleet& fleet) {
  return testing::same_password(fleet, "pw-secret");
}

struct SavedPlanTest : ::testing::Test {
  void SetUp() override {
    fleet = sample_fleet(3);
    live = empty_live();
    for (const auto& host : fleet.hosts) {
      live.registry.push_back(row_for(host, "pw-secret"));
    }
    for (auto& host : fleet.hosts) {
      host.name += " renamed";
    }
    auto made = diff::compute_plan(fleet, live, passwords(fleet), {});
    ASSERT_TRUE(made);
    saved.tool_version = "0.1.0";
    saved.manifest = {"/srv/fleet.yaml", sha256_hex("manifest"), "", "", false};
    saved.salt = "0123456789abcdef";
    saved.plan = *made;
    saved.fingerprints = plan_fingerprints(saved.plan, fleet, live, saved.salt);
  }
  model::Fleet fleet;
  model::LiveState live;
  SavedPlan saved;
};

TEST_F(SavedPlanTest, RoundTripsThroughItsText) {
  const auto text = saved_plan_text(saved);
  EXPECT_EQ(text.find("pw-secret"), std::string::npos);
  auto back = parse_saved_plan(text, "p.json");
  ASSERT_TRUE(back) << back.error().render();
  EXPECT_EQ(back->manifest.path, "/srv/fleet.yaml");
  EXPECT_EQ(back->fingerprints, saved.fingerprints);
  ASSERT_EQ(back->plan.changes.size(), 3u);
  EXPECT_EQ(back->plan.changes[1].fields[0].after, "School h2 renamed");
  EXPECT_EQ(saved_plan_text(*back), text);
}

TEST_F(SavedPlanTest, UnchangedLiveStateIsNotStale) {
  auto again = diff::compute_plan(fleet, live, passwords(fleet), {});
  ASSERT_TRUE(again);
  EXPECT_TRUE(
      stale_changes(saved, plan_fingerprints(saved.plan, fleet, live, saved.salt), *again).empty());
}

TEST_F(SavedPlanTest, AHandEditMakesOnlyThatHostStale) {
  live.registry[1].description = "edited by hand";
  auto again = diff::compute_plan(fleet, live, passwords(fleet), {});
  ASSERT_TRUE(again);
  auto stale = stale_changes(saved, plan_fingerprints(saved.plan, fleet, live, saved.salt), *again);
  ASSERT_EQ(stale.size(), 1u);
  EXPECT_EQ(stale[0].label, "https://h2.example.org");
  EXPECT_EQ(stale[0].moved, (std::vector<std::string>{"registry row"}));
}

TEST_F(SavedPlanTest, FingerprintsHideThePasswordAndDependOnTheSalt) {
  const auto a = host_fingerprint(fleet.hosts[0], live, "salt-a");
  const auto b = host_fingerprint(fleet.hosts[0], live, "salt-b");
  EXPECT_NE(a.registry, b.registry);
  live.registry[0].vdbpass = "other";
  EXPECT_NE(host_fingerprint(fleet.hosts[0], live, "salt-a").registry, a.registry);
}

TEST_F(SavedPlanTest, RejectsOtherFilesClearly) {
  EXPECT_FALSE(parse_saved_plan("not json", "x"));
  auto wrong = parse_saved_plan("{\"format_version\": 2}", "x");
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("format 2 is not supported"), std::string::npos);
}

TEST(PlanWithout, DropsDependentsAndRenumbers) {
  Plan plan;
  HostChange snapshot;
  snapshot.action = Action::snapshot;
  snapshot.snapshot = "t";
  HostChange create;
  create.action = Action::create;
  create.vhostname = "https://c.org";
  create.depends_on = {0};
  HostChange other;
  other.action = Action::update;
  other.vhostname = "https://o.org";
  plan.changes = {snapshot, create, other};
  std::vector<std::string> also;
  auto kept = plan.without({0}, &also);
  ASSERT_EQ(kept.changes.size(), 1u);
  EXPECT_EQ(kept.changes[0].vhostname, "https://o.org");
  EXPECT_EQ(also, (std::vector<std::string>{"https://c.org"}));
  auto partial = plan.without({2});
  ASSERT_EQ(partial.changes.size(), 2u);
  EXPECT_EQ(partial.changes[1].depends_on, (std::vector<std::size_t>{0}));
}

TEST(Drift, RegistryEditsUnmanagedAndMissingDataAreDrift) {
  Plan plan;
  HostChange update;
  update.action = Action::update;
  update.vhostname = "https://a.org";
  update.fields = {{"name", "Hand", "Manifest", false}};
  HostChange create;
  create.action = Action::create;
  create.vhostname = "https://new.org";
  plan.changes = {update, create};
  plan.unmanaged.push_back({"https://x.org", "vmdl_x", "db"});
  plan.warnings.push_back("https://b.org: database vmdl_b is missing");
  auto items = diff::drift_items(plan);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].kind, "registry");
  EXPECT_EQ(items[0].detail, "name: \"Hand\" (live) != \"Manifest\" (manifest)");
  EXPECT_EQ(items[1].kind, "missing");
  EXPECT_EQ(items[2].kind, "unmanaged");
}

} // namespace
} // namespace vmoodle::plan
