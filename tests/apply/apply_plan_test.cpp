#include "vmoodle/apply/apply_plan.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/fake_connection.hpp"
#include "tests/fakes/fake_effects.hpp"
#include "tests/fakes/fake_world.hpp"
#include "tests/fakes/memory_file_system.hpp"
#include "tests/fakes/sample_fleet.hpp"
#include "vmoodle/diff/compute_plan.hpp"
#include "vmoodle/model/markers.hpp"

namespace vmoodle::apply {
namespace {

using namespace vmoodle::testing;

class ApplyPlanTest : public ::testing::Test, public vmoodle::testing::FakeWorld {
protected:
  void SetUp() override {
    secrets.values = {{"DB1_PASSWORD", "admin-pw"}, {"MOODLE_DB_PASSWORD", "moodle-pw"}};
    files.add_file("/var/moodledata/vmoodle/base45_sql/vmoodle_master.sql",
                   "/*!40101 SET NAMES utf8mb4 */;\n"
                   "CREATE TABLE `mdl_config` (`id` BIGINT(10));\n"
                   "INSERT INTO `mdl_config` VALUES (1,'mdl_config is data');\n");
    files.add_file("/var/moodledata/vmoodle/base45_sql/manifest.php",
                   "<?php\n $templatewwwroot = 'https://template.example.org';\n"
                   "$templatevdbprefix = 'mdl_';\n ?>");
    files.add_file("/var/moodledata/vmoodle/base45_vmoodledata/filedir/ab/cd/abcd", "bytes");
    files.add_dir("/var/moodledata/vhosts");
    db.answer("GET_LOCK", {{"lock"}, {{std::string("1")}}});
  }

  Result<ApplyReport> run(const model::Fleet& fleet, const model::LiveState& live) {
    std::map<std::string, Secret> passwords;
    for (const auto& host : fleet.hosts) {
      passwords[host.vhostname] = Secret("moodle-pw");
    }
    auto plan = diff::compute_plan(fleet, live, passwords, {});
    EXPECT_TRUE(plan) << plan.error().render();
    return apply_plan(*plan, fleet, live, effects(), {});
  }

  std::vector<std::string> statements() const {
    std::vector<std::string> out;
    for (const auto& [server, sql] : db.log) {
      out.push_back(sql);
    }
    return out;
  }
};

TEST_F(ApplyPlanTest, CreateRunsEveryStepInOrderAndRegistersLast) {
  auto fleet = sample_fleet(1);
  fleet.hosts[0].prefix = "x_";
  auto report = run(fleet, empty_live());
  ASSERT_TRUE(report) << report.error().render();
  ASSERT_TRUE(report->ok()) << report->errors[0].render();
  EXPECT_EQ(reporter.events, (std::vector<std::string>{"https://h1.example.org|database|done",
                                                       "https://h1.example.org|template|done",
                                                       "https://h1.example.org|fix-up|done",
                                                       "https://h1.example.org|dataroot|done",
                                                       "https://h1.example.org|registry|done"}));
  const auto log = statements();
  auto index_of = [&](const std::string& needle) {
    for (std::size_t i = 0; i < log.size(); ++i) {
      if (log[i].find(needle) != std::string::npos) {
        return static_cast<int>(i);
      }
    }
    return -1;
  };
  const int create = index_of("CREATE DATABASE `vmdl_h1` CHARACTER SET utf8mb4 COLLATE "
                              "utf8mb4_general_ci COMMENT 'vmoodle-apply: creating "
                              "https://h1.example.org'");
  const int table = index_of("CREATE TABLE `x_config`");
  const int data = index_of("'mdl_config is data'");
  const int fixup = index_of("sessioncookie");
  const int insert = index_of("INSERT INTO `moodle`.`mdl_local_vmoodle`");
  const int managed = index_of("COMMENT 'vmoodle-apply: managed'");
  EXPECT_GE(create, 0);
  EXPECT_GT(table, create);
  EXPECT_GT(data, table) << "data keeps the old prefix text";
  EXPECT_GT(fixup, data);
  EXPECT_GT(insert, fixup);
  EXPECT_GT(managed, insert);
  EXPECT_TRUE(files.has("/var/moodledata/vhosts/h1/filedir/ab/cd/abcd"));
  EXPECT_FALSE(files.has(std::string("/var/moodledata/vhosts/h1/") + model::k_creating_marker));
  EXPECT_FALSE(files.has("/var/moodledata/vhosts/h1.vmoodle-apply-partial"));
}

TEST_F(ApplyPlanTest, RegistryFailureLeavesMarksForResume) {
  auto fleet = sample_fleet(1);
  db.failing.push_back("INSERT INTO `moodle`.`mdl_local_vmoodle`");
  auto report = run(fleet, empty_live());
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok());
  EXPECT_TRUE(files.has(std::string("/var/moodledata/vhosts/h1/") + model::k_creating_marker));
  EXPECT_EQ(db.statements_matching("vmoodle-apply: managed").size(), 0u);
  EXPECT_EQ(report->errors[0].render().find("moodle-pw"), std::string::npos);
}

TEST_F(ApplyPlanTest, AFailingHostDoesNotStopTheOthers) {
  auto fleet = sample_fleet(3);
  db.failing.push_back("CREATE DATABASE `vmdl_h2`");
  auto report = run(fleet, empty_live());
  ASSERT_TRUE(report);
  EXPECT_EQ(report->done,
            (std::vector<std::string>{"https://h1.example.org", "https://h3.example.org"}));
  EXPECT_EQ(report->failed, (std::vector<std::string>{"https://h2.example.org"}));
  EXPECT_NE(report->errors[0].where.find("https://h2.example.org (database)"), std::string::npos)
      << report->errors[0].render();
}

TEST_F(ApplyPlanTest, UpdateWritesOnlyTheChangedColumns) {
  auto fleet = sample_fleet(2);
  auto live = empty_live();
  for (const auto& host : fleet.hosts) {
    live.registry.push_back(row_for(host, "moodle-pw"));
  }
  fleet.hosts[0].name = "Renamed";
  auto report = run(fleet, live);
  ASSERT_TRUE(report && report->ok());
  auto updates = db.statements_matching("UPDATE `moodle`.`mdl_local_vmoodle`");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0], "UPDATE `moodle`.`mdl_local_vmoodle` SET `name` = 'Renamed' WHERE `id` = "
                        "1 AND `vhostname` = 'https://h1.example.org'");
}

TEST_F(ApplyPlanTest, HeldLockNamesItsHolderAndChangesNothing) {
  db.rules.clear();
  db.answer("GET_LOCK", {{"lock"}, {{std::string("0")}}});
  db.answer("PROCESSLIST",
            {{"USER", "HOST", "TIME", "ID"},
             {{std::string("ci"), std::string("runner1"), std::string("42"), std::string("17")}}});
  auto report = run(sample_fleet(1), empty_live());
  ASSERT_FALSE(report);
  EXPECT_NE(report.error().message.find("connection 17 of ci@runner1"), std::string::npos)
      << report.error().render();
  EXPECT_EQ(db.statements_matching("CREATE DATABASE").size(), 0u);
}

TEST_F(ApplyPlanTest, ResumeDropsOnlyItsOwnMarkedDatabase) {
  auto fleet = sample_fleet(1);
  auto live = empty_live();
  const auto mark = model::creating_comment("https://h1.example.org");
  live.databases[{"db1", "vmdl_h1"}] = {true, "utf8mb4", "", mark, {}};
  db.answer("SCHEMA_COMMENT", {{"SCHEMA_COMMENT"}, {{mark}}});
  auto report = run(fleet, live);
  ASSERT_TRUE(report && report->ok()) << (report ? report->errors[0].render() : "");
  EXPECT_EQ(db.statements_matching("DROP DATABASE `vmdl_h1`").size(), 1u);
}

TEST_F(ApplyPlanTest, ResumeRefusesWhenTheMarkChanged) {
  auto fleet = sample_fleet(1);
  auto live = empty_live();
  live.databases[{"db1", "vmdl_h1"}] = {
      true, "utf8mb4", "", model::creating_comment("https://h1.example.org"), {}};
  db.answer("SCHEMA_COMMENT", {{"SCHEMA_COMMENT"}, {{std::string("someone else's")}}});
  auto report = run(fleet, live);
  ASSERT_TRUE(report);
  EXPECT_FALSE(report->ok());
  EXPECT_EQ(db.statements_matching("DROP DATABASE").size(), 0u);
}

} // namespace
} // namespace vmoodle::apply
