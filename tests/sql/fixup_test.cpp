#include "vmoodle/sql/fixup.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/sql/literal_parser.hpp"

namespace vmoodle::sql {
namespace {

using namespace std::string_literals;

const std::vector<std::string> k_bases = {
    "config",       "course",       "log",  "mnet_host",        "mnet_host2service", "mnet_log",
    "mnet_service", "mnet_session", "role", "role_assignments", "sessions",          "user"};

FixupInput hostile_input(int mnet) {
  FixupInput in;
  in.prefix = "vm_";
  in.name = "Lyc\xc3\xa9"
            "e \"K\" '); DROP TABLE vm_user; -- ";
  in.shortname = "k`l\\";
  in.description = "line1\nline2\r\0\x1a'end\\"s;
  in.vhostname = "https://kleber.example.org'--";
  in.sessioncookie = "kleber1";
  in.template_wwwroot = "http://tpl.example.org\\";
  in.mnet = mnet;
  in.master.has_mnet_host = true;
  in.master.wwwroot = "https://moodle.example.org/'x";
  in.master.ip_address = "10.0.0.1";
  in.master.public_key = "-----BEGIN-----\nAB'C\n-----END-----";
  in.master.applicationid = 1;
  in.master.public_key_expires = 1700000000;
  in.master.site_fullname = "Master's \"site\"";
  for (const auto& base : k_bases) {
    in.tables.insert("vm_" + base);
  }
  in.now = 1750000000;
  return in;
}

const std::vector<std::string> k_common = {
    R"sql(UPDATE `vm_course` SET `fullname` = 'Lycée \"K\" \'); DROP TABLE vm_user; -- ', `shortname` = 'k`l\\', `summary` = 'line1\nline2\r\0\Z\'end\\' WHERE `category` = 0 AND `id` = 1)sql",
    R"sql(UPDATE `vm_config` SET `value` = 'kleber1' WHERE `name` = 'sessioncookie')sql",
    R"sql(DELETE FROM `vm_log`)sql",
    R"sql(DELETE FROM `vm_mnet_log`)sql",
    R"sql(DELETE FROM `vm_mnet_session`)sql",
    R"sql(DELETE FROM `vm_sessions`)sql",
    R"sql(DELETE FROM `vm_mnet_host2service`)sql",
    R"sql(DELETE FROM `vm_mnet_host` WHERE `wwwroot` != '' AND `wwwroot` != 'http://tpl.example.org\\')sql",
    R"sql(UPDATE `vm_mnet_host` SET `id` = 1, `wwwroot` = 'https://kleber.example.org\'--', `name` = 'Lycée \"K\" \'); DROP TABLE vm_user; -- ', `public_key` = '', `public_key_expires` = 0, `ip_address` = '10.0.0.1' WHERE `wwwroot` = 'http://tpl.example.org\\')sql",
    R"sql(UPDATE `vm_config` SET `value` = '1' WHERE `name` = 'mnet_localhost_id')sql",
    R"sql(UPDATE `vm_user` SET `deleted` = 1 WHERE `auth` = 'mnet' AND `username` != 'admin')sql",
};

const std::vector<std::string> k_mnet = {
    R"sql(UPDATE `vm_config` SET `value` = 'strict' WHERE `name` = 'mnet_dispatcher_mode')sql",
    R"sql(INSERT INTO `vm_mnet_host` (`wwwroot`, `ip_address`, `name`, `public_key`, `applicationid`, `public_key_expires`) VALUES ('https://moodle.example.org/\'x', '10.0.0.1', 'Master\'s \"site\"', '-----BEGIN-----\nAB\'C\n-----END-----', 1, 1700000000))sql",
    R"sql(INSERT INTO `vm_mnet_host2service` (`hostid`, `serviceid`, `publish`, `subscribe`) SELECT h.`id`, s.`id`, 1, 0 FROM `vm_mnet_host` h, `vm_mnet_service` s WHERE h.`wwwroot` = 'https://moodle.example.org/\'x' AND s.`name` = 'mnetadmin')sql",
    R"sql(INSERT INTO `vm_mnet_host2service` (`hostid`, `serviceid`, `publish`, `subscribe`) SELECT h.`id`, s.`id`, 1, 0 FROM `vm_mnet_host` h, `vm_mnet_service` s WHERE h.`wwwroot` = 'https://moodle.example.org/\'x' AND s.`name` = 'sso_sp')sql",
    R"sql(INSERT INTO `vm_mnet_host2service` (`hostid`, `serviceid`, `publish`, `subscribe`) SELECT h.`id`, s.`id`, 0, 1 FROM `vm_mnet_host` h, `vm_mnet_service` s WHERE h.`wwwroot` = 'https://moodle.example.org/\'x' AND s.`name` = 'sso_idp')sql",
    R"sql(INSERT INTO `vm_user` (`auth`, `confirmed`, `policyagreed`, `deleted`, `mnethostid`, `username`, `password`) SELECT 'mnet', 1, 0, 0, h.`id`, 'admin', '' FROM `vm_mnet_host` h WHERE h.`wwwroot` = 'https://moodle.example.org/\'x')sql",
    R"sql(INSERT INTO `vm_role_assignments` (`roleid`, `contextid`, `userid`, `timemodified`, `modifierid`, `component`, `itemid`, `sortorder`) SELECT r.`id`, 1, u.`id`, 1750000000, u.`id`, '', 0, 1 FROM `vm_role` r, `vm_user` u, `vm_mnet_host` h WHERE r.`shortname` = 'manager' AND u.`auth` = 'mnet' AND u.`username` = 'admin' AND u.`mnethostid` = h.`id` AND h.`wwwroot` = 'https://moodle.example.org/\'x')sql",
    R"sql(UPDATE `vm_config` c, `vm_user` u, `vm_mnet_host` h SET c.`value` = CONCAT(c.`value`, ',', u.`id`) WHERE c.`name` = 'siteadmins' AND u.`auth` = 'mnet' AND u.`username` = 'admin' AND u.`mnethostid` = h.`id` AND h.`wwwroot` = 'https://moodle.example.org/\'x')sql",
    R"sql(INSERT INTO `vm_config` (`name`, `value`) VALUES ('bootstrap_init', 'https://moodle.example.org/\'x') ON DUPLICATE KEY UPDATE `value` = VALUES(`value`))sql",
};

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

TEST(Fixup, MnetOffStatementsExactly) {
  const auto expected = concat(
      k_common,
      {R"sql(UPDATE `vm_config` SET `value` = 'off' WHERE `name` = 'mnet_dispatcher_mode')sql"});
  EXPECT_EQ(fixup_statements(hostile_input(-1)), expected);
}

TEST(Fixup, MnetSubnetworkStatementsExactly) {
  EXPECT_EQ(fixup_statements(hostile_input(2)), concat(k_common, k_mnet));
}

TEST(Fixup, MnetZeroStillBindsTheMaster) {
  EXPECT_EQ(fixup_statements(hostile_input(0)), concat(k_common, k_mnet));
}

TEST(Fixup, HostileValuesStayInsideLiterals) {
  const FixupInput in = hostile_input(2);
  for (const auto& statement : fixup_statements(in)) {
    const auto split = testing::split_literals(statement);
    ASSERT_TRUE(split.has_value()) << statement;
    for (const std::string& fragment : {"DROP"s, "--"s, "kleber"s, "tpl.example"s,
                                        "moodle.example"s, "BEGIN"s, "Master"s, "\""s}) {
      EXPECT_EQ(split->skeleton.find(fragment), std::string::npos)
          << fragment << " escaped its literal in: " << statement;
    }
  }
  const auto first = testing::split_literals(fixup_statements(in).front());
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->skeleton, "UPDATE `vm_course` SET `fullname` = ?, `shortname` = ?, "
                             "`summary` = ? WHERE `category` = 0 AND `id` = 1");
  EXPECT_EQ(first->literals, (std::vector<std::string>{in.name, in.shortname, in.description}));
}

TEST(Fixup, NeverTouchesTheLocalAdminPassword) {
  for (const auto& statement : fixup_statements(hostile_input(2))) {
    EXPECT_EQ(statement.find("'manual'"), std::string::npos) << statement;
  }
}

TEST(Fixup, SkipsStatementsOnAbsentTables) {
  FixupInput in = hostile_input(2);
  for (const std::string& absent :
       {"vm_log"s, "vm_sessions"s, "vm_mnet_service"s, "vm_role_assignments"s}) {
    in.tables.erase(absent);
  }
  in.tables.insert("mdl_log"); // another prefix does not count
  std::vector<std::string> expected;
  for (const auto& statement : concat(k_common, k_mnet)) {
    if (statement.find("`vm_log`") == std::string::npos &&
        statement.find("`vm_sessions`") == std::string::npos &&
        statement.find("`vm_mnet_service`") == std::string::npos &&
        statement.find("`vm_role_assignments`") == std::string::npos) {
      expected.push_back(statement);
    }
  }
  const auto actual = fixup_statements(in);
  EXPECT_EQ(actual.size(), concat(k_common, k_mnet).size() - 6);
  EXPECT_EQ(actual, expected);
}

TEST(Fixup, NoTablesNoStatements) {
  FixupInput in = hostile_input(2);
  in.tables.clear();
  EXPECT_TRUE(fixup_statements(in).empty());
}

TEST(Fixup, ChangedTablesCoverEveryTableWritten) {
  const auto changed = fixup_changed_tables("vm_");
  EXPECT_EQ(changed,
            (std::vector<std::string>{"vm_config", "vm_course", "vm_log", "vm_mnet_host",
                                      "vm_mnet_host2service", "vm_mnet_log", "vm_mnet_session",
                                      "vm_role_assignments", "vm_sessions", "vm_user"}));
  // Every table an UPDATE, DELETE or INSERT targets is listed.
  for (const auto& statement : fixup_statements(hostile_input(2))) {
    const std::size_t open = statement.find('`');
    const std::string target = statement.substr(open + 1, statement.find('`', open + 1) - open - 1);
    EXPECT_NE(std::find(changed.begin(), changed.end(), target), changed.end()) << statement;
  }
}

} // namespace
} // namespace vmoodle::sql
