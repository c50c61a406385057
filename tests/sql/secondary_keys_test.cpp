#include "vmoodle/sql/secondary_keys.hpp"

#include <gtest/gtest.h>

namespace vmoodle::sql {
namespace {

// As SHOW CREATE TABLE (and so mariadb-dump) writes Moodle's standard log table.
constexpr const char* k_log =
    "CREATE TABLE `x_logstore_standard_log` (\n"
    "  `id` bigint(10) NOT NULL AUTO_INCREMENT,\n"
    "  `eventname` varchar(255) NOT NULL DEFAULT '' COMMENT 'a, KEY `fake` (`x`)',\n"
    "  `userid` bigint(10) NOT NULL,\n"
    "  `timecreated` bigint(10) NOT NULL,\n"
    "  PRIMARY KEY (`id`),\n"
    "  UNIQUE KEY `x_logs_eve_uix` (`eventname`,`id`),\n"
    "  KEY `x_logsstanlog_tim_ix` (`timecreated`),\n"
    "  KEY `x_logsstanlog_use_ix` (`userid`) COMMENT 'who'\n"
    ") ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci "
    "ROW_FORMAT=DYNAMIC COMMENT='Standard log table'";

TEST(SecondaryKeys, PlainKeysMoveToOneAlterInTheirOrder) {
  auto split = defer_secondary_keys(k_log);
  ASSERT_TRUE(split);
  EXPECT_EQ(split->create,
            "CREATE TABLE `x_logstore_standard_log` (\n"
            "  `id` bigint(10) NOT NULL AUTO_INCREMENT,\n"
            "  `eventname` varchar(255) NOT NULL DEFAULT '' COMMENT 'a, KEY `fake` (`x`)',\n"
            "  `userid` bigint(10) NOT NULL,\n"
            "  `timecreated` bigint(10) NOT NULL,\n"
            "  PRIMARY KEY (`id`),\n"
            "  UNIQUE KEY `x_logs_eve_uix` (`eventname`,`id`)\n"
            ") ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci "
            "ROW_FORMAT=DYNAMIC COMMENT='Standard log table'");
  EXPECT_EQ(split->add_keys, "ALTER TABLE `x_logstore_standard_log` ADD KEY "
                             "`x_logsstanlog_tim_ix` (`timecreated`), ADD KEY "
                             "`x_logsstanlog_use_ix` (`userid`) COMMENT 'who'");
}

TEST(SecondaryKeys, NothingToDeferIsNotSplit) {
  EXPECT_FALSE(defer_secondary_keys("CREATE TABLE `t` (\n  `id` int NOT NULL,\n  PRIMARY KEY "
                                    "(`id`)\n) ENGINE=InnoDB"));
  EXPECT_FALSE(defer_secondary_keys("CREATE TABLE `t` (`id` int, KEY (`id`)) ENGINE=InnoDB"))
      << "not SHOW CREATE TABLE's layout";
  EXPECT_FALSE(defer_secondary_keys(""));
}

TEST(SecondaryKeys, TablesThatWouldNotComeOutTheSameAreLeftWhole) {
  const std::string head = "CREATE TABLE `t` (\n  `id` int NOT NULL AUTO_INCREMENT,\n"
                           "  `a` int,\n  `b` text,\n  PRIMARY KEY (`id`),\n  KEY `t_a` (`a`)";
  const std::string tail = "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  ASSERT_TRUE(defer_secondary_keys(head + tail));
  EXPECT_FALSE(defer_secondary_keys(head + "\n) ENGINE=MyISAM DEFAULT CHARSET=utf8mb4"));
  EXPECT_FALSE(defer_secondary_keys(head + ",\n  FULLTEXT KEY `t_b` (`b`)" + tail));
  EXPECT_FALSE(defer_secondary_keys(head + ",\n  SPATIAL KEY `t_g` (`g`)" + tail));
  EXPECT_FALSE(defer_secondary_keys(
      head + ",\n  CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `u` (`id`)" + tail));
  EXPECT_FALSE(defer_secondary_keys(head + ",\n  CONSTRAINT `c` CHECK (`a` > 0)" + tail));
  EXPECT_FALSE(defer_secondary_keys(head + tail + "\n PARTITION BY HASH (`id`)"));
  // The AUTO_INCREMENT column indexed only by a secondary key: InnoDB needs that key.
  EXPECT_FALSE(defer_secondary_keys(
      "CREATE TABLE `t` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `a` int NOT NULL,\n"
      "  PRIMARY KEY (`a`),\n  KEY `t_id` (`id`)\n) ENGINE=InnoDB"));
}

TEST(SecondaryKeys, QuotedNamesKeepTheirDoubledBackquotes) {
  auto split = defer_secondary_keys("CREATE TABLE `we``ird` (\n  `i``d` int NOT NULL,\n  PRIMARY "
                                    "KEY (`i``d`),\n  KEY `k``1` (`i``d`)\n) ENGINE=InnoDB");
  ASSERT_TRUE(split);
  EXPECT_EQ(split->add_keys, "ALTER TABLE `we``ird` ADD KEY `k``1` (`i``d`)");
}

} // namespace
} // namespace vmoodle::sql
