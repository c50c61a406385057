#include "vmoodle/apply/parallel_load.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "tests/fakes/fake_connection.hpp"
#include "tests/fakes/memory_file_system.hpp"
#include "vmoodle/apply/load_queue.hpp"

namespace vmoodle::apply {
namespace {

using namespace vmoodle::testing;

LoadTask task_of(const std::string& table, bool ddl, std::size_t bytes) {
  return LoadTask{{{"statement on " + table, 1}}, table, ddl, false, bytes};
}

TEST(LoadQueue, HandsOutDdlFirstAndSignalsCreatedTables) {
  LoadQueue queue(100);
  ASSERT_TRUE(queue.push(task_of("a", false, 10)));
  ASSERT_TRUE(queue.push(task_of("b", true, 10)));
  auto first = queue.pop();
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->ddl);
  EXPECT_EQ(first->table, "b");
  std::atomic<bool> created = false;
  std::thread waiter([&] {
    EXPECT_TRUE(queue.wait_created("b"));
    created = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(created) << "b's CREATE has not run yet";
  queue.done(*first);
  waiter.join();
  EXPECT_TRUE(created);
  auto second = queue.pop();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->table, "a");
  queue.done(*second);
  EXPECT_TRUE(queue.drain());
  queue.close();
  EXPECT_FALSE(queue.pop());
}

TEST(LoadQueue, BoundsTheBytesWaitingButLetsALargeTaskThroughAlone) {
  LoadQueue queue(100);
  ASSERT_TRUE(queue.push(task_of("a", false, 80)));
  std::atomic<bool> pushed = false;
  std::thread reader([&] {
    EXPECT_TRUE(queue.push(task_of("b", false, 30)));
    pushed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_FALSE(pushed) << "80 + 30 bytes exceed the bound";
  auto first = queue.pop();
  reader.join();
  EXPECT_TRUE(pushed);
  queue.done(*first);
  queue.done(*queue.pop());
  EXPECT_TRUE(queue.push(task_of("huge", false, 1000))) << "alone in an empty queue";
}

TEST(LoadQueue, AFailureWakesEveryoneAndKeepsTheFirstError) {
  LoadQueue queue(10);
  ASSERT_TRUE(queue.push(task_of("a", false, 10)));
  std::thread reader([&] { EXPECT_FALSE(queue.push(task_of("b", false, 10))); });
  std::thread waiter([&] { EXPECT_FALSE(queue.wait_created("c")); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  queue.fail(Error{ErrorKind::db, "first", "x:3", {}, {}});
  queue.fail(Error{ErrorKind::db, "second", "x:9", {}, {}});
  reader.join();
  waiter.join();
  EXPECT_FALSE(queue.pop());
  EXPECT_FALSE(queue.drain());
  ASSERT_TRUE(queue.failure());
  EXPECT_EQ(queue.failure()->message, "first");
}

// A session whose CREATE TABLE takes a while, so that rows sent too early show.
class SlowCreates : public FakeConnection {
public:
  using FakeConnection::FakeConnection;
  Status execute(std::string_view sql) override {
    if (sql.find("CREATE TABLE") != std::string_view::npos) {
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
    return FakeConnection::execute(sql);
  }
};

constexpr const char* k_two_table_dump =
    "-- header\n"
    "/*!40101 SET NAMES utf8mb4 */;\n"                                                      // 2
    "/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n" // 3
    "DROP TABLE IF EXISTS `mdl_a`;\n"                                                       // 4
    "/*!40101 SET character_set_client = utf8mb4 */;\n"                                     // 5
    "CREATE TABLE `mdl_a` (`id` int);\n"                                                    // 6
    "/*!40101 SET character_set_client = @saved_cs_client */;\n"                            // 7
    "LOCK TABLES `mdl_a` WRITE;\n"                                                          // 8
    "/*!40000 ALTER TABLE `mdl_a` DISABLE KEYS */;\n"                                       // 9
    "INSERT INTO `mdl_a` VALUES (1),(2);\n"                                                 // 10
    "INSERT INTO `mdl_a` VALUES (3);\n"                                                     // 11
    "INSERT INTO `mdl_a` VALUES (4);\n"                                                     // 12
    "/*!40000 ALTER TABLE `mdl_a` ENABLE KEYS */;\n"                                        // 13
    "UNLOCK TABLES;\n"                                                                      // 14
    "DROP TABLE IF EXISTS `mdl_b`;\n"                                                       // 15
    "CREATE TABLE `mdl_b` (`s` text);\n"                                                    // 16
    "INSERT INTO `mdl_b` VALUES ('mdl_b stays');\n"                                         // 17
    "CREATE TABLE `mdl_c` (`id` int);\n"                                                    // 18
    "INSERT INTO `mdl_c` VALUES (7);\n"                                                     // 19
    "/*!50001 CREATE VIEW `mdl_v` AS select 1 */;\n"                                        // 20
    "/*!40014 SET FOREIGN_KEY_CHECKS=@OLD_FOREIGN_KEY_CHECKS */;\n";                        // 21

class ParallelLoadTest : public ::testing::Test {
protected:
  void SetUp() override { files.add_file("/t/dump.sql", k_two_table_dump); }

  Result<LoadStats> load(std::size_t workers) {
    ConnectionFactory connect = [this]() -> Result<std::unique_ptr<db::Connection>> {
      if (fail_connect) {
        return fail(ErrorKind::db, "cannot connect", "server w");
      }
      return std::unique_ptr<db::Connection>(
          new FakeConnection(db, "w" + std::to_string(++opened)));
    };
    ParallelLoadOptions options;
    options.workers = workers;
    options.queue_bytes = 64; // a few statements: the reader waits on the workers
    options.new_database = new_database;
    return load_template_parallel(files, "/t/dump.sql", main, connect, "mdl_", "x_", nullptr,
                                  options);
  }

  int index_of(const std::string& needle) const { return db.index_of(needle); }

  FakeDatabase db;
  FakeConnection main{db, "main"};
  MemoryFileSystem files;
  int opened = 0;
  bool fail_connect = false;
  bool new_database = false;
};

TEST_F(ParallelLoadTest, RunsEveryStatementOnceAfterItsTableAndSessionSetup) {
  auto stats = load(3);
  ASSERT_TRUE(stats) << stats.error().render();
  EXPECT_EQ(opened, 3);
  EXPECT_EQ(stats->tables, (std::set<std::string>{"x_a", "x_b", "x_c"}));
  EXPECT_EQ(db.statements_matching("INSERT INTO").size(), 5u);
  for (const char* row : {"(1),(2)", "(3)", "(4)"}) {
    EXPECT_EQ(db.statements_matching(std::string("INSERT INTO `x_a` VALUES ") + row).size(), 1u);
    EXPECT_GT(index_of(std::string("INSERT INTO `x_a` VALUES ") + row),
              index_of("CREATE TABLE `x_a`"));
  }
  EXPECT_GT(index_of("INSERT INTO `x_b` VALUES ('mdl_b stays')"), index_of("CREATE TABLE `x_b`"))
      << "identifiers renamed, data kept";
  EXPECT_GT(index_of("INSERT INTO `x_c`"), index_of("CREATE TABLE `x_c`"));
  EXPECT_TRUE(db.statements_matching("LOCK TABLES").empty());
  EXPECT_TRUE(db.statements_matching("KEYS").empty());

  // Every session gets the header first; the view runs on `main` after all rows.
  std::map<std::string, std::vector<std::string>> by_session;
  for (const auto& [session, sql] : db.log) {
    by_session[session].push_back(sql);
  }
  EXPECT_EQ(by_session.size(), 4u);
  for (const auto& [session, statements] : by_session) {
    ASSERT_GE(statements.size(), 3u) << session;
    EXPECT_EQ(statements[0], "/*!40101 SET NAMES utf8mb4 */") << session;
    EXPECT_NE(statements[1].find("FOREIGN_KEY_CHECKS=0"), std::string::npos) << session;
    EXPECT_NE(statements.back().find("SET FOREIGN_KEY_CHECKS=@OLD"), std::string::npos) << session;
  }
  const int view = index_of("CREATE VIEW `x_v`");
  ASSERT_GE(view, 0);
  EXPECT_EQ(db.log[static_cast<std::size_t>(view)].first, "main");
  for (const auto& insert : {"(4)", "x_b", "x_c"}) {
    EXPECT_LT(index_of(insert), view);
  }
  // A table's DDL and the SETs around it share a session, in order.
  const int drop = index_of("DROP TABLE IF EXISTS `x_a`");
  const int create = index_of("CREATE TABLE `x_a`");
  const std::string session = db.log[static_cast<std::size_t>(drop)].first;
  EXPECT_EQ(db.log[static_cast<std::size_t>(create)].first, session);
  EXPECT_LT(drop, create);
}

TEST_F(ParallelLoadTest, SetsAroundAViewAfterAnEmptyTableReachEverySession) {
  files.add_file("/t/view.sql", "/*!40101 SET NAMES utf8mb4 */;\n"
                                "CREATE TABLE `mdl_e` (`id` int);\n"
                                "/*!40101 SET character_set_client = @saved_cs_client */;\n"
                                "SET @saved_cs_client = @@character_set_client;\n"
                                "SET character_set_client = utf8;\n"
                                "/*!50001 CREATE VIEW `mdl_w` AS SELECT 1 AS `a` */;\n"
                                "SET character_set_client = @saved_cs_client;\n");
  ConnectionFactory connect = [this]() -> Result<std::unique_ptr<db::Connection>> {
    return std::unique_ptr<db::Connection>(new FakeConnection(db, "w" + std::to_string(++opened)));
  };
  ParallelLoadOptions options;
  options.workers = 2;
  auto stats =
      load_template_parallel(files, "/t/view.sql", main, connect, "mdl_", "x_", nullptr, options);
  ASSERT_TRUE(stats) << stats.error().render();
  for (const char* set :
       {"SET @saved_cs_client = @@character_set_client", "SET character_set_client = utf8",
        "SET character_set_client = @saved_cs_client"}) {
    std::set<std::string> sessions;
    for (const auto& [session, sql] : db.log) {
      if (sql == set) {
        sessions.insert(session);
      }
    }
    // The table's own restore (inside /*!40101 */) stays with its DDL; these are the view's.
    EXPECT_EQ(sessions, (std::set<std::string>{"main", "w1", "w2"})) << set;
  }
  EXPECT_EQ(db.log[static_cast<std::size_t>(index_of("CREATE VIEW `x_w`"))].first, "main");
}

TEST_F(ParallelLoadTest, LoadsSideBySideShareTheServersSessions) {
  ParallelLoadOptions options;
  options.workers = 3;
  options.budget_key = "db1";
  std::size_t in_use_during = 0;
  int inner_opened = 0;
  Result<LoadStats> inner = LoadStats{};
  ConnectionFactory connect = [&]() -> Result<std::unique_ptr<db::Connection>> {
    in_use_during = load_sessions_in_use("db1");
    if (++opened == 1) {
      // A second create starting now finds the budget spent: it loads on its own session.
      FakeConnection other_main(db, "other");
      ConnectionFactory other = [&]() -> Result<std::unique_ptr<db::Connection>> {
        ++inner_opened;
        return std::unique_ptr<db::Connection>(new FakeConnection(db, "x"));
      };
      inner = load_template_parallel(files, "/t/dump.sql", other_main, other, "mdl_", "o_", nullptr,
                                     options);
    }
    return std::unique_ptr<db::Connection>(new FakeConnection(db, "w" + std::to_string(opened)));
  };
  auto stats =
      load_template_parallel(files, "/t/dump.sql", main, connect, "mdl_", "x_", nullptr, options);
  ASSERT_TRUE(stats) << stats.error().render();
  ASSERT_TRUE(inner) << inner.error().render();
  EXPECT_EQ(opened, 3);
  EXPECT_EQ(in_use_during, 3u);
  EXPECT_EQ(inner_opened, 0);
  EXPECT_EQ(inner->tables, (std::set<std::string>{"o_a", "o_b", "o_c"}));
  EXPECT_EQ(load_sessions_in_use("db1"), 0u) << "given back";
}

TEST_F(ParallelLoadTest, RowsWaitForTheCreateWhenAStatementSplitsATablesDdl) {
  // As a gated template does: a statement between DROP and CREATE of the same table.
  files.add_file("/t/split.sql", "/*!40101 SET NAMES utf8mb4 */;\n"
                                 "DROP TABLE IF EXISTS `mdl_s`;\n"
                                 "/*!40101 SET character_set_client = utf8mb4 */;\n"
                                 "DO SLEEP(0);\n"
                                 "CREATE TABLE `mdl_s` (`id` int);\n"
                                 "INSERT INTO `mdl_s` VALUES (1);\n"
                                 "INSERT INTO `mdl_s` VALUES (2);\n");
  for (int round = 0; round < 10; ++round) {
    db.log.clear();
    ConnectionFactory connect = [this]() -> Result<std::unique_ptr<db::Connection>> {
      return std::unique_ptr<db::Connection>(new SlowCreates(db, "w" + std::to_string(++opened)));
    };
    ParallelLoadOptions options;
    options.workers = 3;
    auto stats = load_template_parallel(files, "/t/split.sql", main, connect, "mdl_", "x_", nullptr,
                                        options);
    ASSERT_TRUE(stats) << stats.error().render();
    const int create = index_of("CREATE TABLE `x_s`");
    ASSERT_GE(create, 0);
    ASSERT_GT(index_of("VALUES (1)"), create) << "round " << round;
    ASSERT_GT(index_of("VALUES (2)"), create) << "round " << round;
  }
}

TEST_F(ParallelLoadTest, IntoANewDatabaseDropsThatCannotFindATableAreLeftOut) {
  new_database = true;
  for (const std::size_t workers : {std::size_t{3}, std::size_t{1}}) {
    db.log.clear();
    auto stats = load(workers);
    ASSERT_TRUE(stats) << stats.error().render();
    EXPECT_TRUE(db.statements_matching("DROP TABLE").empty()) << workers << " workers";
    EXPECT_EQ(stats->tables, (std::set<std::string>{"x_a", "x_b", "x_c"}));
    EXPECT_EQ(db.statements_matching("INSERT INTO").size(), 5u);
    // What went with the drop still goes with the CREATE, on its session.
    const int before = index_of("SET character_set_client = utf8mb4");
    const int create = index_of("CREATE TABLE `x_a`");
    ASSERT_GE(before, 0);
    EXPECT_LT(before, create);
    EXPECT_EQ(db.log[static_cast<std::size_t>(before)].first,
              db.log[static_cast<std::size_t>(create)].first);
  }
}

TEST_F(ParallelLoadTest, IntoANewDatabaseADropOfATableItMadeRuns) {
  files.add_file("/t/twice.sql", "/*!40101 SET NAMES utf8mb4 */;\n"
                                 "DROP TABLE IF EXISTS `mdl_t`;\n"
                                 "CREATE TABLE `mdl_t` (`id` int);\n"
                                 "INSERT INTO `mdl_t` VALUES (1);\n"
                                 "DROP TABLE IF EXISTS `mdl_t`;\n"
                                 "CREATE TABLE `mdl_t` (`id` bigint);\n"
                                 "INSERT INTO `mdl_t` VALUES (2);\n");
  ConnectionFactory connect = [this]() -> Result<std::unique_ptr<db::Connection>> {
    return std::unique_ptr<db::Connection>(new FakeConnection(db, "w" + std::to_string(++opened)));
  };
  ParallelLoadOptions options;
  options.workers = 2;
  options.new_database = true;
  auto stats =
      load_template_parallel(files, "/t/twice.sql", main, connect, "mdl_", "x_", nullptr, options);
  ASSERT_TRUE(stats) << stats.error().render();
  ASSERT_EQ(db.statements_matching("DROP TABLE IF EXISTS `x_t`").size(), 1u);
  const int drop = index_of("DROP TABLE IF EXISTS `x_t`");
  EXPECT_GT(drop, index_of("VALUES (1)"));
  EXPECT_LT(drop, index_of("`id` bigint"));
  EXPECT_LT(index_of("`id` bigint"), index_of("VALUES (2)"));
}

TEST_F(ParallelLoadTest, OneWorkerLoadsOnTheGivenSessionAlone) {
  auto stats = load(1);
  ASSERT_TRUE(stats) << stats.error().render();
  EXPECT_EQ(opened, 0);
  for (const auto& [session, sql] : db.log) {
    EXPECT_EQ(session, "main") << sql;
  }
  EXPECT_EQ(db.statements_matching("/*!40101 SET NAMES utf8mb4 */").size(), 1u)
      << "the header once: the session is its own worker";
  EXPECT_EQ(db.statements_matching("INSERT INTO").size(), 5u);
  EXPECT_LT(index_of("CREATE TABLE `x_a`"), index_of("VALUES (1),(2)"));
  EXPECT_LT(index_of("CREATE TABLE `x_b`"), index_of("'mdl_b stays'"));
  EXPECT_LT(index_of("VALUES (7)"), index_of("CREATE VIEW"));
}

TEST_F(ParallelLoadTest, OneSessionStillBuildsBigTablesIndexesAfterTheirRows) {
  files.add_file("/t/keys.sql", "/*!40101 SET NAMES utf8mb4 */;\n"
                                "CREATE TABLE `mdl_k` (\n"
                                "  `id` bigint(10) NOT NULL AUTO_INCREMENT,\n"
                                "  `n` bigint(10) NOT NULL,\n"
                                "  PRIMARY KEY (`id`),\n"
                                "  KEY `mdl_k_n_ix` (`n`)\n"
                                ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n"
                                "INSERT INTO `mdl_k` VALUES (1,1),(2,2);\n"
                                "INSERT INTO `mdl_k` VALUES (3,3);\n");
  ParallelLoadOptions options;
  options.workers = 1;
  options.defer_keys_bytes = 1;
  auto stats =
      load_template_parallel(files, "/t/keys.sql", main, nullptr, "mdl_", "mdl_", nullptr, options);
  ASSERT_TRUE(stats) << stats.error().render();
  const int create = index_of("CREATE TABLE `mdl_k`");
  ASSERT_GE(create, 0);
  EXPECT_EQ(db.log[static_cast<std::size_t>(create)].second.find("mdl_k_n_ix"), std::string::npos)
      << db.log[static_cast<std::size_t>(create)].second;
  const int alter = index_of("ADD KEY `mdl_k_n_ix`");
  ASSERT_GE(alter, 0);
  EXPECT_GT(alter, index_of("VALUES (3,3)"));
}

TEST_F(ParallelLoadTest, AFailingRowNamesFileAndLineAndStopsTheLoad) {
  db.failing.push_back("VALUES (3)");
  auto stats = load(3);
  ASSERT_FALSE(stats);
  EXPECT_NE(stats.error().where.find("/t/dump.sql:11"), std::string::npos)
      << stats.error().render();
  EXPECT_EQ(stats.error().message, "injected failure");
  EXPECT_EQ(index_of("CREATE VIEW"), -1) << "nothing after a failure waits on it";
}

TEST_F(ParallelLoadTest, AFailingCreateNamesItsLine) {
  db.failing.push_back("CREATE TABLE `x_b`");
  auto stats = load(2);
  ASSERT_FALSE(stats);
  EXPECT_NE(stats.error().where.find("/t/dump.sql:16"), std::string::npos)
      << stats.error().render();
  EXPECT_EQ(index_of("INSERT INTO `x_b`"), -1);
}

TEST_F(ParallelLoadTest, AConnectionThatCannotOpenFailsTheLoad) {
  fail_connect = true;
  auto stats = load(2);
  ASSERT_FALSE(stats);
  EXPECT_EQ(stats.error().message, "cannot connect");
  EXPECT_EQ(index_of("INSERT"), -1);
}

} // namespace
} // namespace vmoodle::apply
