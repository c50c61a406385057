#include "vmoodle/apply/snapshot_host.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/fake_connection.hpp"
#include "tests/fakes/fake_effects.hpp"
#include "tests/fakes/fake_world.hpp"
#include "tests/fakes/memory_file_system.hpp"
#include "tests/fakes/sample_fleet.hpp"

namespace vmoodle::apply {
namespace {

using namespace vmoodle::testing;
using namespace std::string_literals;

constexpr const char* k_dir = "/var/moodledata/vmoodle";
constexpr const char* k_source = "/var/moodledata/vhosts/h1";

class SnapshotHostTest : public ::testing::Test, public vmoodle::testing::FakeWorld {
protected:
  void SetUp() override {
    fleet.hosts[0].prefix = "h1_"; // not the master's mdl_: manifest.php must say h1_
    secrets.values = {{"DB1_PASSWORD", "admin-pw"}, {"MOODLE_DB_PASSWORD", "moodle-pw"}};
    db.answer("information_schema.TABLES", {{"TABLE_NAME"}, {{"h1_config"s}, {"h1_files"s}}});
    db.answer("information_schema.COLUMNS", {{"TABLE_NAME", "COLUMN_NAME", "EXTRA"},
                                             {{"h1_config"s, "id"s, "auto_increment"s},
                                              {"h1_config"s, "name"s, ""s},
                                              {"h1_config"s, "value"s, ""s},
                                              {"h1_files"s, "id"s, "auto_increment"s},
                                              {"h1_files"s, "contenthash"s, ""s},
                                              {"h1_files"s, "hashlen"s, "VIRTUAL GENERATED"s}}});
    db.answer("SHOW CREATE TABLE `vmdl_h1`.`h1_config`",
              {{"Table", "Create Table"}, {{"h1_config"s, "CREATE TABLE `h1_config` (...)"s}}});
    db.answer("SHOW CREATE TABLE `vmdl_h1`.`h1_files`",
              {{"Table", "Create Table"}, {{"h1_files"s, "CREATE TABLE `h1_files` (...)"s}}});
    db.answer("FROM `vmdl_h1`.`h1_config`",
              {{"id", "name", "value"},
               {{"1"s, "wwwroot"s, "https://h1.example.org"s}, {"2"s, "empty"s, std::nullopt}}});
    db.answer("FROM `vmdl_h1`.`h1_files`", {{"id", "contenthash"}, {{"1"s, "da39a3ee"s}}});

    files.add_file(std::string(k_source) + "/filedir/ab/cd/abcd", "file bytes");
    files.add_file(std::string(k_source) + "/muc/config.php", "<?php");
    files.add_file(std::string(k_source) + "/sessions/sess_1", "session");
    files.add_file(std::string(k_source) + "/temp/t", "temp");
    files.add_file(std::string(k_source) + "/cache/c", "cache");
    files.add_file(std::string(k_source) + "/lang/vmoodle/x", "nested template");
    files.add_file(std::string(k_source) + "/vmoodle", "a file named vmoodle");
    files.add_dir("/var/moodledata/vmoodle");
  }

  Status snapshot(const std::string& name = "snap1", bool replace = false) {
    plan::HostChange change;
    change.vhostname = fleet.hosts[0].vhostname;
    change.action = plan::Action::snapshot;
    change.snapshot = name;
    change.replace = replace;
    change.server = "db1";
    ActionContext ctx{fleet, live, effects()};
    return snapshot_host(change, ctx);
  }

  void add_old_template() {
    files.add_file(std::string(k_dir) + "/snap1_sql/vmoodle_master.sql", "old dump");
    files.add_file(std::string(k_dir) + "/snap1_sql/manifest.php", "old manifest");
    files.add_file(std::string(k_dir) + "/snap1_vmoodledata/old.txt", "old data");
  }

  std::vector<std::string> templates_dir() { return *files.list_dir(k_dir); }

  std::string dump() { return files.content(std::string(k_dir) + "/snap1_sql/vmoodle_master.sql"); }

  model::Fleet fleet = sample_fleet(1);
  model::LiveState live = empty_live();
};

TEST_F(SnapshotHostTest, WritesVmoodlesLayoutFromTheSourceHost) {
  auto result = snapshot();
  ASSERT_TRUE(result) << result.error().render();
  EXPECT_EQ(templates_dir(), (std::vector<std::string>{"snap1_sql", "snap1_vmoodledata"}));
  EXPECT_EQ(files.content(std::string(k_dir) + "/snap1_sql/manifest.php"),
            "<?php\n $templatewwwroot = 'https://h1.example.org';\n"
            "$templatevdbprefix = 'h1_';\n ?>");
  const std::string sql = dump();
  EXPECT_NE(sql.find("DROP TABLE IF EXISTS `h1_config`;\n"), std::string::npos);
  EXPECT_NE(sql.find("CREATE TABLE `h1_config` (...);\n"), std::string::npos);
  // The fake knows no column types: values are quoted, which loads the same.
  EXPECT_NE(sql.find("INSERT INTO `h1_config` VALUES ('1','wwwroot','https://h1.example.org'),"
                     "('2','empty',NULL);\n"),
            std::string::npos)
      << sql;
  // A generated column is neither selected nor inserted.
  EXPECT_NE(sql.find("INSERT INTO `h1_files` (`id`,`contenthash`) VALUES ('1','da39a3ee');"),
            std::string::npos)
      << sql;
  EXPECT_EQ(db.statements_matching("SELECT `id`,`contenthash` FROM `vmdl_h1`.`h1_files`").size(),
            1u);
  EXPECT_NE(sql.find("-- Dump completed on 2023-11-14 22:13:20 UTC"), std::string::npos);

  const std::string data = std::string(k_dir) + "/snap1_vmoodledata";
  EXPECT_EQ(files.content(data + "/filedir/ab/cd/abcd"), "file bytes");
  EXPECT_TRUE(files.has(data + "/muc/config.php"));
  EXPECT_TRUE(files.has(data + "/lang"));
  for (const char* dropped : {"/sessions", "/temp", "/cache", "/lang/vmoodle", "/vmoodle"}) {
    EXPECT_FALSE(files.has(data + dropped)) << dropped;
  }
  EXPECT_EQ(reporter.events,
            (std::vector<std::string>{"snapshot.snap1|dump|done", "snapshot.snap1|files|done",
                                      "snapshot.snap1|publish|done"}));
}

TEST_F(SnapshotHostTest, DumpsInOneConsistentReadTransaction) {
  ASSERT_TRUE(snapshot());
  std::vector<std::string> log;
  for (const auto& [server, statement] : db.log) {
    EXPECT_EQ(server, "db1");
    log.push_back(statement);
  }
  auto at = [&](const std::string& needle) {
    for (std::size_t i = 0; i < log.size(); ++i) {
      if (log[i].find(needle) != std::string::npos) {
        return static_cast<int>(i);
      }
    }
    return -1;
  };
  const int isolation = at("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  const int start = at("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  ASSERT_GE(isolation, 0);
  EXPECT_EQ(start, isolation + 1);
  EXPECT_LT(at("SET SESSION time_zone = '+00:00'"), start);
  EXPECT_LT(start, at("information_schema.TABLES"));
  EXPECT_LT(at("SHOW CREATE TABLE `vmdl_h1`.`h1_config`"), at("FROM `vmdl_h1`.`h1_config`"));
  EXPECT_LT(at("FROM `vmdl_h1`.`h1_config`"), at("SHOW CREATE TABLE `vmdl_h1`.`h1_files`"));
  EXPECT_EQ(log.back(), "ROLLBACK");
  EXPECT_EQ(db.connects, (std::vector<std::string>{"db1"}));
}

TEST_F(SnapshotHostTest, NoPasswordInAnyFileWritten) {
  ASSERT_TRUE(snapshot());
  ASSERT_FALSE(files.written.empty());
  for (const auto& path : files.written) {
    const std::string moved = std::string(k_dir) + "/snap1_sql" + path.substr(path.rfind('/'));
    for (const char* secret : {"admin-pw", "moodle-pw"}) {
      EXPECT_EQ(files.content(moved).find(secret), std::string::npos) << path;
    }
  }
}

TEST_F(SnapshotHostTest, FailedDumpLeavesNoTemplateAndNoLeftovers) {
  db.failing.push_back("SHOW CREATE TABLE `vmdl_h1`.`h1_files`");
  auto result = snapshot();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::db);
  EXPECT_NE(result.error().render().find("snapshot.snap1 (dump): table h1_files"),
            std::string::npos)
      << result.error().render();
  EXPECT_TRUE(templates_dir().empty());
  EXPECT_EQ(reporter.events, (std::vector<std::string>{"snapshot.snap1|dump|failed"}));
}

TEST_F(SnapshotHostTest, FailedCopyLeavesNoTemplate) {
  files.failing.push_back("copy:.snap1.partial_vmoodledata");
  ASSERT_FALSE(snapshot());
  EXPECT_TRUE(templates_dir().empty());
  EXPECT_EQ(reporter.events.back(), "snapshot.snap1|files|failed");
}

TEST_F(SnapshotHostTest, ExistingTemplateIsNotReplacedUnlessAsked) {
  add_old_template();
  auto result = snapshot("snap1", false);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::conflict);
  EXPECT_NE(result.error().hint.find("--replace snapshot.snap1"), std::string::npos);
  EXPECT_EQ(dump(), "old dump");
  EXPECT_TRUE(db.connects.empty());
  EXPECT_EQ(reporter.events, (std::vector<std::string>{"snapshot.snap1|prepare|failed"}));
}

TEST_F(SnapshotHostTest, ReplaceSwapsTheTemplateAndRemovesTheOldOne) {
  add_old_template();
  auto result = snapshot("snap1", true);
  ASSERT_TRUE(result) << result.error().render();
  EXPECT_EQ(templates_dir(), (std::vector<std::string>{"snap1_sql", "snap1_vmoodledata"}));
  EXPECT_NE(dump().find("CREATE TABLE `h1_config`"), std::string::npos);
  EXPECT_FALSE(files.has(std::string(k_dir) + "/snap1_vmoodledata/old.txt"));
  EXPECT_TRUE(files.has(std::string(k_dir) + "/snap1_vmoodledata/filedir/ab/cd/abcd"));
}

TEST_F(SnapshotHostTest, FailedReplaceKeepsTheOldTemplate) {
  add_old_template();
  db.failing.push_back("FROM `vmdl_h1`.`h1_files`");
  ASSERT_FALSE(snapshot("snap1", true));
  EXPECT_EQ(templates_dir(), (std::vector<std::string>{"snap1_sql", "snap1_vmoodledata"}));
  EXPECT_EQ(dump(), "old dump");
  EXPECT_EQ(files.content(std::string(k_dir) + "/snap1_vmoodledata/old.txt"), "old data");
}

TEST_F(SnapshotHostTest, FailedPublishPutsTheOldTemplateBack) {
  add_old_template();
  // The last rename, which would make the new template visible, fails.
  files.failing.push_back("rename:.snap1.partial_vmoodledata");
  auto result = snapshot("snap1", true);
  ASSERT_FALSE(result);
  EXPECT_EQ(reporter.events.back(), "snapshot.snap1|publish|failed");
  EXPECT_EQ(templates_dir(), (std::vector<std::string>{"snap1_sql", "snap1_vmoodledata"}));
  EXPECT_EQ(dump(), "old dump");
  EXPECT_EQ(files.content(std::string(k_dir) + "/snap1_sql/manifest.php"), "old manifest");
  EXPECT_TRUE(files.has(std::string(k_dir) + "/snap1_vmoodledata/old.txt"));
}

TEST_F(SnapshotHostTest, FailedFirstPublishLeavesNothing) {
  files.failing.push_back("rename:.snap1.partial_vmoodledata");
  ASSERT_FALSE(snapshot());
  EXPECT_TRUE(templates_dir().empty());
}

TEST_F(SnapshotHostTest, LeftoversOfAKilledRunAreRemovedFirst) {
  files.add_file(std::string(k_dir) + "/.snap1.partial_sql/vmoodle_master.sql", "half");
  files.add_file(std::string(k_dir) + "/.snap1.partial_vmoodledata/half", "half");
  auto result = snapshot();
  ASSERT_TRUE(result) << result.error().render();
  EXPECT_EQ(templates_dir(), (std::vector<std::string>{"snap1_sql", "snap1_vmoodledata"}));
  EXPECT_FALSE(files.has(std::string(k_dir) + "/snap1_vmoodledata/half"));
}

// Killed after the old pair went aside and the new `_sql` went in.
void kill_mid_publish(MemoryFileSystem& files) {
  files.add_file(std::string(k_dir) + "/.snap1.old_sql/vmoodle_master.sql", "old dump");
  files.add_file(std::string(k_dir) + "/.snap1.old_vmoodledata/old.txt", "old data");
  files.add_file(std::string(k_dir) + "/snap1_sql/vmoodle_master.sql", "new, without its data");
  files.add_file(std::string(k_dir) + "/.snap1.partial_vmoodledata/x", "new data");
}

TEST_F(SnapshotHostTest, ReplaceKilledMidPublishIsFinishedByTheNextSnapshot) {
  kill_mid_publish(files);
  // The next plan saw no template and asks for a plain snapshot.
  auto result = snapshot("snap1", false);
  ASSERT_TRUE(result) << result.error().render();
  EXPECT_EQ(templates_dir(), (std::vector<std::string>{"snap1_sql", "snap1_vmoodledata"}));
  EXPECT_NE(dump().find("CREATE TABLE `h1_config`"), std::string::npos);
  EXPECT_FALSE(files.has(std::string(k_dir) + "/snap1_vmoodledata/old.txt"));
  EXPECT_FALSE(files.has(std::string(k_dir) + "/snap1_vmoodledata/x"));
}

TEST_F(SnapshotHostTest, ReplaceKilledMidPublishThenFailingAgainLeavesTheOldTemplate) {
  kill_mid_publish(files);
  db.failing.push_back("information_schema.TABLES");
  ASSERT_FALSE(snapshot("snap1", false));
  EXPECT_EQ(templates_dir(), (std::vector<std::string>{"snap1_sql", "snap1_vmoodledata"}));
  EXPECT_EQ(dump(), "old dump");
  EXPECT_EQ(files.content(std::string(k_dir) + "/snap1_vmoodledata/old.txt"), "old data");
}

TEST_F(SnapshotHostTest, ReplaceKilledAfterPublishOnlyLosesTheOldPair) {
  add_old_template();
  files.add_file(std::string(k_dir) + "/.snap1.old_sql/vmoodle_master.sql", "older dump");
  files.add_file(std::string(k_dir) + "/.snap1.old_vmoodledata/older.txt", "older");
  ASSERT_TRUE(snapshot("snap1", true));
  EXPECT_EQ(templates_dir(), (std::vector<std::string>{"snap1_sql", "snap1_vmoodledata"}));
}

TEST_F(SnapshotHostTest, RefusesBadNamesAndMissingSources) {
  EXPECT_EQ(snapshot("../escape").error().kind, ErrorKind::manifest);
  EXPECT_EQ(snapshot("a/b").error().kind, ErrorKind::manifest);
  fleet.hosts[0].dataroot = "/var/moodledata/vhosts/missing";
  auto result = snapshot();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().render().find("missing is not a folder"), std::string::npos);
  EXPECT_TRUE(templates_dir().empty());
  EXPECT_TRUE(db.connects.empty());
}

} // namespace
} // namespace vmoodle::apply
