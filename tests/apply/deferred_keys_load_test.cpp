// Secondary indexes of big tables built after their rows (ParallelLoadOptions::defer_keys_bytes).
#include <gtest/gtest.h>

#include "tests/fakes/fake_connection.hpp"
#include "tests/fakes/memory_file_system.hpp"
#include "vmoodle/apply/parallel_load.hpp"

namespace vmoodle::apply {
namespace {

using namespace vmoodle::testing;

constexpr const char* k_big_table_dump = "/*!40101 SET NAMES utf8mb4 */;\n"
                                         "DROP TABLE IF EXISTS `mdl_big`;\n"
                                         "CREATE TABLE `mdl_big` (\n"
                                         "  `id` int NOT NULL,\n"
                                         "  `n` int,\n"
                                         "  PRIMARY KEY (`id`),\n"
                                         "  KEY `mdl_big_n` (`n`)\n"
                                         ") ENGINE=InnoDB;\n" // line 3
                                         "LOCK TABLES `mdl_big` WRITE;\n"
                                         "/*!40000 ALTER TABLE `mdl_big` DISABLE KEYS */;\n"
                                         "INSERT INTO `mdl_big` VALUES (1,10),(2,20);\n"
                                         "INSERT INTO `mdl_big` VALUES (3,30),(4,40);\n"
                                         "INSERT INTO `mdl_big` VALUES (5,50),(6,60);\n"
                                         "INSERT INTO `mdl_big` VALUES (7,70),(8,80);\n"
                                         "/*!40000 ALTER TABLE `mdl_big` ENABLE KEYS */;\n"
                                         "UNLOCK TABLES;\n"
                                         "DROP TABLE IF EXISTS `mdl_small`;\n"
                                         "CREATE TABLE `mdl_small` (\n"
                                         "  `id` int NOT NULL,\n"
                                         "  `n` int,\n"
                                         "  PRIMARY KEY (`id`),\n"
                                         "  KEY `mdl_small_n` (`n`)\n"
                                         ") ENGINE=InnoDB;\n"
                                         "INSERT INTO `mdl_small` VALUES (1,1);\n"
                                         "CREATE TABLE `mdl_empty` (\n"
                                         "  `id` int NOT NULL,\n"
                                         "  PRIMARY KEY (`id`),\n"
                                         "  KEY `mdl_empty_id` (`id`)\n"
                                         ") ENGINE=InnoDB;\n";

struct DeferredKeysLoad : ::testing::Test {
  void SetUp() override { files.add_file("/t/dump.sql", k_big_table_dump); }

  Result<LoadStats> load(std::size_t defer_keys_bytes) {
    ConnectionFactory connect = [this]() -> Result<std::unique_ptr<db::Connection>> {
      return std::unique_ptr<db::Connection>(new FakeConnection(db, "w"));
    };
    ParallelLoadOptions options;
    options.workers = 3;
    options.defer_keys_bytes = defer_keys_bytes;
    return load_template_parallel(files, "/t/dump.sql", main, connect, "mdl_", "x_", nullptr,
                                  options);
  }

  int index_of(const std::string& needle) const { return db.index_of(needle); }

  FakeDatabase db;
  FakeConnection main{db, "main"};
  MemoryFileSystem files;
};

TEST_F(DeferredKeysLoad, ABigTablesIndexesAreAddedOnceEveryRowIsIn) {
  auto stats = load(80); // two of mdl_big's four INSERTs
  ASSERT_TRUE(stats) << stats.error().render();
  const auto creates = db.statements_matching("CREATE TABLE `x_big`");
  ASSERT_EQ(creates.size(), 1u);
  EXPECT_EQ(creates[0].find("KEY `x_big_n`"), std::string::npos) << creates[0];
  EXPECT_NE(creates[0].find("PRIMARY KEY (`id`)\n) ENGINE=InnoDB"), std::string::npos)
      << creates[0];
  const int alter = index_of("ALTER TABLE `x_big` ADD KEY `x_big_n` (`n`)");
  ASSERT_GE(alter, 0);
  for (const char* rows : {"(1,10)", "(3,30)", "(5,50)", "(7,70)"}) {
    EXPECT_EQ(db.statements_matching(rows).size(), 1u) << rows;
    EXPECT_GT(index_of(rows), index_of("CREATE TABLE `x_big`")) << rows;
    EXPECT_LT(index_of(rows), alter) << rows;
  }
  // Small and empty tables keep their indexes in their CREATE.
  EXPECT_NE(db.statements_matching("CREATE TABLE `x_small`").at(0).find("KEY `x_small_n`"),
            std::string::npos);
  EXPECT_NE(db.statements_matching("CREATE TABLE `x_empty`").at(0).find("KEY `x_empty_id`"),
            std::string::npos);
  EXPECT_EQ(db.statements_matching("ADD KEY").size(), 1u);
  EXPECT_EQ(stats->tables, (std::set<std::string>{"x_big", "x_small", "x_empty"}));
}

TEST_F(DeferredKeysLoad, ZeroKeepsEveryIndexInItsCreate) {
  ASSERT_TRUE(load(0));
  EXPECT_TRUE(db.statements_matching("ADD KEY").empty());
  EXPECT_NE(db.statements_matching("CREATE TABLE `x_big`").at(0).find("KEY `x_big_n`"),
            std::string::npos);
}

TEST_F(DeferredKeysLoad, AFailingIndexBuildNamesTheTablesCreateLine) {
  db.failing.push_back("ADD KEY");
  // Only mdl_big reaches 80 bytes: with two deferred tables failing, the workers race to
  // report first and either CREATE line could be named.
  auto stats = load(80);
  ASSERT_FALSE(stats);
  EXPECT_NE(stats.error().where.find("/t/dump.sql:3"), std::string::npos) << stats.error().render();
}

} // namespace
} // namespace vmoodle::apply
