#include "vmoodle/apply/new_database_drops.hpp"

#include <gtest/gtest.h>

namespace vmoodle::apply {
namespace {

bool skip(NewDatabaseDrops& drops, std::string_view statement) {
  return drops.skip(sql::classify_dump_statement(statement));
}

TEST(NewDatabaseDrops, LeavesOutADropOfATableNothingMadeYet) {
  NewDatabaseDrops drops(true);
  EXPECT_FALSE(skip(drops, "/*!40101 SET NAMES utf8mb4 */"));
  EXPECT_TRUE(skip(drops, "DROP TABLE IF EXISTS `mdl_a`"));
  EXPECT_FALSE(skip(drops, "CREATE TABLE `mdl_a` (`id` int)"));
  EXPECT_FALSE(skip(drops, "LOCK TABLES `mdl_a` WRITE"));
  EXPECT_FALSE(skip(drops, "INSERT INTO `mdl_a` VALUES (1)"));
  EXPECT_TRUE(skip(drops, "/*!40000 DROP TABLE IF EXISTS `mdl_b` */"));
}

TEST(NewDatabaseDrops, RunsADropOfATableTheLoadMayHaveMade) {
  NewDatabaseDrops drops(true);
  EXPECT_TRUE(skip(drops, "DROP TABLE IF EXISTS `mdl_a`"));
  EXPECT_FALSE(skip(drops, "CREATE TABLE `mdl_a` (`id` int)"));
  EXPECT_FALSE(skip(drops, "DROP TABLE IF EXISTS `mdl_a`")) << "the dump defines it twice";
  EXPECT_FALSE(skip(drops, "CREATE TABLE `mdl_B` (`id` int)"));
  EXPECT_FALSE(skip(drops, "DROP TABLE IF EXISTS `mdl_b`"))
      << "a server folding names' case would find it";
  EXPECT_FALSE(skip(drops, "INSERT INTO `mdl_c` VALUES (1)"));
  EXPECT_FALSE(skip(drops, "DROP TABLE IF EXISTS `mdl_c`"));
}

TEST(NewDatabaseDrops, RunsADropThatMustFindItsTable) {
  NewDatabaseDrops drops(true);
  EXPECT_FALSE(skip(drops, "DROP TABLE `mdl_a`")) << "its error is the dump's to give";
}

TEST(NewDatabaseDrops, RunsEveryDropOnceAnythingElseRan) {
  NewDatabaseDrops drops(true);
  EXPECT_FALSE(skip(drops, "CREATE TABLE `t2` SELECT 1 AS x FROM DUAL WHERE 0; DO 1"));
  EXPECT_FALSE(skip(drops, "/*!50001 CREATE VIEW `v` AS select 1 */"));
  EXPECT_FALSE(skip(drops, "DROP TABLE IF EXISTS `mdl_a`"));
}

TEST(NewDatabaseDrops, RunsEveryDropIntoADatabaseThatWasThere) {
  NewDatabaseDrops drops(false);
  EXPECT_FALSE(skip(drops, "DROP TABLE IF EXISTS `mdl_a`"));
}

} // namespace
} // namespace vmoodle::apply
