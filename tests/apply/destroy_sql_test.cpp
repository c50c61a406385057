#include "vmoodle/apply/destroy_sql.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/sample_fleet.hpp"
#include "vmoodle/model/markers.hpp"

namespace vmoodle::apply {
namespace {

model::Master master() {
  return testing::sample_fleet(0).master;
}

TEST(DestroySqlTest, DisableWritesTheMarkForThatRowOnly) {
  EXPECT_EQ(disable_for_destroy_sql(master(), 42, "https://h1.example.org", "final_h1_42"),
            "UPDATE `moodle`.`mdl_local_vmoodle` SET `enabled` = 0, `metadata` = "
            "'vmoodle-apply: destroying; final snapshot final_h1_42' WHERE `id` = 42 AND "
            "`vhostname` = 'https://h1.example.org'");
  EXPECT_NE(disable_for_destroy_sql(master(), 1, "https://h1.example.org", "")
                .find("'vmoodle-apply: destroying; final snapshot none'"),
            std::string::npos);
}

TEST(DestroySqlTest, MarkRoundTrips) {
  EXPECT_TRUE(model::is_destroying(model::destroying_mark("final_h1_42")));
  EXPECT_EQ(model::final_snapshot_of(model::destroying_mark("final_h1_42")), "final_h1_42");
  EXPECT_EQ(model::final_snapshot_of(model::destroying_mark("")), "");
  EXPECT_FALSE(model::is_destroying("some other plugin's metadata"));
}

TEST(DestroySqlTest, HostileVhostnameStaysALiteral) {
  const std::string hostile = "https://x.org' OR '1'='1";
  EXPECT_EQ(delete_registry_row_sql(master(), 3, hostile),
            "DELETE FROM `moodle`.`mdl_local_vmoodle` WHERE `id` = 3 AND `vhostname` = "
            "'https://x.org\\' OR \\'1\\'=\\'1'");
}

TEST(DestroySqlTest, ExistingTablesQueryNamesEveryMnetTable) {
  const std::string sql = existing_mnet_tables_sql(master());
  EXPECT_NE(sql.find("TABLE_SCHEMA = 'moodle'"), std::string::npos);
  for (const char* table : {"mdl_mnet_host", "mdl_mnet_host2service",
                            "mdl_mnetservice_enrol_courses", "mdl_mnetservice_enrol_enrolments",
                            "mdl_mnet_log", "mdl_mnet_session", "mdl_mnet_sso_access_control"}) {
    EXPECT_NE(sql.find(std::string("'") + table + "'"), std::string::npos) << table;
  }
}

TEST(DestroySqlTest, CleanupDeletesDependentsFirstByMoodlesColumnNames) {
  const std::vector<std::string> all = {"mdl_mnet_host",
                                        "mdl_mnet_host2service",
                                        "mdl_mnetservice_enrol_courses",
                                        "mdl_mnetservice_enrol_enrolments",
                                        "mdl_mnet_log",
                                        "mdl_mnet_session",
                                        "mdl_mnet_sso_access_control"};
  EXPECT_EQ(mnet_cleanup_sql(master(), {7, 9}, "https://h1.example.org", all),
            (std::vector<std::string>{
                "DELETE FROM `moodle`.`mdl_mnet_host2service` WHERE `hostid` IN (7, 9)",
                "DELETE FROM `moodle`.`mdl_mnetservice_enrol_courses` WHERE `hostid` IN (7, 9)",
                "DELETE FROM `moodle`.`mdl_mnetservice_enrol_enrolments` WHERE `hostid` IN (7, 9)",
                "DELETE FROM `moodle`.`mdl_mnet_log` WHERE `hostid` IN (7, 9)",
                "DELETE FROM `moodle`.`mdl_mnet_session` WHERE `mnethostid` IN (7, 9)",
                "DELETE FROM `moodle`.`mdl_mnet_sso_access_control` WHERE `mnet_host_id` IN (7, 9)",
                "DELETE FROM `moodle`.`mdl_mnet_host` WHERE `id` IN (7, 9) AND `wwwroot` = "
                "'https://h1.example.org'"}));
}

TEST(DestroySqlTest, CleanupSkipsMissingTablesAndNoRows) {
  EXPECT_EQ(mnet_cleanup_sql(master(), {7}, "https://h1.example.org",
                             {"mdl_mnet_host", "mdl_mnet_session"}),
            (std::vector<std::string>{
                "DELETE FROM `moodle`.`mdl_mnet_session` WHERE `mnethostid` IN (7)",
                "DELETE FROM `moodle`.`mdl_mnet_host` WHERE `id` IN (7) AND `wwwroot` = "
                "'https://h1.example.org'"}));
  EXPECT_TRUE(mnet_cleanup_sql(master(), {}, "https://h1.example.org", {"mdl_mnet_host"}).empty());
}

} // namespace
} // namespace vmoodle::apply
