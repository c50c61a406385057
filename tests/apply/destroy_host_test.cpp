#include "vmoodle/apply/destroy_host.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "tests/fakes/fake_connection.hpp"
#include "tests/fakes/fake_effects.hpp"
#include "tests/fakes/fake_world.hpp"
#include "tests/fakes/memory_file_system.hpp"
#include "tests/fakes/sample_fleet.hpp"
#include "vmoodle/model/markers.hpp"

namespace vmoodle::apply {
namespace {

using namespace vmoodle::testing;

constexpr const char* k_host = "https://h1.example.org";
constexpr const char* k_row_query = "`vdbprefix`, `metadata` FROM";
constexpr const char* k_schemata = "information_schema.SCHEMATA";
constexpr const char* k_mnet_tables = "AND TABLE_NAME IN (";
constexpr const char* k_mnet_ids = "SELECT `id` FROM `moodle`.`mdl_mnet_host`";

const std::vector<std::string> k_all_mnet_tables = {"mdl_mnet_host",
                                                    "mdl_mnet_host2service",
                                                    "mdl_mnetservice_enrol_courses",
                                                    "mdl_mnetservice_enrol_enrolments",
                                                    "mdl_mnet_log",
                                                    "mdl_mnet_session",
                                                    "mdl_mnet_sso_access_control"};

db::ResultSet one_column(const std::vector<std::string>& values) {
  db::ResultSet out{{"value"}, {}};
  for (const auto& value : values) {
    out.rows.push_back({value});
  }
  return out;
}

// Host h1 lives on its own server db2; the master (and registry) on db1.
class DestroyHostTest : public ::testing::Test, public vmoodle::testing::FakeWorld {
protected:
  void SetUp() override {
    fleet = sample_fleet(2);
    model::Server db2 = fleet.servers.at("db1");
    db2.name = "db2";
    db2.host = "10.0.0.2";
    fleet.servers["db2"] = db2;
    fleet.hosts[0].server = "db2";
    fleet.hosts[0].state = model::HostState::absent;
    live = empty_live();
    row = row_for(fleet.hosts[0], "moodle-pw");
    row.id = 12;
    live.registry.push_back(row);
    live.registry.push_back(row_for(fleet.hosts[1], "moodle-pw"));

    secrets.values = {{"DB1_PASSWORD", "admin-pw"}, {"MOODLE_DB_PASSWORD", "moodle-pw"}};
    files.add_file(std::string(k_h1_dataroot) + "/filedir/ab/cd/abcd", "bytes");
    files.add_file("/var/moodledata/vhosts/h2/keep", "other host");

    change.vhostname = k_host;
    change.action = plan::Action::destroy;
    change.server = "db2";
    change.database = "vmdl_h1";
    change.dataroot = k_h1_dataroot;
  }

  void registry_says(const std::string& vdbname, const std::string& vdatapath,
                     const std::string& metadata = "", const std::string& prefix = "mdl_") {
    db.answer(k_row_query,
              {{"id", "vdbname", "vdatapath", "vdbprefix", "metadata"},
               {{std::string("12"), vdbname, vdatapath, prefix,
                 metadata.empty() ? std::nullopt : std::optional<std::string>(metadata)}}});
  }
  void registry_as_planned(const std::string& metadata = "") {
    registry_says("vmdl_h1", k_h1_dataroot, metadata);
  }

  Status run() {
    ActionContext ctx{fleet, live, effects()};
    return destroy_host(change, ctx);
  }

  int index_of(const std::string& needle) const { return db.index_of(needle); }
  std::string server_of(const std::string& needle) const {
    const int i = index_of(needle);
    return i < 0 ? "" : db.log[static_cast<std::size_t>(i)].first;
  }
  bool wrote_anything() const {
    return std::any_of(db.log.begin(), db.log.end(), [](const auto& entry) {
      const std::string& sql = entry.second;
      return sql.rfind("UPDATE", 0) == 0 || sql.rfind("DELETE", 0) == 0 ||
             sql.rfind("DROP", 0) == 0;
    });
  }

  model::Fleet fleet;
  model::LiveState live;
  model::RegistryRow row;
  plan::HostChange change;
};

TEST_F(DestroyHostTest, StepsRunInOrderAndTheDatabaseIsDroppedOnTheHostsOwnServer) {
  registry_as_planned();
  db.answer(k_mnet_tables, one_column(k_all_mnet_tables));
  db.answer(k_mnet_ids, one_column({"7"}));

  auto status = run();
  ASSERT_TRUE(status) << status.error().render();
  EXPECT_EQ(reporter.events, (std::vector<std::string>{"https://h1.example.org|disable|done",
                                                       "https://h1.example.org|database|done",
                                                       "https://h1.example.org|dataroot|done",
                                                       "https://h1.example.org|mnet|done",
                                                       "https://h1.example.org|registry|done"}));

  const int disable = index_of("UPDATE `moodle`.`mdl_local_vmoodle` SET `enabled` = 0, "
                               "`metadata` = 'vmoodle-apply: destroying; final snapshot none' "
                               "WHERE `id` = 12 AND `vhostname` = 'https://h1.example.org'");
  const int drop = index_of("DROP DATABASE IF EXISTS `vmdl_h1`");
  const int mnet = index_of("DELETE FROM `moodle`.`mdl_mnet_host` WHERE `id` IN (7)");
  const int unregister = index_of("DELETE FROM `moodle`.`mdl_local_vmoodle` WHERE `id` = 12 AND "
                                  "`vhostname` = 'https://h1.example.org'");
  ASSERT_GE(disable, 0);
  EXPECT_GT(drop, disable);
  EXPECT_GT(mnet, drop);
  EXPECT_GT(unregister, mnet);
  EXPECT_EQ(unregister, static_cast<int>(db.log.size()) - 1) << "the registry row goes last";
  EXPECT_EQ(server_of("DROP DATABASE"), "db2");
  EXPECT_EQ(server_of("UPDATE `moodle`"), "db1");
  EXPECT_EQ(server_of("DELETE FROM `moodle`.`mdl_local_vmoodle`"), "db1");
  EXPECT_EQ(db.statements_matching("DROP DATABASE").size(), 1u);

  EXPECT_FALSE(files.has(k_h1_dataroot));
  EXPECT_FALSE(files.has(std::string(k_h1_dataroot) + "/filedir/ab/cd/abcd"));
  EXPECT_TRUE(files.has("/var/moodledata/vhosts/h2/keep"));
  // Every dependent MNet table, by the column Moodle names the host with, before mnet_host.
  for (const char* expected :
       {"DELETE FROM `moodle`.`mdl_mnet_host2service` WHERE `hostid` IN (7)",
        "DELETE FROM `moodle`.`mdl_mnet_session` WHERE `mnethostid` IN (7)",
        "DELETE FROM `moodle`.`mdl_mnet_sso_access_control` WHERE `mnet_host_id` IN (7)"}) {
    const int at = index_of(expected);
    EXPECT_GT(at, drop) << expected;
    EXPECT_LT(at, mnet) << expected;
  }
}

TEST_F(DestroyHostTest, NoMnetHostTableMeansNoMnetStatements) {
  registry_as_planned();
  auto status = run();
  ASSERT_TRUE(status) << status.error().render();
  EXPECT_EQ(index_of(k_mnet_ids), -1);
  EXPECT_TRUE(db.statements_matching("mnet_").size() == 1u) << "only the existence query";
}

TEST_F(DestroyHostTest, MissingDependentTablesAreSkipped) {
  registry_as_planned();
  db.answer(k_mnet_tables, one_column({"mdl_mnet_host", "mdl_mnet_log"}));
  db.answer(k_mnet_ids, one_column({"5", "8"}));
  auto status = run();
  ASSERT_TRUE(status) << status.error().render();
  EXPECT_EQ(db.statements_matching("DELETE FROM `moodle`.`mdl_mnet").size(), 2u);
  EXPECT_GE(index_of("DELETE FROM `moodle`.`mdl_mnet_log` WHERE `hostid` IN (5, 8)"), 0);
  EXPECT_EQ(index_of("DELETE FROM `moodle`.`mdl_mnet_session`"), -1);
}

TEST_F(DestroyHostTest, DatarootSymlinkedOutsideItsRootIsRefusedBeforeAnythingHappens) {
  registry_as_planned();
  files.remove_tree(k_h1_dataroot, fleet.dataroot_roots);
  files.add_file("/srv/elsewhere/sentinel", "keep me");
  files.add_symlink(k_h1_dataroot, "/srv/elsewhere");

  auto status = run();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::unsafe);
  EXPECT_NE(status.error().message.find("dataroot " + std::string(k_h1_dataroot) + " is a symlink"),
            std::string::npos)
      << status.error().render();
  EXPECT_NE(status.error().where.find("https://h1.example.org (prepare)"), std::string::npos);
  EXPECT_NE(status.error().hint.find("nothing was removed"), std::string::npos);
  EXPECT_EQ(reporter.events, (std::vector<std::string>{"https://h1.example.org|prepare|failed"}));
  EXPECT_FALSE(wrote_anything());
  EXPECT_TRUE(files.has("/srv/elsewhere/sentinel"));
  EXPECT_TRUE(files.has(k_h1_dataroot));
}

TEST_F(DestroyHostTest, DatarootWhoseParentLeadsOutIsRefused) {
  files.remove_tree(k_h1_dataroot, fleet.dataroot_roots);
  fleet.hosts[0].dataroot = "/var/moodledata/vhosts/link/h1";
  change.dataroot = fleet.hosts[0].dataroot;
  registry_says("vmdl_h1", fleet.hosts[0].dataroot);
  files.add_file("/srv/elsewhere/h1/sentinel", "keep me");
  files.add_symlink("/var/moodledata/vhosts/link", "/srv/elsewhere");

  auto status = run();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::unsafe);
  EXPECT_NE(status.error().message.find("resolves outside dataroot_roots"), std::string::npos)
      << status.error().render();
  EXPECT_FALSE(wrote_anything());
  EXPECT_TRUE(files.has("/srv/elsewhere/h1/sentinel"));
}

TEST_F(DestroyHostTest, RegistryPointingElsewhereIsRefused) {
  registry_says("vmdl_other", k_h1_dataroot);
  auto status = run();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::conflict);
  EXPECT_NE(status.error().message.find("points at database vmdl_other"), std::string::npos)
      << status.error().render();
  EXPECT_FALSE(wrote_anything());
  EXPECT_TRUE(files.has(k_h1_dataroot));
}

TEST_F(DestroyHostTest, RegistryRowGoneSincePlanIsRefused) {
  auto status = run(); // the registry now has no row for the host
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::conflict);
  EXPECT_NE(status.error().message.find("changed since the plan"), std::string::npos);
  EXPECT_NE(status.error().hint.find("run plan again"), std::string::npos);
  EXPECT_FALSE(wrote_anything());
}

TEST_F(DestroyHostTest, DuplicateRegistryRowsAreRefused) {
  registry_as_planned();
  live.registry.push_back(row);
  auto status = run();
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("2 registry rows"), std::string::npos);
  EXPECT_FALSE(wrote_anything());
}

TEST_F(DestroyHostTest, AFailedDropStopsBeforeTheFilesAndARerunFinishes) {
  registry_as_planned();
  db.failing.push_back("DROP DATABASE");
  auto failed = run();
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().where.find("https://h1.example.org (database)"), std::string::npos);
  EXPECT_TRUE(files.has(k_h1_dataroot));
  EXPECT_EQ(index_of("DELETE FROM `moodle`.`mdl_local_vmoodle`"), -1);

  // The mark is now on the row; the rerun (a new plan) sees it and finishes.
  db.failing.clear();
  db.rules.clear();
  registry_as_planned(model::destroying_mark(""));
  auto again = run();
  ASSERT_TRUE(again) << again.error().render();
  EXPECT_FALSE(files.has(k_h1_dataroot));
  EXPECT_EQ(db.statements_matching("DELETE FROM `moodle`.`mdl_local_vmoodle`").size(), 1u);
  EXPECT_EQ(db.statements_matching("DROP DATABASE IF EXISTS `vmdl_h1`").size(), 2u);
}

TEST_F(DestroyHostTest, FinalSnapshotIsTakenFromTheHostsServerBeforeAnythingElse) {
  change.snapshot = "final_h1_12";
  registry_says("vmdl_h1", k_h1_dataroot, "", "x_");
  db.answer(k_schemata, one_column({"1"}));

  auto status = run();
  ASSERT_TRUE(status) << status.error().render();
  const std::string tpl = "/var/moodledata/vmoodle/final_h1_12";
  EXPECT_TRUE(files.has(tpl + "_sql/vmoodle_master.sql"));
  EXPECT_TRUE(files.has(tpl + "_vmoodledata/filedir/ab/cd/abcd"));
  const std::string php = files.content(tpl + "_sql/manifest.php");
  EXPECT_NE(php.find("'https://h1.example.org'"), std::string::npos) << php;
  EXPECT_NE(php.find("'x_'"), std::string::npos) << "the registry's prefix: " << php;

  auto at = [&](const std::string& event) {
    return std::find(reporter.events.begin(), reporter.events.end(), event) -
           reporter.events.begin();
  };
  const auto snapshot = at("https://h1.example.org|final snapshot|done");
  ASSERT_LT(snapshot, static_cast<long>(reporter.events.size()));
  EXPECT_LT(snapshot, at("https://h1.example.org|disable|done"));
  EXPECT_LT(index_of("TABLE_SCHEMA = 'vmdl_h1'"), index_of("UPDATE `moodle`"));
  EXPECT_EQ(server_of("TABLE_SCHEMA = 'vmdl_h1'"), "db2");
  EXPECT_GE(index_of("'vmoodle-apply: destroying; final snapshot final_h1_12'"), 0);
  EXPECT_FALSE(files.has(k_h1_dataroot));
}

TEST_F(DestroyHostTest, AFailedFinalSnapshotLeavesTheHostAsItWas) {
  change.snapshot = "final_h1_12";
  registry_as_planned();
  db.answer(k_schemata, one_column({"1"}));
  files.failing.push_back("final_h1_12");

  auto status = run();
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().where.find("https://h1.example.org (final snapshot)"), std::string::npos)
      << status.error().render();
  EXPECT_FALSE(wrote_anything());
  EXPECT_TRUE(files.has(std::string(k_h1_dataroot) + "/filedir/ab/cd/abcd"));
  EXPECT_FALSE(files.has("/var/moodledata/vmoodle/final_h1_12_vmoodledata"));
}

TEST_F(DestroyHostTest, FinalSnapshotIsSkippedWhenTheDatabaseIsGoneAndTheMarkNamesAPresentOne) {
  change.snapshot = "final_h1_12";
  registry_as_planned(model::destroying_mark("final_h1_12"));
  files.add_file("/var/moodledata/vmoodle/final_h1_12_sql/vmoodle_master.sql", "-- dump");
  files.add_file("/var/moodledata/vmoodle/final_h1_12_sql/manifest.php", "<?php");
  files.add_dir("/var/moodledata/vmoodle/final_h1_12_vmoodledata");
  // SCHEMATA answers no rows: the database was dropped by the interrupted run.

  auto status = run();
  ASSERT_TRUE(status) << status.error().render();
  EXPECT_EQ(reporter.events.front(), "https://h1.example.org|final snapshot|done");
  EXPECT_EQ(server_of(k_schemata), "db2");
  EXPECT_EQ(files.content("/var/moodledata/vmoodle/final_h1_12_sql/vmoodle_master.sql"), "-- dump")
      << "the template is kept as it was";
  EXPECT_GE(index_of("'vmoodle-apply: destroying; final snapshot final_h1_12'"), 0);
  EXPECT_FALSE(files.has(k_h1_dataroot));
}

TEST_F(DestroyHostTest, MissingDatabaseWithoutMarkRefusesTheFinalSnapshot) {
  change.snapshot = "final_h1_12";
  registry_as_planned();
  auto status = run();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::conflict);
  EXPECT_NE(status.error().message.find("the final snapshot `final_h1_12` cannot be taken"),
            std::string::npos)
      << status.error().render();
  EXPECT_NE(status.error().hint.find("final_snapshot: false"), std::string::npos);
  EXPECT_EQ(reporter.events,
            (std::vector<std::string>{"https://h1.example.org|final snapshot|failed"}));
  EXPECT_FALSE(wrote_anything());
  EXPECT_TRUE(files.has(k_h1_dataroot));
}

TEST_F(DestroyHostTest, MarkedButTemplateMissingIsRefused) {
  change.snapshot = "final_h1_12";
  registry_as_planned(model::destroying_mark("final_h1_12"));
  auto status = run();
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("template `final_h1_12` is missing"), std::string::npos)
      << status.error().render();
  EXPECT_FALSE(wrote_anything());
}

TEST_F(DestroyHostTest, TheMasterItselfIsNeverDestroyed) {
  fleet.hosts[0].vhostname = fleet.master.wwwroot;
  change.vhostname = fleet.master.wwwroot;
  registry_as_planned();
  auto status = run();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::unsafe);
  EXPECT_FALSE(wrote_anything());
}

TEST_F(DestroyHostTest, TheMastersDatabaseIsNeverDropped) {
  fleet.hosts[0].server = "db1";
  fleet.hosts[0].database = "moodle";
  change.server = "db1";
  change.database = "moodle";
  registry_says("moodle", k_h1_dataroot);
  auto status = run();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::unsafe);
  EXPECT_NE(status.error().message.find("the master's"), std::string::npos);
  EXPECT_FALSE(wrote_anything());
}

TEST_F(DestroyHostTest, FailureMessagesCarryNoPassword) {
  registry_as_planned();
  db.failing.push_back("DELETE FROM `moodle`.`mdl_local_vmoodle`");
  auto status = run();
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().where.find("(registry)"), std::string::npos);
  for (const auto& error : reporter.errors) {
    EXPECT_EQ(error.find("moodle-pw"), std::string::npos);
    EXPECT_EQ(error.find("admin-pw"), std::string::npos);
  }
}

} // namespace
} // namespace vmoodle::apply
