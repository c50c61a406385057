#include "vmoodle/apply/migrate_host.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/fake_connection.hpp"
#include "tests/fakes/fake_effects.hpp"
#include "tests/fakes/fake_world.hpp"
#include "tests/fakes/memory_file_system.hpp"
#include "tests/fakes/sample_fleet.hpp"

namespace vmoodle::apply {
namespace {

using namespace vmoodle::testing;

std::optional<std::string> s(const char* text) {
  return std::string(text);
}

class MigrateHostTest : public ::testing::Test, public vmoodle::testing::FakeWorld {
protected:
  void SetUp() override {
    secrets.values = {{"DB1_PASSWORD", "admin-pw"}};
    fleet = sample_fleet(1);
    auto& host = fleet.hosts[0];
    host.charset = "utf8mb4";
    host.collation = "utf8mb4_unicode_ci";
    host.engine = "InnoDB";
    host.row_format = "Dynamic";
  }

  /// Answers for a legacy vmdl_h1 on `version`: mdl_config (InnoDB, Compact, utf8mb3),
  /// mdl_log (MyISAM, utf8mb3, ROW_FORMAT=FIXED) and mdl_done (at target).
  void legacy_server(const char* version = "10.11.6-MariaDB") {
    // Verification reads come first: their needles are the most specific.
    db.answer("SELECT COLLATION_NAME, COUNT(*)", {{}, {{s("utf8mb4_unicode_ci"), s("2")}}});
    db.answer("SELECT ENGINE, TABLE_COLLATION, ROW_FORMAT",
              {{}, {{s("InnoDB"), s("utf8mb4_unicode_ci"), s("Dynamic"), s("16384"), s("0")}}});
    db.answer("DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA "
              "WHERE SCHEMA_NAME =",
              {{}, {{s("utf8mb4"), s("utf8mb4_unicode_ci")}}});
    db.answer("@@version", {{}, {{s(version)}}});
    db.answer("SHOW VARIABLES", {{},
                                 {{s("innodb_file_per_table"), s("ON")},
                                  {s("innodb_page_size"), s("16384")},
                                  {s("innodb_read_only_compressed"), s("OFF")}}});
    db.answer(
        "information_schema.ENGINES",
        {{}, {{s("InnoDB"), s("DEFAULT")}, {s("MyISAM"), s("YES")}, {s("FEDERATED"), s("NO")}}});
    db.answer("SCHEMATA", {{}, {{s("vmdl_h1"), s("utf8mb3"), s("utf8mb3_general_ci"), s("")}}});
    db.answer("CREATE_OPTIONS", {{},
                                 {{s("mdl_config"), s("row_format=COMPACT")},
                                  {s("mdl_log"), s("row_format=FIXED")},
                                  {s("mdl_done"), s("")}}});
    db.answer("information_schema.TABLES", {{},
                                            {{s("vmdl_h1"), s("mdl_config"), s("InnoDB"),
                                              s("utf8mb3_unicode_ci"), s("16384"), s("16384")},
                                             {s("vmdl_h1"), s("mdl_done"), s("InnoDB"),
                                              s("utf8mb4_unicode_ci"), s("16384"), s("0")},
                                             {s("vmdl_h1"), s("mdl_log"), s("MyISAM"),
                                              s("utf8mb3_unicode_ci"), s("1048576"), s("2048")}}});
    db.answer(
        "INNODB_SYS_TABLES",
        {{}, {{s("vmdl_h1/mdl_config"), s("Compact")}, {s("vmdl_h1/mdl_done"), s("Dynamic")}}});
    db.answer(
        "SELECT TABLE_NAME, COLUMN_NAME",
        {{},
         {{s("mdl_config"), s("id"), s("bigint"), std::nullopt, std::nullopt},
          {s("mdl_config"), s("name"), s("varchar"), s("255"), s("utf8mb3_unicode_ci")},
          {s("mdl_config"), s("value"), s("longtext"), s("4294967295"), s("utf8mb3_unicode_ci")},
          {s("mdl_log"), s("id"), s("bigint"), std::nullopt, std::nullopt},
          {s("mdl_log"), s("info"), s("varchar"), s("255"), s("utf8mb3_unicode_ci")}}});
    db.answer("COLLATION_NAME, COUNT(*)",
              {{},
               {{s("vmdl_h1"), s("mdl_config"), s("utf8mb3_unicode_ci"), s("2")},
                {s("vmdl_h1"), s("mdl_log"), s("utf8mb3_unicode_ci"), s("1")},
                {s("vmdl_h1"), s("mdl_done"), s("utf8mb4_unicode_ci"), s("1")}}});
    db.answer("STATISTICS",
              {{},
               {{s("mdl_config"), s("PRIMARY"), s("id"), s("BTREE"), std::nullopt},
                {s("mdl_config"), s("mdl_conf_nam_uix"), s("name"), s("BTREE"), std::nullopt}}});
  }

  Status migrate() {
    plan::HostChange change;
    change.vhostname = fleet.hosts[0].vhostname;
    change.action = plan::Action::migrate;
    change.server = "db1";
    change.database = "vmdl_h1";
    model::LiveState live = empty_live();
    ActionContext ctx{fleet, live, effects()};
    return migrate_host(change, ctx);
  }

  std::vector<std::string> altered() const {
    std::vector<std::string> out;
    for (const auto& [server, sql] : db.log) {
      if (sql.rfind("ALTER", 0) == 0) {
        out.push_back(sql);
      }
    }
    return out;
  }

  model::Fleet fleet;
};

TEST_F(MigrateHostTest, OneAlterPerTableWithOnlyItsClausesThenTheDatabaseDefault) {
  legacy_server();
  auto done = migrate();
  ASSERT_TRUE(done) << done.error().render();
  EXPECT_EQ(altered(),
            (std::vector<std::string>{
                "ALTER TABLE `vmdl_h1`.`mdl_config` ROW_FORMAT=DYNAMIC, CONVERT TO CHARACTER SET "
                "utf8mb4 COLLATE utf8mb4_unicode_ci",
                "ALTER TABLE `vmdl_h1`.`mdl_log` ENGINE=InnoDB, ROW_FORMAT=DYNAMIC, CONVERT TO "
                "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                "ALTER DATABASE `vmdl_h1` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"}));
  EXPECT_EQ(reporter.events, (std::vector<std::string>{
                                 "https://h1.example.org|preflight|done",
                                 "https://h1.example.org|table mdl_config (32.0 KB)|done",
                                 "https://h1.example.org|table mdl_log (1.0 MB)|done",
                                 "https://h1.example.org|database default|done",
                             }));
  // Every table is verified after its ALTER.
  EXPECT_EQ(db.statements_matching("SELECT ENGINE, TABLE_COLLATION, ROW_FORMAT").size(), 2u);
}

TEST_F(MigrateHostTest, PreflightRefusalNamesHostTableReasonAndAltersNothing) {
  fleet.hosts[0].row_format = "Compact";
  legacy_server();
  auto done = migrate();
  ASSERT_FALSE(done);
  const std::string text = done.error().render();
  EXPECT_NE(text.find("https://h1.example.org (preflight)"), std::string::npos) << text;
  EXPECT_NE(text.find("https://h1.example.org: table mdl_config: index `mdl_conf_nam_uix` would "
                      "take 1020 bytes"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("nothing was altered"), std::string::npos) << text;
  EXPECT_TRUE(altered().empty());
  EXPECT_EQ(reporter.events, std::vector<std::string>{"https://h1.example.org|preflight|failed"});
}

TEST_F(MigrateHostTest, CompressedOnMariadb1064IsRefusedBeforeAnyChange) {
  fleet.hosts[0].row_format = "Compressed";
  legacy_server("10.6.4-MariaDB-log");
  auto done = migrate();
  ASSERT_FALSE(done);
  const std::string text = done.error().render();
  EXPECT_NE(text.find("tables mdl_config, mdl_done, mdl_log: MariaDB 10.6.4 makes Compressed "
                      "tables read-only"),
            std::string::npos)
      << text;
  EXPECT_TRUE(altered().empty());
}

TEST_F(MigrateHostTest, UnavailableEngineIsRefusedBeforeAnyChange) {
  fleet.hosts[0].engine = "Aria";
  fleet.hosts[0].row_format.reset();
  legacy_server("8.0.36");
  auto done = migrate();
  ASSERT_FALSE(done);
  const std::string text = done.error().render();
  EXPECT_NE(text.find("tables mdl_config, mdl_done, mdl_log: engine Aria is not available on "
                      "this server"),
            std::string::npos)
      << text;
  EXPECT_TRUE(altered().empty());
}

TEST_F(MigrateHostTest, ATableStillOffTargetAfterItsAlterFailsTheStep) {
  legacy_server();
  db.rules.insert(
      db.rules.begin(),
      {"SELECT ENGINE, TABLE_COLLATION, ROW_FORMAT",
       db::ResultSet{{}, {{s("InnoDB"), s("utf8mb3_unicode_ci"), s("Dynamic"), s("1"), s("0")}}}});
  auto done = migrate();
  ASSERT_FALSE(done);
  const std::string text = done.error().render();
  EXPECT_NE(text.find("table mdl_config: still off target after ALTER TABLE: collation "
                      "utf8mb3_unicode_ci instead of utf8mb4_unicode_ci"),
            std::string::npos)
      << text;
  EXPECT_EQ(altered().size(), 1u);
}

TEST_F(MigrateHostTest, AFailedAlterStopsTheHostAndSaysHowToResume) {
  legacy_server();
  db.failing.push_back("ALTER TABLE `vmdl_h1`.`mdl_log`");
  auto done = migrate();
  ASSERT_FALSE(done);
  EXPECT_NE(done.error().render().find("tables already migrated are skipped"), std::string::npos);
  EXPECT_EQ(db.statements_matching("ALTER DATABASE").size(), 0u);
}

TEST_F(MigrateHostTest, NothingLeftToDoRunsOnlyThePreflight) {
  legacy_server();
  auto& host = fleet.hosts[0];
  host.charset.reset();
  host.collation.reset();
  host.engine.reset();
  host.row_format = "Compact";
  db.rules.insert(db.rules.begin(),
                  {"INNODB_SYS_TABLES", db::ResultSet{{},
                                                      {{s("vmdl_h1/mdl_config"), s("Compact")},
                                                       {s("vmdl_h1/mdl_done"), s("Compact")}}}});
  auto done = migrate();
  ASSERT_TRUE(done) << done.error().render();
  EXPECT_TRUE(altered().empty());
  EXPECT_EQ(reporter.events, std::vector<std::string>{"https://h1.example.org|preflight|done"});
}

} // namespace
} // namespace vmoodle::apply
