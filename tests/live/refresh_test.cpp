#include "vmoodle/live/refresh.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/fake_connection.hpp"
#include "tests/fakes/fake_effects.hpp"
#include "tests/fakes/memory_file_system.hpp"
#include "tests/fakes/sample_fleet.hpp"

namespace vmoodle::live {
namespace {

using namespace vmoodle::testing;

struct RefreshTest : ::testing::Test {
  void SetUp() override {
    secrets.values = {{"DB1_PASSWORD", "pw"}};
    db.answer("@@version", {{"v"}, {{std::string("10.11.6-MariaDB-0+deb12u1")}}});
    db.answer("local_vmoodle",
              {{},
               {{std::string("4"), std::string("H1"), std::string("h1"), std::nullopt,
                 std::string("https://h1.example.org"), std::string("mariadb"),
                 std::string("db1.internal"), std::string("moodle"), std::string("pw"),
                 std::string("vmdl_h1"), std::string("mdl_"), std::string("0"),
                 std::string("/var/moodledata/vhosts/h1"), std::string("-1"), std::string("1"),
                 std::string("1700000000")}}});
    db.answer("SCHEMATA", {{},
                           {{std::string("vmdl_h1"), std::string("utf8mb4"),
                             std::string("utf8mb4_unicode_ci"), std::string("")}}});
    db.answer("information_schema.TABLES",
              {{},
               {{std::string("vmdl_h1"), std::string("mdl_config"), std::string("InnoDB"),
                 std::string("utf8mb4_unicode_ci"), std::string("16384"), std::string("16384")}}});
    db.answer(
        "INNODB_SYS_TABLES",
        {{}, {{std::string("7"), std::string("vmdl_h1/mdl_config"), std::string("Dynamic")}}});
    db.answer("INNODB_SYS_COLUMNS", {{}, {{std::string("7"), std::nullopt, std::string("3")}}});
  }

  FakeDatabase db;
  FakeConnector connector{db};
  MemoryFileSystem files;
  MapSecretSource secrets;
};

TEST_F(RefreshTest, ReadsRegistryCatalogAndDisk) {
  auto fleet = sample_fleet(2);
  auto live = refresh(fleet, {connector, files, secrets});
  ASSERT_TRUE(live) << live.error().render();
  ASSERT_EQ(live->registry.size(), 1u);
  EXPECT_EQ(live->registry[0].id, 4);
  EXPECT_EQ(live->registry[0].description, "");
  EXPECT_EQ(live->registry[0].mnet, -1);
  const auto* db1 = live->database("db1", "vmdl_h1");
  ASSERT_NE(db1, nullptr);
  EXPECT_TRUE(db1->exists);
  ASSERT_EQ(db1->tables.size(), 1u);
  EXPECT_EQ(db1->tables[0].row_format, "Dynamic");
  const auto* db2 = live->database("db1", "vmdl_h2");
  ASSERT_NE(db2, nullptr);
  EXPECT_FALSE(db2->exists);
  EXPECT_EQ(live->server_versions.at("db1"), "10.11.6-MariaDB-0+deb12u1");
}

TEST_F(RefreshTest, ReadsAMariadbCatalogOnSeveralSessions) {
  auto fleet = sample_fleet(2);
  fleet.hosts[0].collation = "utf8mb4_unicode_ci";
  fleet.servers["db1"].max_parallel = 2;
  ASSERT_TRUE(refresh(fleet, {connector, files, secrets}));
  // The master's session, then the catalog's two.
  EXPECT_EQ(db.connects.size(), 3u);
  EXPECT_FALSE(db.statements_matching("INNODB_SYS_COLUMNS").empty());
  EXPECT_TRUE(db.statements_matching("information_schema.COLUMNS").empty());
}

TEST_F(RefreshTest, ColumnsAreCountedOnlyForCollationsSomeHostWouldMoveAway) {
  db.answer("COLLATIONS", {{},
                           {{std::string("224"), std::string("utf8mb4_unicode_ci")},
                            {std::string("45"), std::string("utf8mb4_general_ci")}}});
  // No host manages its collation: the plan never looks at a column.
  auto fleet = sample_fleet(2);
  ASSERT_TRUE(refresh(fleet, {connector, files, secrets}));
  EXPECT_TRUE(db.statements_matching("INNODB_SYS_COLUMNS").empty());

  // One target: its collation is not counted.
  db.log.clear();
  fleet.hosts[0].collation = "utf8mb4_unicode_ci";
  ASSERT_TRUE(refresh(fleet, {connector, files, secrets}));
  auto columns = db.statements_matching("INNODB_SYS_COLUMNS");
  ASSERT_EQ(columns.size(), 1u);
  EXPECT_NE(columns[0].find("NOT IN (224)"), std::string::npos) << columns[0];

  // Two hosts, two targets: each collation is off some host's target, all are counted.
  db.log.clear();
  fleet.hosts[1].collation = "utf8mb4_general_ci";
  ASSERT_TRUE(refresh(fleet, {connector, files, secrets}));
  columns = db.statements_matching("INNODB_SYS_COLUMNS");
  ASSERT_EQ(columns.size(), 1u);
  EXPECT_EQ(columns[0].find("NOT IN"), std::string::npos) << columns[0];
}

TEST_F(RefreshTest, CatalogSessionsStayWithinTheServersProcessors) {
  // @@thread_pool_size is MariaDB's processor count unless set otherwise.
  db.rules.insert(db.rules.begin(),
                  {"@@thread_pool_size", db::ResultSet{{}, {{std::string("1")}}}});
  auto fleet = sample_fleet(2);
  fleet.servers["db1"].max_parallel = 8;
  ASSERT_TRUE(refresh(fleet, {connector, files, secrets}));
  EXPECT_EQ(db.connects.size(), 2u); // the master's session and one catalog session

  db.connects.clear();
  db.rules.front().answer = db::ResultSet{{}, {{std::string("2")}}};
  ASSERT_TRUE(refresh(fleet, {connector, files, secrets}));
  EXPECT_EQ(db.connects.size(), 3u);
}

TEST_F(RefreshTest, AServerThatDoesNotSayItsProcessorsGetsTheDefaultSessions) {
  db.failing.push_back("@@thread_pool_size");
  auto fleet = sample_fleet(2);
  fleet.servers["db1"].max_parallel = 8;
  ASSERT_TRUE(refresh(fleet, {connector, files, secrets}));
  EXPECT_EQ(db.connects.size(), 4u); // the master's and three catalog sessions
}

TEST_F(RefreshTest, OtherServersAreReadThroughInformationSchema) {
  db.rules.insert(db.rules.begin(), {"@@version", db::ResultSet{{}, {{std::string("8.0.36")}}}});
  auto live = refresh(sample_fleet(2), {connector, files, secrets});
  ASSERT_TRUE(live) << live.error().render();
  EXPECT_TRUE(db.statements_matching("INNODB_SYS_COLUMNS").empty());
  EXPECT_FALSE(db.statements_matching("information_schema.COLUMNS").empty());
}

TEST_F(RefreshTest, QueryCountDoesNotGrowWithTablesAndBarelyWithHosts) {
  auto small = sample_fleet(2);
  ASSERT_TRUE(refresh(small, {connector, files, secrets}));
  const auto few = db.log.size();
  db.log.clear();
  auto large = sample_fleet(200);
  ASSERT_TRUE(refresh(large, {connector, files, secrets}));
  // One more TABLES query per 10 schemas (so that sessions share them), no more.
  EXPECT_LE(db.log.size(), few + 200 / 10);
  for (const auto& [server, sql] : db.log) {
    EXPECT_EQ(sql.find("ROW_FORMAT FROM information_schema.TABLES"), std::string::npos);
  }
}

TEST_F(RefreshTest, HostileDatabaseNamesStayInsideLiterals) {
  auto fleet = sample_fleet(1);
  fleet.hosts[0].database = "x'); DROP DATABASE y; --";
  ASSERT_TRUE(refresh(fleet, {connector, files, secrets}));
  for (const auto& [server, sql] : db.log) {
    EXPECT_EQ(sql.find("'x');"), std::string::npos) << sql;
  }
}

TEST_F(RefreshTest, MissingServerPasswordIsAnError) {
  secrets.values.clear();
  auto live = refresh(sample_fleet(1), {connector, files, secrets});
  ASSERT_FALSE(live);
  EXPECT_EQ(live.error().kind, ErrorKind::secret);
  EXPECT_TRUE(db.connects.empty());
}

} // namespace
} // namespace vmoodle::live
