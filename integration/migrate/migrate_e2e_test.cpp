// End to end through the binary: a manifest that declares charset, collation, engine and
// row format in `defaults:` plans a migration per host off target, nothing for a host at
// target, lists the tables in --format json, and apply brings every table there.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/migrate/migrate_fixture.hpp"

namespace vmoodle::testing {
namespace {

TEST(MigrateEndToEnd, PlanShowsEachHostOffTargetAndApplyConverges) {
  FleetWorkspace ws("mige2e");
  auto created =
      ws.cli({"apply", "-f", ws.write_manifest(ws.manifest_head() + host_entries({"old", "older"})),
              "--auto-approve"});
  ASSERT_EQ(created.exit_code, 0) << output_of(created);
  const std::string target = head_with_defaults(ws, k_moodle_target);
  created = ws.cli({"apply", "-f", ws.write_manifest(target + host_entries({"current"}), "c.yaml"),
                    "--auto-approve"});
  ASSERT_EQ(created.exit_code, 0) << output_of(created);
  load_legacy_site(ws, ws.db("old"));
  // `older` was half-way through an earlier migration: mdl_log is done.
  load_legacy_site(ws, ws.db("older"),
                   "ALTER TABLE mdl_log ENGINE=InnoDB, ROW_FORMAT=DYNAMIC, CONVERT TO CHARACTER "
                   "SET utf8mb4 COLLATE utf8mb4_unicode_ci;");
  const std::size_t tables = table_states(ws, ws.db("old")).size();
  const auto manifest = ws.write_manifest(target + host_entries({"old", "older", "current"}));

  auto plan = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  ASSERT_EQ(plan.exit_code, 2) << output_of(plan);
  EXPECT_NE(plan.out.find("Plan: 0 to create, 0 to update, 2 to migrate, 0 to snapshot, 0 to "
                          "destroy."),
            std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("host \"" + vhost("old") + "\""), std::string::npos) << plan.out;
  EXPECT_NE(
      plan.out.find(std::to_string(tables) + " tables utf8mb3_unicode_ci → utf8mb4_unicode_ci"),
      std::string::npos)
      << plan.out;
  EXPECT_NE(
      plan.out.find(std::to_string(tables - 1) + " tables utf8mb3_unicode_ci → utf8mb4_unicode_ci"),
      std::string::npos)
      << plan.out;
  EXPECT_EQ(plan.out.find("host \"" + vhost("current") + "\""), std::string::npos) << plan.out;

  auto json_plan = ws.cli({"plan", "-f", manifest, "--format", "json"});
  ASSERT_EQ(json_plan.exit_code, 0) << output_of(json_plan);
  const auto doc = nlohmann::json::parse(json_plan.out);
  std::map<std::string, std::size_t> listed;
  for (const auto& change : doc.at("changes")) {
    ASSERT_EQ(change.at("action"), "migrate");
    listed[change.at("vhostname")] = change.at("migration").at("tables").size();
  }
  EXPECT_EQ(listed, (std::map<std::string, std::size_t>{{vhost("old"), tables},
                                                        {vhost("older"), tables - 1}}));

  auto apply = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << output_of(apply);
  EXPECT_NE(apply.out.find(vhost("old") + ": table mdl_config ("), std::string::npos) << apply.out;
  EXPECT_EQ(apply.out.find(vhost("older") + ": table mdl_log ("), std::string::npos) << apply.out;
  for (const char* host : {"old", "older", "current"}) {
    EXPECT_EQ(tables_not_at(table_states(ws, ws.db(host)), "InnoDB|Dynamic|utf8mb4_unicode_ci"),
              std::vector<std::string>{})
        << host;
    EXPECT_EQ(database_default(ws, ws.db(host)), "utf8mb4|utf8mb4_unicode_ci") << host;
  }

  auto again = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << output_of(again);
}

} // namespace
} // namespace vmoodle::testing
