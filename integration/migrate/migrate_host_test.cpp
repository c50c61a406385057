// migrate_host against the real server: a legacy Moodle (utf8mb3, MyISAM, COMPACT rows,
// FULLTEXT indexes, accented and 4-byte characters) brought to utf8mb4_unicode_ci /
// InnoDB / Dynamic, and a fleet of hosts in mixed states planned host by host.
#include <gtest/gtest.h>

#include "integration/migrate/migrate_fixture.hpp"

namespace vmoodle::testing {
namespace {

class MigrateHostTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_ws = new FleetWorkspace("migr");
    // Hosts are registered by the tool itself; their databases are replaced below.
    auto created = s_ws->cli(
        {"apply", "-f",
         s_ws->write_manifest(s_ws->manifest_head() +
                              host_entries({"legacy", "partial", "rowsoff", "mixlegacy"})),
         "--auto-approve"});
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
    // Created with the target in the manifest: at target from the start.
    created = s_ws->cli(
        {"apply", "-f",
         s_ws->write_manifest(head_with_defaults(*s_ws, k_moodle_target) + host_entries({"fresh"}),
                              "fresh.yaml"),
         "--auto-approve"});
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
  }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  static std::string target_manifest(const std::vector<std::string>& hosts) {
    return head_with_defaults(*s_ws, k_moodle_target) + host_entries(hosts);
  }

  static FleetWorkspace* s_ws;
};

FleetWorkspace* MigrateHostTest::s_ws = nullptr;

std::size_t count_matching(const std::vector<std::string>& lines, const std::string& needle) {
  std::size_t n = 0;
  for (const auto& line : lines) {
    n += line.find(needle) != std::string::npos ? 1 : 0;
  }
  return n;
}

TEST_F(MigrateHostTest, LegacySiteReachesUtf8mb4InnodbDynamicAndConverges) {
  auto& ws = *s_ws;
  const std::string db = ws.db("legacy");
  load_legacy_site(ws, db);

  const auto before = table_states(ws, db);
  const std::size_t tables = before.size();
  ASSERT_GT(tables, 40u);
  // The legacy shape really is there.
  EXPECT_EQ(count_matching(before, "|MyISAM|"), legacy_myisam_tables().size());
  EXPECT_EQ(count_matching(before, "|Compact|utf8mb3_unicode_ci"),
            tables - legacy_myisam_tables().size());
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '" +
                    db + "' AND INDEX_TYPE = 'FULLTEXT' AND SEQ_IN_INDEX = 1"),
            std::vector<std::string>{"2"});
  const std::string four_byte = "SELECT COUNT(*) FROM `" + db +
                                "`.mdl_forum_posts WHERE message LIKE '%😀%' OR "
                                "HEX(rawdraft) LIKE '%F09D849E%'";
  EXPECT_EQ(ws.rows(four_byte), std::vector<std::string>{"2"});
  const auto contents = table_contents(ws, db);

  MigrationRunner runner(ws);
  runner.load(target_manifest({"legacy"}));
  auto migration = runner.planned("legacy");
  ASSERT_TRUE(migration);
  const std::size_t myisam = legacy_myisam_tables().size();
  const std::string summary = diff::migration_summary(*migration);
  EXPECT_EQ(summary.substr(0, summary.rfind("; ")),
            std::to_string(tables) + " tables utf8mb3_unicode_ci → utf8mb4_unicode_ci, " +
                std::to_string(myisam) + " tables MyISAM → InnoDB, " +
                std::to_string(tables - myisam) + " tables Compact → Dynamic, " +
                std::to_string(myisam) +
                " tables (MyISAM) → Dynamic; database default utf8mb3_general_ci → "
                "utf8mb4_unicode_ci")
      << summary;
  EXPECT_NE(summary.find("to rewrite in " + std::to_string(tables) + " tables"), std::string::npos);
  EXPECT_GT(migration->bytes(), 0u);

  auto done = runner.migrate("legacy");
  ASSERT_TRUE(done) << done.error().render();

  // Every table and text column at target; the database default too.
  const auto after = table_states(ws, db);
  EXPECT_EQ(after.size(), tables);
  EXPECT_EQ(tables_not_at(after, "InnoDB|Dynamic|utf8mb4_unicode_ci"), std::vector<std::string>{});
  for (const auto& column : column_collations(ws, db)) {
    EXPECT_EQ(column.substr(column.find('|') + 1), "utf8mb4_unicode_ci") << column;
  }
  EXPECT_EQ(database_default(ws, db), "utf8mb4|utf8mb4_unicode_ci");
  // Same rows, same values read as utf8mb4, 4-byte characters included.
  EXPECT_EQ(table_contents(ws, db), contents);
  EXPECT_EQ(ws.rows(four_byte), std::vector<std::string>{"2"});
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '" +
                    db + "' AND INDEX_TYPE = 'FULLTEXT' AND SEQ_IN_INDEX = 1"),
            std::vector<std::string>{"2"});
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + db +
                    "`.mdl_search_simpledb_index WHERE MATCH(title, content, description1, "
                    "description2) AGAINST ('élèves')"),
            std::vector<std::string>{"1"});

  // One step per table, with its size, then the database default.
  const auto& events = runner.reporter().events;
  ASSERT_EQ(events.size(), tables + 2);
  EXPECT_EQ(events.front(), vhost("legacy") + "|preflight|done");
  EXPECT_EQ(count_matching(events, "|table mdl_"), tables);
  EXPECT_EQ(events.back(), vhost("legacy") + "|database default|done");

  // A second plan has nothing left to do.
  MigrationRunner again(ws);
  again.load(target_manifest({"legacy"}));
  EXPECT_FALSE(again.planned("legacy"));
}

TEST_F(MigrateHostTest, FleetInMixedStatesPlansEachHostAndResumesAnInterruptedOne) {
  auto& ws = *s_ws;
  // mixlegacy: the whole legacy site.
  load_legacy_site(ws, ws.db("mixlegacy"));
  // partial: a legacy site whose migration stopped after some tables.
  const std::vector<std::string> done_tables = {"mdl_block", "mdl_cache_flags", "mdl_capabilities",
                                                "mdl_config"};
  std::string finished;
  for (const auto& table : done_tables) {
    finished += "ALTER TABLE `" + table +
                "` ENGINE=InnoDB, ROW_FORMAT=DYNAMIC, CONVERT TO CHARACTER SET utf8mb4 COLLATE "
                "utf8mb4_unicode_ci;\n";
  }
  load_legacy_site(ws, ws.db("partial"), finished);
  // rowsoff: a current site where an admin changed four tables by hand, one of them only in
  // a column: its table default is still right.
  run_sql_script(ws, ws.db("rowsoff"),
                 "ALTER TABLE mdl_log ROW_FORMAT=COMPACT; ALTER TABLE mdl_role ROW_FORMAT=COMPACT; "
                 "ALTER TABLE mdl_groups_members ENGINE=MyISAM; ALTER TABLE mdl_config_plugins "
                 "MODIFY plugin VARCHAR(100) CHARACTER SET utf8mb3 COLLATE utf8mb3_general_ci NOT "
                 "NULL DEFAULT 'core';");

  MigrationRunner runner(ws);
  runner.load(target_manifest({"mixlegacy", "partial", "rowsoff", "fresh"}));
  const std::size_t tables = table_states(ws, ws.db("mixlegacy")).size();
  const std::size_t myisam = legacy_myisam_tables().size();

  auto legacy = runner.planned("mixlegacy");
  ASSERT_TRUE(legacy);
  EXPECT_EQ(legacy->tables.size(), tables);

  auto partial = runner.planned("partial");
  ASSERT_TRUE(partial);
  const std::string partial_summary = diff::migration_summary(*partial);
  // mdl_cache_flags was one of the MyISAM tables.
  EXPECT_EQ(partial_summary.substr(0, partial_summary.rfind("; ")),
            std::to_string(tables - 4) + " tables utf8mb3_unicode_ci → utf8mb4_unicode_ci, " +
                std::to_string(myisam - 1) + " tables MyISAM → InnoDB, " +
                std::to_string(tables - myisam - 3) + " tables Compact → Dynamic, " +
                std::to_string(myisam - 1) +
                " tables (MyISAM) → Dynamic; database default utf8mb3_general_ci → "
                "utf8mb4_unicode_ci")
      << partial_summary;

  auto rowsoff = runner.planned("rowsoff");
  ASSERT_TRUE(rowsoff);
  const std::string rowsoff_summary = diff::migration_summary(*rowsoff);
  // VMoodle creates databases as utf8mb4_general_ci; the tables are utf8mb4_unicode_ci.
  EXPECT_EQ(rowsoff_summary.substr(0, rowsoff_summary.rfind("; ")),
            "1 table utf8mb3_general_ci → utf8mb4_unicode_ci, 1 table MyISAM → InnoDB, 2 tables "
            "Compact → Dynamic, 1 table (MyISAM) → Dynamic; database default utf8mb4_general_ci "
            "→ utf8mb4_unicode_ci")
      << rowsoff_summary;
  EXPECT_NE(rowsoff_summary.find("to rewrite in 4 tables"), std::string::npos);

  EXPECT_FALSE(runner.planned("fresh")) << "a host at target shows nothing";

  // The interrupted host resumes: only the tables still off target are rebuilt.
  auto done = runner.migrate("partial");
  ASSERT_TRUE(done) << done.error().render();
  EXPECT_EQ(count_matching(runner.reporter().events, "|table mdl_"), tables - done_tables.size());
  EXPECT_EQ(count_matching(runner.reporter().events, "|table mdl_config ("), 0u);
  EXPECT_EQ(tables_not_at(table_states(ws, ws.db("partial")), "InnoDB|Dynamic|utf8mb4_unicode_ci"),
            std::vector<std::string>{});

  done = runner.migrate("rowsoff");
  ASSERT_TRUE(done) << done.error().render();
  for (const auto& column : column_collations(ws, ws.db("rowsoff"))) {
    EXPECT_EQ(column.substr(column.find('|') + 1), "utf8mb4_unicode_ci") << column;
  }

  MigrationRunner again(ws);
  again.load(target_manifest({"mixlegacy", "partial", "rowsoff", "fresh"}));
  EXPECT_FALSE(again.planned("partial"));
  EXPECT_FALSE(again.planned("rowsoff"));
  EXPECT_TRUE(again.planned("mixlegacy"));
}

} // namespace
} // namespace vmoodle::testing
