#include "vmoodle/apply/registry_sql.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/sample_fleet.hpp"

namespace vmoodle::apply {
namespace {

TEST(RegistrySql, InsertEscapesEveryValue) {
  auto fleet = testing::sample_fleet(1);
  auto& host = fleet.hosts[0];
  host.name = "x'); DROP TABLE mdl_local_vmoodle; --";
  const auto row = diff::desired_row(host, fleet.servers["db1"], Secret("p'w"));
  const auto sql = insert_registry_row(fleet.master, row, 42);
  EXPECT_EQ(sql.rfind("INSERT INTO `moodle`.`mdl_local_vmoodle` (", 0), 0u) << sql;
  EXPECT_NE(sql.find("'x\\'); DROP TABLE mdl_local_vmoodle; --'"), std::string::npos) << sql;
  EXPECT_NE(sql.find("'p\\'w'"), std::string::npos);
  EXPECT_NE(sql.find(", 1, -1, 42)"), std::string::npos) << sql;
}

TEST(RegistrySql, MnetNewIsAllocatedInTheSameStatement) {
  auto fleet = testing::sample_fleet(1);
  fleet.hosts[0].mnet = {true, 0};
  const auto row = diff::desired_row(fleet.hosts[0], fleet.servers["db1"], Secret("pw"));
  const auto sql = insert_registry_row(fleet.master, row, 1);
  EXPECT_NE(sql.find("COALESCE(MAX(`mnet`), 0) + 1 FROM `moodle`.`mdl_local_vmoodle`"),
            std::string::npos)
      << sql;
}

TEST(RegistrySql, UpdateSetsOnlyTheGivenColumns) {
  auto fleet = testing::sample_fleet(1);
  const auto row = diff::desired_row(fleet.hosts[0], fleet.servers["db1"], Secret("pw"));
  const auto sql = update_registry_row(fleet.master, row, {"name", "enabled"}, 7);
  EXPECT_EQ(sql, "UPDATE `moodle`.`mdl_local_vmoodle` SET `name` = 'School h1', `enabled` = 1 "
                 "WHERE `id` = 7 AND `vhostname` = 'https://h1.example.org'");
}

} // namespace
} // namespace vmoodle::apply
