#include "vmoodle/diff/compute_plan.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/sample_fleet.hpp"
#include "vmoodle/model/markers.hpp"

namespace vmoodle::diff {
namespace {

using testing::empty_live;
using testing::k_sample_password;
using testing::row_for;
using testing::sample_fleet;
using testing::sample_passwords;

TEST(ComputePlan, NewHostsAreCreatedWithEveryColumn) {
  auto fleet = sample_fleet(3);
  auto plan = compute_plan(fleet, empty_live(), sample_passwords(fleet), {});
  ASSERT_TRUE(plan) << plan.error().render();
  ASSERT_EQ(plan->changes.size(), 3u);
  EXPECT_EQ(plan->summary().create, 3);
  const auto& change = plan->changes[0];
  EXPECT_EQ(change.action, plan::Action::create);
  EXPECT_EQ(change.template_name, "base45");
  EXPECT_EQ(change.fields.size(), 14u);
  for (const auto& field : change.fields) {
    if (field.column == "vdbpass") {
      EXPECT_TRUE(field.sensitive);
      EXPECT_EQ(field.after, "(sensitive)");
    }
    if (field.column == "vdbhost") {
      EXPECT_EQ(field.after, "db1.internal");
    }
    EXPECT_EQ(field.after.find(k_sample_password), std::string::npos);
  }
}

TEST(ComputePlan, MatchingRegistryRowsPlanNothing) {
  auto fleet = sample_fleet(2);
  auto live = empty_live();
  for (const auto& host : fleet.hosts) {
    live.registry.push_back(row_for(host, k_sample_password));
  }
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_TRUE(plan) << plan.error().render();
  EXPECT_FALSE(plan->has_changes());
}

TEST(ComputePlan, UpdateListsExactlyTheFieldsThatDiffer) {
  auto fleet = sample_fleet(2);
  auto live = empty_live();
  for (const auto& host : fleet.hosts) {
    live.registry.push_back(row_for(host, k_sample_password));
  }
  fleet.hosts[1].name = "Lycée Kléber";
  fleet.hosts[1].enabled = false;
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_TRUE(plan) << plan.error().render();
  ASSERT_EQ(plan->changes.size(), 1u);
  const auto& change = plan->changes[0];
  EXPECT_EQ(change.vhostname, "https://h2.example.org");
  EXPECT_EQ(change.action, plan::Action::update);
  ASSERT_EQ(change.fields.size(), 2u);
  EXPECT_EQ(change.fields[0].column, "name");
  EXPECT_EQ(change.fields[0].before, "School h2");
  EXPECT_EQ(change.fields[0].after, "Lycée Kléber");
  EXPECT_EQ(change.fields[1].column, "enabled");
  EXPECT_EQ(change.fields[1].before, "1");
  EXPECT_EQ(change.fields[1].after, "0");
}

TEST(ComputePlan, PasswordChangeIsSensitive) {
  auto fleet = sample_fleet(1);
  auto live = empty_live();
  live.registry.push_back(row_for(fleet.hosts[0], "old-password"));
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->changes.size(), 1u);
  ASSERT_EQ(plan->changes[0].fields.size(), 1u);
  const auto& field = plan->changes[0].fields[0];
  EXPECT_EQ(field.column, "vdbpass");
  EXPECT_TRUE(field.sensitive);
  EXPECT_EQ(field.before, "(sensitive)");
  EXPECT_EQ(field.after, "(sensitive)");
}

TEST(ComputePlan, UnmanagedRowsAreListedNotTouched) {
  auto fleet = sample_fleet(1);
  auto live = empty_live();
  live.registry.push_back(row_for(fleet.hosts[0], k_sample_password));
  model::RegistryRow stranger;
  stranger.vhostname = "https://legacy.example.org";
  stranger.vdbname = "vmdl_legacy";
  live.registry.push_back(stranger);
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_TRUE(plan);
  EXPECT_FALSE(plan->has_changes());
  ASSERT_EQ(plan->unmanaged.size(), 1u);
  EXPECT_EQ(plan->unmanaged[0].vhostname, "https://legacy.example.org");
}

TEST(ComputePlan, ForeignDatabaseIsAConflict) {
  auto fleet = sample_fleet(2);
  auto live = empty_live();
  live.databases[{"db1", "vmdl_h2"}] = {true, "utf8mb4", "utf8mb4_unicode_ci", "", {}};
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_FALSE(plan);
  ASSERT_EQ(plan.error().causes.size(), 1u);
  const auto& cause = plan.error().causes[0];
  EXPECT_EQ(cause.kind, ErrorKind::conflict);
  EXPECT_NE(cause.message.find("vmdl_h2 already exists"), std::string::npos);
  EXPECT_NE(cause.where.find("https://h2.example.org"), std::string::npos);
}

TEST(ComputePlan, OwnInterruptedCreateIsResumed) {
  auto fleet = sample_fleet(1);
  auto live = empty_live();
  live.databases[{"db1", "vmdl_h1"}] = {
      true, "utf8mb4", "utf8mb4_unicode_ci", model::creating_comment("https://h1.example.org"), {}};
  model::DatarootFacts dir;
  dir.exists = dir.is_dir = true;
  dir.creating_for = "https://h1.example.org";
  live.dataroots["/var/moodledata/vhosts/h1"] = dir;
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_TRUE(plan) << plan.error().render();
  ASSERT_EQ(plan->changes.size(), 1u);
  EXPECT_TRUE(plan->changes[0].resume);
}

TEST(ComputePlan, AnotherHostsCreationMarkIsStillAConflict) {
  auto fleet = sample_fleet(1);
  auto live = empty_live();
  live.databases[{"db1", "vmdl_h1"}] = {
      true, "utf8mb4", "utf8mb4_unicode_ci", model::creating_comment("https://other.org"), {}};
  EXPECT_FALSE(compute_plan(fleet, live, sample_passwords(fleet), {}));
}

TEST(ComputePlan, ExistingDatarootIsAConflict) {
  auto fleet = sample_fleet(1);
  auto live = empty_live();
  model::DatarootFacts dir;
  dir.exists = dir.is_dir = true;
  live.dataroots["/var/moodledata/vhosts/h1"] = dir;
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().render().find("dataroot /var/moodledata/vhosts/h1 already exists"),
            std::string::npos);
}

TEST(ComputePlan, DuplicateRegistryRowsAreAConflict) {
  auto fleet = sample_fleet(1);
  auto live = empty_live();
  live.registry.push_back(row_for(fleet.hosts[0], k_sample_password));
  live.registry.push_back(row_for(fleet.hosts[0], k_sample_password));
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().render().find("2 registry rows"), std::string::npos);
}

TEST(ComputePlan, MovingADatabaseIsRefused) {
  auto fleet = sample_fleet(1);
  auto live = empty_live();
  auto row = row_for(fleet.hosts[0], k_sample_password);
  row.vdbname = "vmdl_elsewhere";
  live.registry.push_back(row);
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().render().find("moving a host is not supported"), std::string::npos);
}

TEST(ComputePlan, MissingTemplateIsAnError) {
  auto fleet = sample_fleet(1);
  auto live = empty_live();
  live.templates.clear();
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_FALSE(plan);
  EXPECT_NE(plan.error().render().find("template `base45` is not usable"), std::string::npos);
}

TEST(ComputePlan, EveryProblemIsReportedAtOnce) {
  auto fleet = sample_fleet(3);
  auto live = empty_live();
  live.databases[{"db1", "vmdl_h1"}] = {true, "utf8mb4", "", "", {}};
  live.databases[{"db1", "vmdl_h3"}] = {true, "utf8mb4", "", "", {}};
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().causes.size(), 2u);
}

TEST(ComputePlan, HostFilterLimitsTheChanges) {
  auto fleet = sample_fleet(3);
  PlanOptions options;
  options.only_hosts = {"https://h2.example.org"};
  auto plan = compute_plan(fleet, empty_live(), sample_passwords(fleet), options);
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->changes.size(), 1u);
  EXPECT_EQ(plan->changes[0].vhostname, "https://h2.example.org");
}

TEST(ComputePlan, UnknownHostFilterIsAnError) {
  auto fleet = sample_fleet(1);
  PlanOptions options;
  options.only_hosts = {"https://nope.example.org"};
  auto plan = compute_plan(fleet, empty_live(), sample_passwords(fleet), options);
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().kind, ErrorKind::usage);
  EXPECT_NE(plan.error().message.find("unknown host https://nope.example.org"), std::string::npos);
}

TEST(ComputePlan, OverlongPasswordIsRefusedWithoutShowingIt) {
  auto fleet = sample_fleet(1);
  std::map<std::string, Secret> long_password{
      {fleet.hosts[0].vhostname, Secret(std::string(40, 'x'))}};
  auto plan = compute_plan(fleet, empty_live(), long_password, {});
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().render().find(std::string(40, 'x')), std::string::npos);
}

TEST(ComputePlan, MnetNewIsNotComparedOnceCreated) {
  auto fleet = sample_fleet(1);
  fleet.hosts[0].mnet = {true, 0};
  auto live = empty_live();
  auto row = row_for(fleet.hosts[0], k_sample_password);
  row.mnet = 7;
  live.registry.push_back(row);
  auto plan = compute_plan(fleet, live, sample_passwords(fleet), {});
  ASSERT_TRUE(plan);
  EXPECT_FALSE(plan->has_changes());
}

} // namespace
} // namespace vmoodle::diff
