#include "vmoodle/live/innodb_dictionary.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/fake_connection.hpp"
#include "vmoodle/live/catalog_queries.hpp"

namespace vmoodle::live {
namespace {

using namespace vmoodle::testing;

db::Row row(std::initializer_list<const char*> values) {
  db::Row out;
  for (const char* value : values) {
    out.emplace_back(value == nullptr ? std::nullopt : std::optional<std::string>(value));
  }
  return out;
}

// Answers in the shapes MariaDB 10.11 gives (checked against a real server by
// integration/live/innodb_dictionary_test.cpp).
struct DictionaryTest : ::testing::Test {
  void SetUp() override {
    // The dictionary's tables, then per table one row per collation of its text columns
    // and one (NULL) for its other columns.
    db.answer("INNODB_SYS_TABLES", {{},
                                    {row({"11", "vmdl_a/mdl_user", "Dynamic"}),
                                     row({"12", "vmdl_a/mdl_files", "Compact"}),
                                     row({"13", "vmdl_a/mdl_choice", "Dynamic"}),
                                     row({"14", "vmdl_a/mdl_counts", "Dynamic"})}});
    db.answer("INNODB_SYS_COLUMNS",
              {{},
               {row({"11", "224", "12"}), row({"11", "192", "2"}), row({"11", nullptr, "4"}),
                row({"12", "63", "1"}), row({"12", "224", "5"}), row({"12", nullptr, "2"}),
                row({"13", "224", "3"}), row({"13", "-1", "1"}), row({"14", nullptr, "3"}),
                row({"99", "224", "7"})}});
    db.answer("information_schema.TABLES WHERE TABLE_TYPE",
              {{},
               {row({"vmdl_a", "mdl_user", "InnoDB", "utf8mb4_unicode_ci"}),
                row({"vmdl_a", "mdl_files", "InnoDB", "utf8mb4_unicode_ci"}),
                row({"vmdl_a", "mdl_choice", "InnoDB", "utf8mb4_unicode_ci"}),
                row({"vmdl_a", "mdl_counts", "InnoDB", "utf8mb4_unicode_ci"}),
                row({"vmdl_a", "mdl_log", "MyISAM", "utf8mb3_general_ci"})}});
    db.answer("innodb_table_stats", {{},
                                     {row({"vmdl_a", "mdl_user", "1638400", "327680"}),
                                      row({"vmdl_a", "mdl_files", "16384", "0"})}});
    db.answer("COLLATIONS", {{},
                             {row({"224", "utf8mb4_unicode_ci"}),
                              row({"192", "utf8mb3_unicode_ci"}), row({"63", "binary"})}});
    db.answer("SCHEMATA",
              {{}, {row({"vmdl_a", "utf8mb4", "utf8mb4_unicode_ci", "vmoodle-apply creating"})}});
    db.answer("information_schema.COLUMNS WHERE TABLE_SCHEMA",
              {{},
               {row({"vmdl_a", "mdl_choice", "utf8mb4_unicode_ci", "3"}),
                row({"vmdl_a", "mdl_choice", "utf8mb3_general_ci", "1"}),
                row({"vmdl_a", "mdl_log", "utf8mb3_general_ci", "4"})}});
    db.answer("information_schema.TABLES WHERE TABLE_SCHEMA =",
              {{},
               {row({"vmdl_a", "mdl_choice", "32768", "0"}),
                row({"vmdl_a", "mdl_log", "2048", "1024"})}});
  }

  const model::TableFacts& table(const model::DatabaseFacts& facts, const std::string& name) {
    for (const auto& t : facts.tables) {
      if (t.name == name) {
        return t;
      }
    }
    throw std::runtime_error("no table " + name);
  }

  Result<std::map<std::string, model::DatabaseFacts>> read(std::size_t sessions,
                                                           const CollationFilter& counted = {}) {
    std::vector<std::unique_ptr<FakeConnection>> owned;
    std::vector<db::Connection*> pointers;
    for (std::size_t i = 0; i < sessions; ++i) {
      owned.push_back(std::make_unique<FakeConnection>(db, "db1"));
      pointers.push_back(owned.back().get());
    }
    return read_databases_from_dictionary(pointers, {"vmdl_a", "vmdl_b"}, counted);
  }

  FakeDatabase db;
};

TEST_F(DictionaryTest, InnodbTablesComeFromTheDictionaryAlone) {
  auto facts = read(1);
  ASSERT_TRUE(facts) << facts.error().render();
  const auto& a = facts->at("vmdl_a");
  EXPECT_TRUE(a.exists);
  EXPECT_EQ(a.comment, "vmoodle-apply creating");
  EXPECT_FALSE(facts->contains("vmdl_b"));
  ASSERT_EQ(a.tables.size(), 5u);
  EXPECT_EQ(a.tables.front().name, "mdl_choice"); // sorted by name

  const auto& user = table(a, "mdl_user");
  EXPECT_EQ(user.engine, "InnoDB");
  EXPECT_EQ(user.row_format, "Dynamic");
  EXPECT_EQ(user.data_length, 1638400u);
  EXPECT_EQ(user.index_length, 327680u);
  const std::map<std::string, int> user_columns{{"utf8mb4_unicode_ci", 12},
                                                {"utf8mb3_unicode_ci", 2}};
  EXPECT_EQ(user.column_collations, user_columns);

  // A BLOB's "binary" is not a text column's collation (COLUMNS says NULL).
  const std::map<std::string, int> files_columns{{"utf8mb4_unicode_ci", 5}};
  EXPECT_EQ(table(a, "mdl_files").column_collations, files_columns);
  EXPECT_EQ(table(a, "mdl_files").row_format, "Compact");
  // In the dictionary without a text column: described, with no collation to count.
  EXPECT_EQ(table(a, "mdl_counts").row_format, "Dynamic");
  EXPECT_TRUE(table(a, "mdl_counts").column_collations.empty());

  // Neither mdl_user, mdl_files nor mdl_counts is looked up one by one.
  for (const auto& sql : db.statements_matching("information_schema.COLUMNS")) {
    EXPECT_EQ(sql.find("'mdl_user'"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("'mdl_files'"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("'mdl_counts'"), std::string::npos) << sql;
  }
}

TEST_F(DictionaryTest, TablesTheDictionaryCannotDescribeAreLookedUpOneByOne) {
  auto facts = read(1);
  ASSERT_TRUE(facts) << facts.error().render();
  const auto& a = facts->at("vmdl_a");
  // An ENUM column (-1): the dictionary's partial counts are replaced by COLUMNS'.
  const std::map<std::string, int> choice{{"utf8mb4_unicode_ci", 3}, {"utf8mb3_general_ci", 1}};
  EXPECT_EQ(table(a, "mdl_choice").column_collations, choice);
  EXPECT_EQ(table(a, "mdl_choice").row_format, "Dynamic");
  EXPECT_EQ(table(a, "mdl_choice").data_length, 32768u);
  // MyISAM: not in the dictionary at all.
  const auto& log = table(a, "mdl_log");
  EXPECT_EQ(log.row_format, "");
  EXPECT_EQ(log.data_length, 2048u);
  EXPECT_EQ(log.index_length, 1024u);
  EXPECT_EQ(log.column_collations.at("utf8mb3_general_ci"), 4);

  const auto lookups = db.statements_matching("information_schema.COLUMNS WHERE TABLE_SCHEMA =");
  ASSERT_EQ(lookups.size(), 1u); // both tables in one statement
  EXPECT_NE(lookups[0].find("TABLE_NAME = 'mdl_choice'"), std::string::npos);
  EXPECT_NE(lookups[0].find("TABLE_NAME = 'mdl_log'"), std::string::npos);
  // No statement asks for sizes or ROW_FORMAT of every table of a schema.
  for (const auto& [server, sql] : db.log) {
    EXPECT_EQ(sql.find("ROW_FORMAT FROM information_schema.TABLES"), std::string::npos) << sql;
    if (sql.find("DATA_LENGTH") != std::string::npos) {
      EXPECT_NE(sql.find("TABLE_NAME ="), std::string::npos) << sql;
    }
  }
}

TEST_F(DictionaryTest, CollationsTheCallerDoesNotLookAtAreNeitherAskedForNorKept) {
  auto facts = read(2, [](const std::string& name) { return name != "utf8mb4_unicode_ci"; });
  ASSERT_TRUE(facts) << facts.error().render();
  const auto statements = db.statements_matching("INNODB_SYS_COLUMNS");
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_NE(statements[0].find("(PRTYPE >> 16) & 32767 NOT IN (224)"), std::string::npos)
      << statements[0];
  EXPECT_NE(statements[0].find("TABLE_ID IN (11, 12, 13, 14)"), std::string::npos)
      << "only the fleet's tables come back: " << statements[0];
  // The collations were read before it, so that it could name the id.
  EXPECT_LT(db.index_of("information_schema.COLLATIONS"), db.index_of("INNODB_SYS_COLUMNS"));
  const auto& a = facts->at("vmdl_a");
  const std::map<std::string, int> user_columns{{"utf8mb3_unicode_ci", 2}};
  EXPECT_EQ(table(a, "mdl_user").column_collations, user_columns);
  EXPECT_TRUE(table(a, "mdl_files").column_collations.empty());
  EXPECT_EQ(table(a, "mdl_files").row_format, "Compact");
  // Looked up one by one (an ENUM column), the skipped collation is left out too.
  EXPECT_FALSE(table(a, "mdl_choice").column_collations.contains("utf8mb4_unicode_ci"));
  EXPECT_EQ(table(a, "mdl_choice").column_collations.at("utf8mb3_general_ci"), 1);
}

TEST_F(DictionaryTest, NoCollationLookedAtReadsNoColumn) {
  auto facts = read(2, [](const std::string&) { return false; });
  ASSERT_TRUE(facts) << facts.error().render();
  EXPECT_TRUE(db.statements_matching("INNODB_SYS_COLUMNS").empty());
  const auto& a = facts->at("vmdl_a");
  EXPECT_EQ(table(a, "mdl_user").row_format, "Dynamic");
  EXPECT_TRUE(table(a, "mdl_user").column_collations.empty());
  // Described by the dictionary, ENUM columns or not: only the MyISAM table is looked up.
  const auto lookups = db.statements_matching("information_schema.COLUMNS WHERE TABLE_SCHEMA =");
  ASSERT_EQ(lookups.size(), 1u);
  EXPECT_EQ(lookups[0].find("'mdl_user'"), std::string::npos) << lookups[0];
  EXPECT_EQ(lookups[0].find("'mdl_choice'"), std::string::npos) << lookups[0];
  EXPECT_NE(lookups[0].find("'mdl_log'"), std::string::npos) << lookups[0];
}

TEST_F(DictionaryTest, TheColumnScanMayUseMemoryForItsOneStatement) {
  ASSERT_TRUE(read(2));
  const int raise = db.index_of("SESSION tmp_table_size = GREATEST(@@SESSION.tmp_table_size");
  const int scan = db.index_of("INNODB_SYS_COLUMNS");
  const int restore = db.index_of("SET SESSION tmp_table_size = @vmoodle_tmp_table_size");
  ASSERT_GE(raise, 0);
  EXPECT_LT(raise, scan);
  EXPECT_LT(scan, restore);
  EXPECT_LT(db.index_of("INNODB_SYS_TABLES"), raise) << "the tables' view keeps the defaults";
  const auto session = db.log[static_cast<std::size_t>(raise)].first;
  EXPECT_EQ(db.log[static_cast<std::size_t>(scan)].first, session);
  EXPECT_EQ(db.log[static_cast<std::size_t>(restore)].first, session);
}

// Refuses the first column scan, as a server whose max_session_mem_used is reached.
class RefusesOneScan : public FakeConnection {
public:
  using FakeConnection::FakeConnection;
  Result<db::ResultSet> query(std::string_view sql) override {
    auto answer = FakeConnection::query(sql);
    if (sql.find("INNODB_SYS_COLUMNS") != std::string_view::npos && !m_refused) {
      m_refused = true;
      return fail(ErrorKind::db, "out of memory", describe());
    }
    return answer;
  }

private:
  bool m_refused = false;
};

TEST_F(DictionaryTest, AServerRefusingTheMemoryCountsWithItsOwn) {
  RefusesOneScan conn(db, "db1");
  auto facts = read_databases_from_dictionary({&conn}, {"vmdl_a"});
  ASSERT_TRUE(facts) << facts.error().render();
  const auto scans = db.statements_matching("INNODB_SYS_COLUMNS");
  ASSERT_EQ(scans.size(), 2u);
  EXPECT_EQ(scans[0], scans[1]);
  EXPECT_LT(db.index_of("SET SESSION tmp_table_size = @vmoodle"),
            static_cast<int>(db.log.size()) - 1);
  const std::map<std::string, int> user_columns{{"utf8mb4_unicode_ci", 12},
                                                {"utf8mb3_unicode_ci", 2}};
  EXPECT_EQ(table(facts->at("vmdl_a"), "mdl_user").column_collations, user_columns);
}

TEST_F(DictionaryTest, ASessionThatCannotRaiseItsLimitsCountsWithThem) {
  db.failing.push_back("GREATEST(@@SESSION.tmp_table_size");
  auto facts = read(1);
  ASSERT_TRUE(facts) << facts.error().render();
  EXPECT_EQ(db.statements_matching("INNODB_SYS_COLUMNS").size(), 1u);
  EXPECT_TRUE(db.statements_matching("@vmoodle_tmp_table_size, SESSION max_heap").empty())
      << "nothing to set back";
  EXPECT_EQ(table(facts->at("vmdl_a"), "mdl_user").column_collations.at("utf8mb4_unicode_ci"), 12);
}

TEST_F(DictionaryTest, ATableRebuiltBetweenTheTwoViewsIsLookedUp) {
  // mdl_user's id in the columns' answer is no longer the one INNODB_SYS_TABLES gave.
  db.rules.insert(
      db.rules.begin(),
      {"INNODB_SYS_COLUMNS", db::ResultSet{{},
                                           {row({"12", "224", "5"}), row({"13", nullptr, "1"}),
                                            row({"14", nullptr, "3"}), row({"21", "224", "12"})}}});
  auto facts = read(1);
  ASSERT_TRUE(facts) << facts.error().render();
  const auto lookups = db.statements_matching("information_schema.COLUMNS WHERE TABLE_SCHEMA =");
  ASSERT_EQ(lookups.size(), 1u);
  EXPECT_NE(lookups[0].find("'mdl_user'"), std::string::npos) << lookups[0];
  EXPECT_EQ(lookups[0].find("'mdl_files'"), std::string::npos) << lookups[0];
}

TEST_F(DictionaryTest, SizesFallBackToTablespacesWithoutTheStatisticsTables) {
  db.failing.push_back("innodb_table_stats");
  db.rules.insert(db.rules.begin(), {"INNODB_SYS_TABLESPACES",
                                     db::ResultSet{{}, {row({"vmdl_a/mdl_user", "9437184"})}}});
  auto facts = read(2);
  ASSERT_TRUE(facts) << facts.error().render();
  EXPECT_EQ(table(facts->at("vmdl_a"), "mdl_user").data_length, 9437184u);
  EXPECT_EQ(table(facts->at("vmdl_a"), "mdl_user").index_length, 0u);
}

TEST_F(DictionaryTest, EveryQueryRunsOnceWhateverTheSessions) {
  ASSERT_TRUE(read(1));
  const auto alone = db.log.size();
  db.log.clear();
  ASSERT_TRUE(read(3));
  EXPECT_EQ(db.log.size(), alone);
}

TEST_F(DictionaryTest, AFailingQueryFailsTheRead) {
  db.failing.push_back("INNODB_SYS_COLUMNS");
  auto facts = read(3);
  ASSERT_FALSE(facts);
  EXPECT_EQ(facts.error().kind, ErrorKind::db);
}

TEST_F(DictionaryTest, HostileTableNamesStayInsideLiterals) {
  db.rules.insert(db.rules.begin(),
                  {"information_schema.TABLES WHERE TABLE_TYPE",
                   db::ResultSet{{}, {row({"vmdl_a", "t'); DROP DATABASE x; --", "MyISAM", ""})}}});
  ASSERT_TRUE(read(1));
  const auto lookups = db.statements_matching("TABLE_NAME =");
  ASSERT_FALSE(lookups.empty());
  for (const auto& sql : lookups) {
    EXPECT_NE(sql.find("'t\\'); DROP DATABASE x; --'"), std::string::npos) << sql;
  }
}

TEST(MariadbVersion, IsRecognised) {
  EXPECT_TRUE(is_mariadb_version("10.11.6-MariaDB-0+deb12u1"));
  EXPECT_FALSE(is_mariadb_version("8.0.36"));
}

} // namespace
} // namespace vmoodle::live
