// Site settings: the per-key diff, the `configure` change and how plans carry it.
#include "vmoodle/diff/settings_diff.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/sample_fleet.hpp"
#include "vmoodle/diff/compute_plan.hpp"
#include "vmoodle/diff/drift.hpp"
#include "vmoodle/plan/fingerprint.hpp"
#include "vmoodle/plan/plan_codec.hpp"
#include "vmoodle/render/plan_text.hpp"

namespace vmoodle::diff {
namespace {

using testing::empty_live;
using testing::k_sample_password;
using testing::row_for;
using testing::sample_fleet;
using testing::sample_passwords;

model::Settings wanted() {
  model::Settings settings;
  settings.config = {{"theme", "boost"}, {"stringfilters", ""}, {"forcelogin", "1"}};
  settings.plugins = {{{"mod_forum", "maxbytes"}, "512000"}};
  return settings;
}

model::SettingsFacts live_facts() {
  model::SettingsFacts facts;
  facts.read = true;
  facts.config = {{"theme", "boost"}, {"stringfilters", ""}, {"forcelogin", "1"}};
  facts.plugins = {{{"mod_forum", "maxbytes"}, "512000"}};
  return facts;
}

// A fleet of registered hosts with settings, their databases read and matching.
struct Fixture {
  model::Fleet fleet = sample_fleet(2);
  model::LiveState live = empty_live();
  Fixture() {
    for (auto& host : fleet.hosts) {
      host.settings = wanted();
      live.registry.push_back(row_for(host, k_sample_password));
      live.databases[{"db1", host.database}] = {true, "utf8mb4", "utf8mb4_unicode_ci", "", {}};
      live.settings[{"db1", host.database}] = live_facts();
    }
  }
  model::SettingsFacts& facts(int i) { return live.settings[{"db1", fleet.hosts[i].database}]; }
  plan::Plan plan() {
    auto result = compute_plan(fleet, live, sample_passwords(fleet), {});
    EXPECT_TRUE(result) << (result ? "" : result.error().render());
    return result ? *result : plan::Plan{};
  }
};

TEST(SettingsDiff, MatchingSettingsGiveNoChange) {
  EXPECT_TRUE(settings_changes(wanted(), live_facts()).empty());
}

TEST(SettingsDiff, EachDifferingKeyIsOneChange) {
  auto facts = live_facts();
  facts.config["theme"] = "classic";
  facts.plugins[{"mod_forum", "maxbytes"}] = "0";
  // Settings the manifest does not name are never looked at.
  facts.config["lang"] = "fr";
  facts.plugins[{"mod_forum", "maxattachments"}] = "9";
  auto changes = settings_changes(wanted(), facts);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0], (plan::SettingChange{"", "theme", "classic", "boost"}));
  EXPECT_EQ(changes[1], (plan::SettingChange{"mod_forum", "maxbytes", "0", "512000"}));
}

TEST(SettingsDiff, AbsentIsNotEmpty) {
  auto facts = live_facts();
  facts.config.erase("stringfilters");
  auto changes = settings_changes(wanted(), facts);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].name, "stringfilters");
  EXPECT_FALSE(changes[0].before.has_value());
  EXPECT_EQ(changes[0].after, "");

  // And an empty live value is a change towards a non-empty one, not "absent".
  facts = live_facts();
  facts.config["theme"] = "";
  changes = settings_changes(wanted(), facts);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].before, std::optional<std::string>(""));
}

TEST(SettingsDiff, ValuesCompareExactly) {
  auto facts = live_facts();
  facts.config["theme"] = "Boost";
  EXPECT_EQ(settings_changes(wanted(), facts).size(), 1u);
  facts.config["theme"] = "boost ";
  EXPECT_EQ(settings_changes(wanted(), facts).size(), 1u);
}

TEST(SettingsPlan, OnlyTheHostWithDriftIsConfigured) {
  Fixture f;
  f.facts(1).config["theme"] = "classic";
  const auto plan = f.plan();
  ASSERT_EQ(plan.changes.size(), 1u);
  const auto& change = plan.changes[0];
  EXPECT_EQ(change.action, plan::Action::configure);
  EXPECT_EQ(change.vhostname, "https://h2.example.org");
  ASSERT_EQ(change.settings.size(), 1u);
  EXPECT_EQ(change.settings[0], (plan::SettingChange{"", "theme", "classic", "boost"}));
  EXPECT_EQ(plan.summary().configure, 1);
  EXPECT_TRUE(change.depends_on.empty());
}

TEST(SettingsPlan, MatchingFleetPlansNothing) {
  Fixture f;
  EXPECT_FALSE(f.plan().has_changes());
}

TEST(SettingsPlan, HostToCreateSetsEveryKeyAfterItsCreate) {
  Fixture f;
  f.live.registry.clear();
  f.live.databases.clear();
  f.live.settings.clear();
  f.fleet.hosts.resize(1);
  const auto plan = f.plan();
  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[0].action, plan::Action::create);
  const auto& configure = plan.changes[1];
  EXPECT_EQ(configure.action, plan::Action::configure);
  EXPECT_EQ(configure.depends_on, std::vector<std::size_t>{0});
  ASSERT_EQ(configure.settings.size(), 4u);
  for (const auto& setting : configure.settings) {
    EXPECT_FALSE(setting.before.has_value()) << setting.name;
  }
  // Pending work, not drift.
  for (const auto& item : drift_items(plan)) {
    EXPECT_NE(item.kind, "settings") << item.detail;
  }
}

TEST(SettingsPlan, AbsentHostGetsNoConfigure) {
  Fixture f;
  f.fleet.hosts[0].state = model::HostState::absent;
  f.fleet.hosts[0].final_snapshot = false;
  f.facts(0).config["theme"] = "classic";
  const auto plan = f.plan();
  ASSERT_EQ(plan.changes.size(), 1u);
  EXPECT_EQ(plan.changes[0].action, plan::Action::destroy);
}

TEST(SettingsPlan, UnreadableSettingsAreAWarningNotAChange) {
  Fixture f;
  f.facts(0).read = false;
  const auto plan = f.plan();
  EXPECT_FALSE(plan.has_changes());
  ASSERT_EQ(plan.warnings.size(), 1u);
  EXPECT_NE(plan.warnings[0].find("site settings not read"), std::string::npos);
}

TEST(SettingsPlan, ConfigureRunsAfterTheHostsMigration) {
  Fixture f;
  f.fleet.hosts[0].engine = "InnoDB";
  model::TableFacts table;
  table.name = "mdl_config";
  table.engine = "MyISAM";
  f.live.databases[{"db1", "vmdl_h1"}].tables.push_back(table);
  f.facts(0).config["theme"] = "classic";
  const auto plan = f.plan();
  ASSERT_EQ(plan.changes.size(), 2u);
  EXPECT_EQ(plan.changes[0].action, plan::Action::migrate);
  EXPECT_EQ(plan.changes[1].action, plan::Action::configure);
  EXPECT_EQ(plan.changes[1].depends_on, std::vector<std::size_t>{0});
}

TEST(SettingsPlan, TextJsonAndDriftShowEachKey) {
  Fixture f;
  f.facts(0).config["theme"] = "classic";
  f.facts(0).plugins.erase({"mod_forum", "maxbytes"});
  const auto plan = f.plan();
  const std::string text = render::plan_text(plan);
  EXPECT_NE(text.find("# https://h1.example.org site settings will be changed, caches purged"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("      ~ config.theme = \"classic\" -> \"boost\"\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("      + config_plugins.mod_forum.maxbytes = \"512000\"\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("forcelogin"), std::string::npos) << "matching keys are not shown";
  EXPECT_NE(text.find("Plan: 0 to create, 0 to update, 1 to configure, 0 to migrate"),
            std::string::npos)
      << text;

  const auto json = plan::to_json(plan);
  EXPECT_EQ(json["summary"]["configure"], 1);
  const auto& settings = json["changes"][0]["settings"];
  ASSERT_EQ(settings.size(), 2u);
  EXPECT_EQ(settings[0]["key"], "config.theme");
  EXPECT_EQ(settings[0]["before"], "classic");
  EXPECT_TRUE(settings[1]["before"].is_null());
  auto back = plan::plan_from_json(json);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->changes[0].action, plan::Action::configure);
  EXPECT_EQ(back->changes[0].settings, plan.changes[0].settings);

  const auto items = drift_items(plan);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].host, "https://h1.example.org");
  EXPECT_EQ(items[0].kind, "settings");
  EXPECT_EQ(items[0].detail, "config.theme: \"classic\" (live) != \"boost\" (manifest)");
  EXPECT_EQ(items[1].detail,
            "config_plugins.mod_forum.maxbytes: absent (live) != \"512000\" (manifest)");
}

TEST(SettingsPlan, ValuesCannotForgeOutputLines) {
  Fixture f;
  f.facts(0).config["theme"] = "x\nPlan: 0 to create";
  const std::string text = render::plan_text(f.plan());
  EXPECT_EQ(text.find("\nPlan: 0 to create\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"x\\nPlan: 0 to create\""), std::string::npos) << text;
}

TEST(SettingsFingerprint, MovesWithAManagedKeyOnly) {
  Fixture f;
  const auto& host = f.fleet.hosts[0];
  const auto before = plan::host_fingerprint(host, f.live, "salt");
  f.facts(0).config["lang"] = "de"; // not managed
  EXPECT_EQ(plan::host_fingerprint(host, f.live, "salt"), before);
  f.facts(0).config["theme"] = "classic";
  const auto after = plan::host_fingerprint(host, f.live, "salt");
  EXPECT_EQ(after.moved(before), std::vector<std::string>{"settings"});
  // Deleting a row is not the same as emptying it.
  f.facts(0).config["theme"] = "";
  const auto emptied = plan::host_fingerprint(host, f.live, "salt");
  f.facts(0).config.erase("theme");
  EXPECT_NE(plan::host_fingerprint(host, f.live, "salt"), emptied);
}

} // namespace
} // namespace vmoodle::diff
