// Preflight refusals against the real server: each shows its message, naming the host,
// the table and the reason, and leaves every table and the database default as they were.
// (An unavailable engine and MariaDB 10.6.0–10.6.5 cannot be staged on this server: the
// unit tests in tests/apply/ cover them with a fake server.)
#include <gtest/gtest.h>

#include "integration/migrate/migrate_fixture.hpp"

namespace vmoodle::testing {
namespace {

class MigrateRefusalTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_ws = new FleetWorkspace("migref");
    auto created = s_ws->cli(
        {"apply", "-f", s_ws->write_manifest(s_ws->manifest_head() + host_entries({"refused"})),
         "--auto-approve"});
    ASSERT_EQ(created.exit_code, 0) << created.out << created.err;
    load_legacy_site(*s_ws, s_ws->db("refused"));
  }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  /// Everything a migration could change, as text.
  std::vector<std::string> shape() {
    const std::string db = s_ws->db("refused");
    auto out = table_states(*s_ws, db);
    for (const auto& column : column_collations(*s_ws, db)) {
      out.push_back(column);
    }
    out.push_back(database_default(*s_ws, db));
    return out;
  }

  /// Runs the migration to `target` (lines for `defaults:`) and returns its error text,
  /// after checking that it failed in the preflight and altered nothing.
  std::string refusal(const std::string& target) {
    const auto before = shape();
    MigrationRunner runner(*s_ws);
    runner.load(head_with_defaults(*s_ws, target) + host_entries({"refused"}));
    EXPECT_TRUE(runner.planned("refused"));
    auto done = runner.migrate("refused");
    EXPECT_FALSE(done);
    EXPECT_EQ(runner.reporter().events,
              std::vector<std::string>{vhost("refused") + "|preflight|failed"});
    EXPECT_EQ(shape(), before) << "nothing may be altered";
    return done ? std::string() : done.error().render();
  }

  /// Sets a global server variable for one test.
  class GlobalVariable {
  public:
    GlobalVariable(std::string name, const std::string& value, std::string restore)
        : m_name(std::move(name)), m_restore(std::move(restore)) {
      set(value);
    }
    ~GlobalVariable() { set(m_restore); }

  private:
    void set(const std::string& value) {
      auto done = s_ws->sandbox().connect()->execute("SET GLOBAL " + m_name + " = " + value);
      EXPECT_TRUE(done) << done.error().render();
    }
    std::string m_name;
    std::string m_restore;
  };

  static FleetWorkspace* s_ws;
};

FleetWorkspace* MigrateRefusalTest::s_ws = nullptr;

TEST_F(MigrateRefusalTest, Utf8mb4WithCompactRowsHitsThe767ByteIndexPrefixLimit) {
  const std::string text = refusal("  collation: utf8mb4_unicode_ci\n  engine: InnoDB\n"
                                   "  row_format: Compact\n");
  EXPECT_NE(text.find(vhost("refused") + " (preflight): migration of database " +
                      s_ws->db("refused") + " refused before any change"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(vhost("refused") +
                      ": table mdl_config: index `mdl_conf_nam_uix` would take 1020 bytes for "
                      "column `name` (255 characters of utf8mb4), over the 767-byte key prefix "
                      "limit of Compact rows (ERROR 1709)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("hint: use row_format: Dynamic"), std::string::npos) << text;
  EXPECT_NE(text.find("nothing was altered on this host"), std::string::npos) << text;
}

TEST_F(MigrateRefusalTest, CompactRowsOverMoodlesRowSizeEstimateAreRefused) {
  // Staying utf8mb3 keeps every index within 767 bytes: only the row size is in the way.
  const std::string text = refusal("  collation: utf8mb3_general_ci\n  row_format: Compact\n");
  EXPECT_NE(text.find(vhost("refused") + ": table mdl_user: Moodle estimates a row at 12907 "
                                         "bytes, over the 8126 bytes a Compact row holds "
                                         "(ERROR 1118 Row size too large)"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("ERROR 1709"), std::string::npos) << text;
}

TEST_F(MigrateRefusalTest, CompressedNeedsInnodbFilePerTable) {
  GlobalVariable off("innodb_file_per_table", "OFF", "ON");
  const std::string text = refusal("  collation: utf8mb4_unicode_ci\n  engine: InnoDB\n"
                                   "  row_format: Compressed\n");
  // One line for all the tables it concerns.
  const auto line_start = text.find(vhost("refused") + ": tables mdl_");
  const auto reason = text.find(": Compressed rows need innodb_file_per_table=ON; the server has "
                                "it OFF");
  ASSERT_NE(line_start, std::string::npos) << text;
  ASSERT_NE(reason, std::string::npos) << text;
  const std::string tables = text.substr(line_start, reason - line_start);
  EXPECT_NE(tables.find(" mdl_config,"), std::string::npos) << tables;
  EXPECT_NE(tables.find(" mdl_user,"), std::string::npos) << tables;
  EXPECT_NE(text.find("hint: SET GLOBAL innodb_file_per_table=ON"), std::string::npos) << text;
}

TEST_F(MigrateRefusalTest, CompressedIsRefusedWhileCompressedTablesAreReadOnly) {
  // What MariaDB 10.6.0–10.6.5 do by default (MDL-72131), staged on this server.
  GlobalVariable on("innodb_read_only_compressed", "ON", "OFF");
  const std::string text = refusal("  collation: utf8mb4_unicode_ci\n  engine: InnoDB\n"
                                   "  row_format: Compressed\n");
  EXPECT_NE(text.find("the server has innodb_read_only_compressed=ON: Compressed tables are "
                      "read-only"),
            std::string::npos)
      << text;
}

} // namespace
} // namespace vmoodle::testing
