#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "vmoodle/db/connection.hpp"

namespace vmoodle::testing {

/// What every fake connection of one FakeConnector shares: canned answers and
/// the log of statements, in order, with the server they went to. Connections on
/// several threads (apply's executor) go through `mutex`; tests read the members
/// directly once the code under test has returned.
struct FakeDatabase {
  mutable std::mutex mutex;
  /// First rule whose `needle` occurs in the statement answers it.
  struct Rule {
    std::string needle;
    Result<db::ResultSet> answer;
  };
  std::vector<Rule> rules;
  /// Statements containing one of these fail (to test error paths).
  std::vector<std::string> failing;
  std::vector<std::pair<std::string, std::string>> log; ///< (server, statement)
  std::vector<std::string> connects;                    ///< server names

  void answer(std::string needle, db::ResultSet rows) {
    std::lock_guard lock(mutex);
    rules.push_back({std::move(needle), std::move(rows)});
  }
  /// Position in `log` of the first statement containing `needle`, -1 if none.
  int index_of(const std::string& needle) const {
    std::lock_guard lock(mutex);
    for (std::size_t i = 0; i < log.size(); ++i) {
      if (log[i].second.find(needle) != std::string::npos) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }
  std::vector<std::string> statements_matching(const std::string& needle) const {
    std::lock_guard lock(mutex);
    std::vector<std::string> out;
    for (const auto& [server, sql] : log) {
      if (sql.find(needle) != std::string::npos) {
        out.push_back(sql);
      }
    }
    return out;
  }
};

class FakeConnection : public db::Connection {
public:
  FakeConnection(FakeDatabase& db, std::string server) : m_db(db), m_server(std::move(server)) {}

  Status execute(std::string_view sql) override {
    VM_TRY(run(sql));
    return {};
  }
  Result<db::ResultSet> query(std::string_view sql) override { return run(sql); }
  std::string describe() const override { return "server " + m_server; }

private:
  Result<db::ResultSet> run(std::string_view sql) {
    std::lock_guard lock(m_db.mutex);
    m_db.log.emplace_back(m_server, std::string(sql));
    for (const auto& needle : m_db.failing) {
      if (sql.find(needle) != std::string_view::npos) {
        return fail(ErrorKind::db, "injected failure", describe());
      }
    }
    for (const auto& rule : m_db.rules) {
      if (sql.find(rule.needle) != std::string_view::npos) {
        return rule.answer;
      }
    }
    return db::ResultSet{};
  }

  FakeDatabase& m_db;
  std::string m_server;
};

class FakeConnector : public db::Connector {
public:
  explicit FakeConnector(FakeDatabase& db) : m_db(db) {}
  Result<std::unique_ptr<db::Connection>> connect(const model::Server& server, const Secret&,
                                                  const std::string&) override {
    std::lock_guard lock(m_db.mutex);
    m_db.connects.push_back(server.name);
    return std::unique_ptr<db::Connection>(new FakeConnection(m_db, server.name));
  }

private:
  FakeDatabase& m_db;
};

} // namespace vmoodle::testing
