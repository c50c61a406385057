// The managed account's SQL and its take-over rules, against a fake connection.
#include <set>

#include <gtest/gtest.h>

#include "tests/fakes/fake_connection.hpp"
#include "vmoodle/apply/managed_account.hpp"
#include "vmoodle/diff/registry_row.hpp"

namespace vmoodle::apply {
namespace {

using testing::FakeConnection;
using testing::FakeDatabase;

model::Host managed_host() {
  model::Host host;
  host.vhostname = "https://kleber.example.org";
  host.database = "vmdl_kleber";
  host.db_user = "m_kleber";
  host.manage_db_user = true;
  return host;
}

db::ResultSet one_value(const std::string& value) {
  return db::ResultSet{{"v"}, {db::Row{value}}};
}

TEST(ManagedAccount, PasswordsAre32LettersAndDigitsAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto password = generate_account_password();
    ASSERT_TRUE(password);
    const std::string& value = password->reveal();
    EXPECT_EQ(value.size(), k_account_password_length);
    EXPECT_EQ(
        value.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
        std::string::npos)
        << value;
    seen.insert(value);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(ManagedAccount, GrantCoversTheDatabaseOnlyWithWildcardsEscaped) {
  model::Host host = managed_host();
  host.db_user_host = "10.0.%";
  EXPECT_EQ(account_name(host), "'m_kleber'@'10.0.%'");
  EXPECT_EQ(grant_database_sql(host),
            "GRANT ALL PRIVILEGES ON `vmdl\\_kleber`.* TO 'm_kleber'@'10.0.%'");
  EXPECT_EQ(drop_account_sql(host), "DROP USER IF EXISTS 'm_kleber'@'10.0.%'");
}

TEST(ManagedAccount, AccountNameIsEscaped) {
  model::Host host = managed_host();
  host.db_user_host = "x'y";
  EXPECT_EQ(account_name(host), "'m_kleber'@'x\\'y'");
}

TEST(ManagedAccount, CreatesTheAccountThenGrantsItsDatabase) {
  FakeDatabase db;
  db.answer("FROM mysql.user", one_value("0"));
  FakeConnection conn(db, "db1");
  ASSERT_TRUE(ensure_account(conn, managed_host(), Secret("Pw123"), false));
  ASSERT_EQ(db.log.size(), 3u);
  EXPECT_EQ(db.log[1].second, "CREATE USER 'm_kleber'@'%' IDENTIFIED BY 'Pw123'");
  EXPECT_EQ(db.log[2].second, "GRANT ALL PRIVILEGES ON `vmdl\\_kleber`.* TO 'm_kleber'@'%'");
}

TEST(ManagedAccount, AnExistingAccountIsAConflictOutsideAResume) {
  FakeDatabase db;
  db.answer("FROM mysql.user", one_value("1"));
  FakeConnection conn(db, "db1");
  auto status = ensure_account(conn, managed_host(), Secret("Pw123"), false);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::conflict);
  EXPECT_EQ(db.statements_matching("IDENTIFIED BY").size(), 0u);
}

TEST(ManagedAccount, AResumeResetsTheAccountItMade) {
  FakeDatabase db;
  db.answer("FROM mysql.user", one_value("1"));
  db.answer(
      "SHOW GRANTS",
      db::ResultSet{{"g"},
                    {db::Row{"GRANT USAGE ON *.* TO `m_kleber`@`%` IDENTIFIED BY PASSWORD "
                             "'*0000'"},
                     db::Row{"GRANT ALL PRIVILEGES ON `vmdl\\_kleber`.* TO `m_kleber`@`%`"}}});
  FakeConnection conn(db, "db1");
  ASSERT_TRUE(ensure_account(conn, managed_host(), Secret("Pw123"), true));
  EXPECT_EQ(db.statements_matching("ALTER USER 'm_kleber'@'%' IDENTIFIED BY 'Pw123'").size(), 1u);
  EXPECT_EQ(db.statements_matching("CREATE USER").size(), 0u);
}

TEST(ManagedAccount, AResumeNeverTakesOverAnAccountWithOtherPrivileges) {
  FakeDatabase db;
  db.answer("FROM mysql.user", one_value("1"));
  db.answer("SHOW GRANTS",
            db::ResultSet{{"g"}, {db::Row{"GRANT SELECT ON `other`.* TO `m_kleber`@`%`"}}});
  FakeConnection conn(db, "db1");
  auto status = ensure_account(conn, managed_host(), Secret("Pw123"), true);
  ASSERT_FALSE(status);
  EXPECT_EQ(db.statements_matching("IDENTIFIED BY").size(), 0u);
  // Destroy refuses to drop it for the same reason.
  auto droppable = check_account_droppable(conn, managed_host());
  ASSERT_FALSE(droppable);
  EXPECT_EQ(droppable.error().kind, ErrorKind::unsafe);
}

TEST(ManagedAccount, ErrorsNeverHoldThePassword) {
  FakeDatabase db;
  db.answer("FROM mysql.user", one_value("0"));
  db.failing.push_back("CREATE USER");
  FakeConnection conn(db, "db1");
  auto status = ensure_account(conn, managed_host(), Secret("Pw123"), false);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().render().find("Pw123"), std::string::npos);
  EXPECT_NE(status.error().where.find("account 'm_kleber'@'%'"), std::string::npos);
}

TEST(ManagedAccount, RegistryPasswordIsNotComparedForAManagedHost) {
  model::Host host = managed_host();
  model::Server server;
  server.registry_host = "db1.internal";
  model::RegistryRow live;
  live.vhostname = host.vhostname;
  live.vdbpass = "whatever-was-generated";
  const auto row = diff::desired_row(host, server, Secret());
  for (const auto& field : diff::fields_to_update(row, live)) {
    EXPECT_NE(field.column, "vdbpass");
  }
  host.manage_db_user = false;
  bool compared = false;
  for (const auto& field :
       diff::fields_to_update(diff::desired_row(host, server, Secret("x")), live)) {
    compared = compared || field.column == "vdbpass";
  }
  EXPECT_TRUE(compared);
}

} // namespace
} // namespace vmoodle::apply
