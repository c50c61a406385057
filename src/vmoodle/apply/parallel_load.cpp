#include "vmoodle/apply/parallel_load.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "vmoodle/apply/load_queue.hpp"
#include "vmoodle/sql/dump_reader.hpp"
#include "vmoodle/sql/dump_statement.hpp"
#include "vmoodle/sql/prefix_rewrite.hpp"

namespace vmoodle::apply {
namespace {

constexpr const char* k_load_hint =
    "the template dump does not load; check that it is a mariadb-dump/mysqldump file and that "
    "the server accepts it";

constexpr int k_deadlock_retries = 3;

// `SET character_set_client = @saved_cs_client`: the end of a table's DDL in a dump.
bool restores_saved_client(std::string_view statement) {
  const std::size_t at = statement.find("@saved_cs_client");
  if (at == std::string_view::npos) {
    return false;
  }
  std::size_t before = at;
  while (before > 0 && (statement[before - 1] == ' ' || statement[before - 1] == '\t')) {
    --before;
  }
  return before > 0 && statement[before - 1] == '=';
}

Error at_line(Error error, const std::string& path, std::size_t line) {
  error.in(path + ":" + std::to_string(line));
  error.hint = k_load_hint;
  return error;
}

class ParallelLoader {
public:
  ParallelLoader(const std::string& path, db::Connection& conn, const ConnectionFactory& connect,
                 const std::string& from_prefix, const std::string& to_prefix,
                 const ParallelLoadOptions& options)
      : m_path(path), m_conn(conn), m_connect(connect), m_from(from_prefix), m_to(to_prefix),
        m_rename(from_prefix != to_prefix), m_options(options), m_queue(options.queue_bytes) {}

  ParallelLoader(const ParallelLoader&) = delete;
  ParallelLoader& operator=(const ParallelLoader&) = delete;

  ~ParallelLoader() {
    if (!m_finished) {
      // The reader gave up (bad dump, failing statement on `conn`): workers stop now.
      m_queue.fail(Error{ErrorKind::internal, "template load abandoned", m_path, {}, {}});
    }
    stop();
  }

  /// Takes one statement of the dump, in order.
  Status feed(std::string original, std::size_t line) {
    const sql::DumpStatement kind = sql::classify_dump_statement(original);
    using K = sql::DumpStatementKind;
    if (!m_started) {
      if (kind.kind == K::session_set) {
        LoadStatement set{rename(std::move(original)), line};
        VM_TRY(run_on(m_conn, set));
        m_header.push_back(std::move(set));
        return {};
      }
      VM_TRY(start());
    }
    if (m_task) {
      // After its CREATE, a table keeps only the SET restoring what it set before (dumps
      // save `@saved_cs_client`); a later SET is the next thing's (a view, the trailer).
      const bool belongs =
          (kind.kind == K::session_set &&
           (!m_task_has_create || restores_saved_client(original))) ||
          (kind.kind == K::create_table && kind.table == m_task->table && !m_task_has_create);
      if (belongs) {
        m_task_has_create = m_task_has_create || kind.kind == K::create_table;
        add_to_task(rename(std::move(original)), line);
        return {};
      }
      VM_TRY(submit_task());
    }
    switch (kind.kind) {
    case K::drop_table:
    case K::create_table:
      if (m_tables_seen.contains(kind.table)) {
        // The same table again (a statement between its DROP and CREATE, or a dump that
        // defines it twice): its earlier statements go first, its rows wait anew.
        VM_TRY(drain());
        m_queue.forget_created(kind.table);
        m_ready.erase(kind.table);
      }
      m_tables_seen.insert(kind.table);
      m_task = LoadTask{{}, kind.table, true, false, 0};
      m_task_has_create = kind.kind == K::create_table;
      add_to_task(rename(std::move(original)), line);
      return {};
    case K::lock_tables:
    case K::keys:
      return {};
    case K::insert:
      if (m_tables_seen.contains(kind.table)) {
        if (!m_ready.contains(kind.table)) {
          if (!m_queue.wait_created(kind.table)) {
            return failed();
          }
          m_ready.insert(kind.table);
        }
        LoadTask task{{}, kind.table, false, m_rename, original.size()};
        task.statements.push_back({std::move(original), line});
        if (!m_queue.push(std::move(task))) {
          return failed();
        }
        return {};
      }
      break;
    case K::session_set: {
      VM_TRY(drain());
      LoadStatement set{rename(std::move(original)), line};
      VM_TRY(run_on(m_conn, set));
      for (auto& worker : m_workers) {
        VM_TRY(run_on(*worker, set));
      }
      return {};
    }
    case K::other:
      break;
    }
    VM_TRY(drain());
    return run_on(m_conn, LoadStatement{rename(std::move(original)), line});
  }

  /// After the last statement: waits for the workers.
  Status finish() {
    if (m_task) {
      VM_TRY(submit_task());
    }
    VM_TRY(drain());
    m_finished = true;
    stop();
    if (auto error = m_queue.failure()) {
      return tl::unexpected(std::move(*error));
    }
    return {};
  }

  const std::set<std::string>& tables() const { return m_created_names; }

private:
  std::string rename(std::string statement) const {
    if (!m_rename) {
      return statement;
    }
    return sql::rewrite_prefix(statement, m_from, m_to);
  }

  Status run_on(db::Connection& conn, const LoadStatement& statement) {
    if (auto table = sql::created_table(statement.sql)) {
      m_created_names.insert(*table);
    }
    auto done = conn.execute(statement.sql);
    if (!done) {
      return tl::unexpected(at_line(done.error(), m_path, statement.line));
    }
    return {};
  }

  void add_to_task(std::string statement, std::size_t line) {
    if (auto table = sql::created_table(statement)) {
      m_created_names.insert(*table);
    }
    m_task->bytes += statement.size();
    m_task->statements.push_back({std::move(statement), line});
  }

  Status submit_task() {
    LoadTask task = std::move(*m_task);
    m_task.reset();
    if (!m_queue.push(std::move(task))) {
      return failed();
    }
    return {};
  }

  Status drain() { return m_queue.drain() ? Status{} : failed(); }

  Status failed() {
    auto error = m_queue.failure();
    return tl::unexpected(
        error ? *error : Error{ErrorKind::internal, "parallel load stopped", m_path, {}, {}});
  }

  Status start() {
    m_started = true;
    for (std::size_t i = 0; i < m_options.workers; ++i) {
      VM_TRY_ASSIGN(auto worker, m_connect());
      for (const auto& set : m_header) {
        VM_TRY(run_on(*worker, set));
      }
      m_workers.push_back(std::move(worker));
    }
    for (auto& worker : m_workers) {
      m_threads.emplace_back([this, conn = worker.get()] { work(*conn); });
    }
    return {};
  }

  void work(db::Connection& conn) {
    while (auto task = m_queue.pop()) {
      for (auto& statement : task->statements) {
        if (task->rewrite) {
          statement.sql = sql::rewrite_prefix(statement.sql, m_from, m_to);
        }
        auto done = conn.execute(statement.sql);
        // Rows of one table go in on several sessions: InnoDB may pick one as a deadlock
        // victim, which rolls back that INSERT alone (autocommit), so it can run again.
        for (int retry = 0; !done && !task->ddl && retry < k_deadlock_retries &&
                            done.error().message.find("(errno 1213)") != std::string::npos;
             ++retry) {
          done = conn.execute(statement.sql);
        }
        if (!done) {
          m_queue.fail(at_line(done.error(), m_path, statement.line));
          return;
        }
      }
      m_queue.done(*task);
    }
  }

  void stop() {
    if (m_threads.empty()) {
      return;
    }
    m_queue.close();
    for (auto& thread : m_threads) {
      thread.join();
    }
    m_threads.clear();
  }

  const std::string& m_path;
  db::Connection& m_conn;
  const ConnectionFactory& m_connect;
  const std::string& m_from;
  const std::string& m_to;
  bool m_rename;
  ParallelLoadOptions m_options;
  LoadQueue m_queue;
  bool m_started = false;
  bool m_finished = false;
  std::vector<LoadStatement> m_header;
  std::optional<LoadTask> m_task;
  bool m_task_has_create = false;
  std::set<std::string> m_tables_seen;   // names as in the dump
  std::set<std::string> m_ready;         // their CREATE has run
  std::set<std::string> m_created_names; // with the new prefix
  std::vector<std::unique_ptr<db::Connection>> m_workers;
  std::vector<std::thread> m_threads;
};

// Extra load sessions in use per budget key, process-wide.
struct SessionBudget {
  std::mutex mutex;
  std::map<std::string, std::size_t> in_use;
};

SessionBudget& session_budget() {
  static SessionBudget budget;
  return budget;
}

/// Up to `wanted` sessions of `key`'s budget of `limit`, given back on destruction.
class SessionGrant {
public:
  SessionGrant(std::string key, std::size_t wanted, std::size_t limit) : m_key(std::move(key)) {
    if (m_key.empty()) {
      m_granted = wanted;
      return;
    }
    auto& budget = session_budget();
    std::lock_guard lock(budget.mutex);
    std::size_t& used = budget.in_use[m_key];
    m_granted = used >= limit ? 0 : std::min(wanted, limit - used);
    used += m_granted;
  }
  SessionGrant(const SessionGrant&) = delete;
  SessionGrant& operator=(const SessionGrant&) = delete;
  ~SessionGrant() {
    if (!m_key.empty()) {
      auto& budget = session_budget();
      std::lock_guard lock(budget.mutex);
      budget.in_use[m_key] -= m_granted;
    }
  }
  std::size_t granted() const { return m_granted; }

private:
  std::string m_key;
  std::size_t m_granted = 0;
};

} // namespace

std::size_t load_sessions_in_use(const std::string& key) {
  auto& budget = session_budget();
  std::lock_guard lock(budget.mutex);
  auto it = budget.in_use.find(key);
  return it == budget.in_use.end() ? 0 : it->second;
}

Result<LoadStats> load_template_parallel(platform::FileReader& files, const std::string& path,
                                         db::Connection& conn, const ConnectionFactory& connect,
                                         const std::string& from_prefix,
                                         const std::string& to_prefix,
                                         const std::function<void(const LoadStats&)>& on_progress,
                                         const ParallelLoadOptions& options) {
  const SessionGrant grant(options.budget_key, options.workers, options.workers);
  if (grant.granted() <= 1 || !connect) {
    return load_template(files, path, conn, from_prefix, to_prefix, on_progress);
  }
  VM_TRY_ASSIGN(auto stream, files.open(path));
  sql::DumpReader reader(*stream);
  LoadStats stats;
  ParallelLoadOptions granted = options;
  granted.workers = grant.granted();
  ParallelLoader loader(path, conn, connect, from_prefix, to_prefix, granted);
  while (true) {
    auto next = reader.next();
    if (!next) {
      Error error = next.error();
      return tl::unexpected(std::move(error.in(path)));
    }
    if (!*next) {
      break;
    }
    VM_TRY(loader.feed(std::move(**next), reader.line()));
    ++stats.statements;
    if (on_progress && stats.statements % 2000 == 0) {
      stats.tables = loader.tables();
      on_progress(stats);
    }
  }
  VM_TRY(loader.finish());
  stats.tables = loader.tables();
  return stats;
}

} // namespace vmoodle::apply
