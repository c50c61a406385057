// MysqlConnector against the real sandbox server: transports, types, escaping
// round trips and the errors an operator sees.

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "integration/support/sandbox.hpp"
#include "vmoodle/db/mysql_connector.hpp"
#include "vmoodle/db/mysql_errors.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::testing {
namespace {

using db::MysqlConnector;

std::string single_value(db::Connection& connection, const std::string& sql) {
  auto result = connection.query(sql);
  if (!result) {
    ADD_FAILURE() << sql << ": " << result.error().render();
    return {};
  }
  if (result->rows.size() != 1 || result->rows[0].size() != 1 || !result->rows[0][0]) {
    ADD_FAILURE() << sql << ": expected one non-NULL value";
    return {};
  }
  return *result->rows[0][0];
}

void must(const Status& status) {
  ASSERT_TRUE(status) << status.error().render();
}

// A database of its own per test, dropped afterwards: the sandbox is shared.
class MysqlConnectorTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_sandbox = &shared_sandbox();
    m_admin = m_sandbox->connect();
    m_database =
        std::string("vm_it_") + ::testing::UnitTest::GetInstance()->current_test_info()->name();
    must(m_admin->execute("DROP DATABASE IF EXISTS " + sql::ident(m_database)));
    must(m_admin->execute("CREATE DATABASE " + sql::ident(m_database) +
                          " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"));
  }
  void TearDown() override {
    if (m_admin) {
      m_admin->execute("DROP DATABASE IF EXISTS " + sql::ident(m_database));
    }
  }

  MariadbSandbox* m_sandbox = nullptr;
  std::unique_ptr<db::Connection> m_admin;
  std::string m_database;
};

TEST_F(MysqlConnectorTest, ConnectsThroughTheSocketWithUtf8mb4) {
  MysqlConnector connector;
  auto connection =
      connector.connect(m_sandbox->server("db1"), Secret(m_sandbox->password()), m_database);
  ASSERT_TRUE(connection) << connection.error().render();
  EXPECT_EQ(single_value(**connection, "SELECT DATABASE()"), m_database);
  EXPECT_EQ(single_value(**connection, "SELECT @@character_set_client"), "utf8mb4");
  EXPECT_EQ(single_value(**connection, "SELECT @@character_set_results"), "utf8mb4");
  EXPECT_EQ(single_value(**connection, "SELECT @@character_set_connection"), "utf8mb4");
  // Over the socket the server sees the client as localhost.
  EXPECT_EQ(single_value(**connection, "SELECT CURRENT_USER()"), "vmoodle_admin@localhost");
  EXPECT_EQ((*connection)->describe(),
            "server db1 (" + m_sandbox->socket() + "), database " + m_database);
}

TEST_F(MysqlConnectorTest, ConnectsOverTcp) {
  MysqlConnector connector;
  auto connection =
      connector.connect(m_sandbox->tcp_server("db2"), Secret(m_sandbox->password()), "");
  ASSERT_TRUE(connection) << connection.error().render();
  EXPECT_EQ(single_value(**connection, "SELECT CURRENT_USER()"), "vmoodle_admin@127.0.0.1");
  EXPECT_EQ(single_value(**connection, "SELECT @@port"), std::to_string(m_sandbox->port()));
  EXPECT_EQ((*connection)->describe(),
            "server db2 (127.0.0.1:" + std::to_string(m_sandbox->port()) + ")");
}

TEST_F(MysqlConnectorTest, QueryReturnsColumnsValuesAndNull) {
  auto result = m_admin->query("SELECT 42 AS answer, 'text' AS word, NULL AS nothing, "
                               "3.50 AS price, '' AS empty");
  ASSERT_TRUE(result) << result.error().render();
  EXPECT_EQ(result->columns,
            (std::vector<std::string>{"answer", "word", "nothing", "price", "empty"}));
  ASSERT_EQ(result->rows.size(), 1u);
  const auto& row = result->rows[0];
  ASSERT_EQ(row.size(), 5u);
  EXPECT_EQ(row[0], "42");
  EXPECT_EQ(row[1], "text");
  EXPECT_EQ(row[2], std::nullopt);
  EXPECT_EQ(row[3], "3.50");
  EXPECT_EQ(row[4], ""); // an empty string is not NULL
}

TEST_F(MysqlConnectorTest, QueryReturnsEveryRowAndEmptySets) {
  auto connection = m_sandbox->connect(m_database);
  must(connection->execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10) NULL)"));
  must(connection->execute("INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c')"));
  auto all = connection->query("SELECT id, v FROM t ORDER BY id");
  ASSERT_TRUE(all) << all.error().render();
  ASSERT_EQ(all->rows.size(), 3u);
  EXPECT_EQ(all->rows[1], (db::Row{"2", std::nullopt}));
  EXPECT_EQ(all->rows[2], (db::Row{"3", "c"}));

  auto none = connection->query("SELECT id FROM t WHERE id > 100");
  ASSERT_TRUE(none) << none.error().render();
  EXPECT_EQ(none->columns, std::vector<std::string>{"id"});
  EXPECT_TRUE(none->rows.empty());

  // A statement without a result set through query(): no columns, no rows.
  auto update = connection->query("UPDATE t SET v = 'z' WHERE id = 1");
  ASSERT_TRUE(update) << update.error().render();
  EXPECT_TRUE(update->columns.empty());
  EXPECT_EQ(single_value(*connection, "SELECT v FROM t WHERE id = 1"), "z");
}

TEST_F(MysqlConnectorTest, ExecuteDiscardsRowsAndLeavesTheSessionUsable) {
  auto connection = m_sandbox->connect(m_database);
  must(connection->execute("SELECT seq FROM seq_1_to_10000"));
  must(connection->execute("SELECT 1"));
  EXPECT_EQ(single_value(*connection, "SELECT 2"), "2");
}

TEST_F(MysqlConnectorTest, HostileStringsRoundTripByteForByte) {
  auto connection = m_sandbox->connect(m_database);
  must(connection->execute("CREATE TABLE t (id INT PRIMARY KEY, b LONGBLOB, s LONGTEXT "
                           "CHARACTER SET utf8mb4 COLLATE utf8mb4_bin)"));
  const std::vector<std::string> values = {
      "'",
      "\"",
      "\\",
      "\\'",
      "'\\",
      "''",
      "\\\\'",
      std::string("nul\0byte", 8),
      std::string("\0", 1),
      "ctrl-z\x1a end",
      "new\nline\rreturn\ttab",
      "\xF0\x9F\x98\x80 emoji and caf\xC3\xA9",
      "'); DROP TABLE t; --",
      "\\'); DROP TABLE t; -- ",
      "` backquote",
      "%_ like chars",
      "/* comment */ -- x",
  };
  for (std::size_t i = 0; i < values.size(); ++i) {
    must(connection->execute("INSERT INTO t VALUES (" + std::to_string(i) + ", " +
                             sql::literal(values[i]) + ", " + sql::literal(values[i]) + ")"));
  }
  auto rows = connection->query("SELECT id, b, s, LENGTH(b) FROM t ORDER BY id");
  ASSERT_TRUE(rows) << rows.error().render();
  ASSERT_EQ(rows->rows.size(), values.size()) << "a value ended its literal early";
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto& row = rows->rows[i];
    EXPECT_EQ(row[1], values[i]) << "blob #" << i;
    EXPECT_EQ(row[2], values[i]) << "text #" << i;
    EXPECT_EQ(row[3], std::to_string(values[i].size())) << "length #" << i;
  }
  // The value also works where it is compared, not only stored.
  EXPECT_EQ(single_value(*connection, "SELECT id FROM t WHERE b = " + sql::literal(values[12])),
            "12");
}

// Restores the global sql_mode even when an assertion fails.
class GlobalSqlMode {
public:
  explicit GlobalSqlMode(db::Connection& connection) : m_connection(connection) {
    m_saved = single_value(connection, "SELECT @@GLOBAL.sql_mode");
  }
  ~GlobalSqlMode() { m_connection.execute("SET GLOBAL sql_mode = " + sql::literal(m_saved)); }

private:
  db::Connection& m_connection;
  std::string m_saved;
};

TEST_F(MysqlConnectorTest, GlobalNoBackslashEscapesIsNeutralised) {
  GlobalSqlMode restore(*m_admin);
  must(
      m_admin->execute("SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')"));
  ASSERT_NE(single_value(*m_admin, "SELECT @@GLOBAL.sql_mode").find("NO_BACKSLASH_ESCAPES"),
            std::string::npos);

  // New sessions inherit the global mode; the connector must take it out again.
  auto connection = m_sandbox->connect(m_database);
  std::string mode = single_value(*connection, "SELECT @@SESSION.sql_mode");
  EXPECT_EQ(mode.find("NO_BACKSLASH_ESCAPES"), std::string::npos) << mode;
  EXPECT_NE(mode.find("STRICT_TRANS_TABLES"), std::string::npos) << "other modes are kept";

  const std::string hostile = "\\'); DROP TABLE t; -- \\";
  must(connection->execute("CREATE TABLE t (v TEXT)"));
  must(connection->execute("INSERT INTO t VALUES (" + sql::literal(hostile) + ")"));
  EXPECT_EQ(single_value(*connection, "SELECT v FROM t"), hostile);
}

TEST_F(MysqlConnectorTest, StackedStatementsAreRejected) {
  auto connection = m_sandbox->connect(m_database);
  must(connection->execute("CREATE TABLE t (v INT)"));
  auto stacked = connection->execute("SELECT 1; DROP TABLE t");
  ASSERT_FALSE(stacked);
  EXPECT_TRUE(db::has_errno(stacked.error(), db::mysql_code::parse_error))
      << stacked.error().render();
  EXPECT_TRUE(connection->query("SELECT * FROM t")) << "the second statement must not run";
}

TEST_F(MysqlConnectorTest, LoadDataLocalIsDisabled) {
  auto connection = m_sandbox->connect(m_database);
  must(connection->execute("CREATE TABLE t (v TEXT)"));
  auto loaded = connection->execute("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE t");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().kind, ErrorKind::db);
  EXPECT_EQ(single_value(*connection, "SELECT COUNT(*) FROM t"), "0");
}

TEST_F(MysqlConnectorTest, WrongPasswordIsAnAccessErrorWithoutThePassword) {
  const std::string wrong = "Wr0ng-pa55word-" + m_database;
  MysqlConnector connector;
  for (const auto& server : {m_sandbox->server("db1"), m_sandbox->tcp_server("db1")}) {
    auto connection = connector.connect(server, Secret(wrong), "");
    ASSERT_FALSE(connection);
    const Error& error = connection.error();
    std::string rendered = error.render();
    EXPECT_EQ(error.kind, ErrorKind::db);
    EXPECT_TRUE(db::is_access_denied(error)) << rendered;
    EXPECT_NE(error.message.find("(errno 1045)"), std::string::npos) << rendered;
    EXPECT_EQ(rendered.find(wrong), std::string::npos) << rendered;
    EXPECT_EQ(rendered.find("Wr0ng"), std::string::npos) << rendered;
    EXPECT_EQ(rendered.find(m_sandbox->password()), std::string::npos) << rendered;
    EXPECT_NE(error.where.find("server db1"), std::string::npos) << rendered;
    EXPECT_NE(error.hint.find("env VMOODLE_SANDBOX_PASSWORD"), std::string::npos) << rendered;
  }
}

TEST_F(MysqlConnectorTest, MissingSocketSaysWhereItLooked) {
  model::Server server = m_sandbox->server("db9");
  server.socket = m_sandbox->directory() + "/no-such.sock";
  auto connection = MysqlConnector().connect(server, Secret(m_sandbox->password()), "");
  ASSERT_FALSE(connection);
  EXPECT_TRUE(db::is_connection_error(connection.error())) << connection.error().render();
  EXPECT_NE(connection.error().hint.find(server.socket), std::string::npos);
  EXPECT_NE(connection.error().where.find("server db9"), std::string::npos);
}

TEST_F(MysqlConnectorTest, ClosedPortIsAConnectionError) {
  model::Server server = m_sandbox->tcp_server("db9");
  server.port = 1; // privileged and unused: connection refused at once
  auto connection = MysqlConnector().connect(server, Secret(m_sandbox->password()), "");
  ASSERT_FALSE(connection);
  EXPECT_TRUE(db::is_connection_error(connection.error())) << connection.error().render();
  EXPECT_NE(connection.error().hint.find("127.0.0.1:1"), std::string::npos)
      << connection.error().render();
}

TEST_F(MysqlConnectorTest, UnknownDatabaseIsNotFound) {
  auto connection =
      MysqlConnector().connect(m_sandbox->server(), Secret(m_sandbox->password()), "vm_it_absent");
  ASSERT_FALSE(connection);
  EXPECT_TRUE(db::is_not_found(connection.error())) << connection.error().render();
  EXPECT_NE(connection.error().where.find("database vm_it_absent"), std::string::npos);
}

TEST_F(MysqlConnectorTest, StatementErrorsCarryErrnoButNotTheStatement) {
  auto opened =
      MysqlConnector().open(m_sandbox->server("db1"), Secret(m_sandbox->password()), m_database);
  ASSERT_TRUE(opened) << opened.error().render();
  db::MysqlConnection& connection = **opened;
  auto failed = connection.execute("INSERT INTO missing VALUES ('statement-secret-value')");
  ASSERT_FALSE(failed);
  EXPECT_EQ(connection.last_errno(), db::mysql_code::no_such_table);
  EXPECT_EQ(db::error_number(failed.error()), db::mysql_code::no_such_table);
  EXPECT_EQ(failed.error().where, connection.describe());
  EXPECT_EQ(failed.error().render().find("statement-secret-value"), std::string::npos);

  auto ok = connection.query("SELECT 1");
  ASSERT_TRUE(ok);
  EXPECT_EQ(connection.last_errno(), 0);
}

TEST_F(MysqlConnectorTest, ConnectionsWorkFromSeveralThreads) {
  constexpr int k_threads = 4;
  std::vector<std::string> answers(k_threads);
  std::vector<std::thread> threads;
  MysqlConnector connector;
  for (int i = 0; i < k_threads; ++i) {
    threads.emplace_back([&, i] {
      auto connection = connector.connect(m_sandbox->server(), Secret(m_sandbox->password()), "");
      if (!connection) {
        answers[i] = connection.error().render();
        return;
      }
      for (int round = 0; round < 20; ++round) {
        auto result = (*connection)->query("SELECT " + std::to_string(i * 100 + round));
        if (!result) {
          answers[i] = result.error().render();
          return;
        }
        answers[i] = result->rows.at(0).at(0).value_or("NULL");
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (int i = 0; i < k_threads; ++i) {
    EXPECT_EQ(answers[i], std::to_string(i * 100 + 19));
  }
}

} // namespace
} // namespace vmoodle::testing
