#include "vmoodle/apply/parallel_load.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "vmoodle/apply/load_queue.hpp"
#include "vmoodle/apply/load_session_budget.hpp"
#include "vmoodle/apply/new_database_drops.hpp"
#include "vmoodle/sql/dump_statement.hpp"
#include "vmoodle/sql/prefix_rewrite.hpp"
#include "vmoodle/sql/secondary_keys.hpp"

namespace vmoodle::apply {
namespace {

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

class ParallelLoader {
public:
  ParallelLoader(const std::string& path, db::Connection& conn, const ConnectionFactory& connect,
                 const std::string& from_prefix, const std::string& to_prefix,
                 const ParallelLoadOptions& options)
      : m_path(path), m_conn(conn), m_connect(connect), m_from(from_prefix), m_to(to_prefix),
        m_rename(from_prefix != to_prefix), m_options(options), m_queue(options.queue_bytes),
        m_drops(options.new_database), m_shared(options.workers <= 1) {}

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
    const bool skip = m_drops.skip(kind);
    return feed(kind, skip, std::move(original), line);
  }

  /// After the last statement: waits for the workers.
  Status finish() {
    if (m_held) {
      VM_TRY(release_held(false));
    }
    if (m_task) {
      VM_TRY(submit_task());
    }
    VM_TRY(drain());
    // Every row is in: the deferred indexes are built, tables side by side.
    for (auto& [table, add_keys] : m_deferred) {
      LoadTask task{{}, table, true, false, add_keys.sql.size()};
      task.statements.push_back(std::move(add_keys));
      if (!m_queue.push(std::move(task))) {
        return failed();
      }
    }
    m_deferred.clear();
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
  // `skip`: a drop that cannot find a table (NewDatabaseDrops); it still starts its
  // table's DDL, which the SETs before the CREATE join.
  Status feed(const sql::DumpStatement& kind, bool skip, std::string original, std::size_t line) {
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
    if (m_held) {
      if (kind.kind == K::lock_tables || kind.kind == K::keys) {
        return {};
      }
      if (kind.kind == K::insert && kind.table == m_held->ddl.table) {
        m_held->bytes += original.size();
        LoadTask task{{}, kind.table, false, m_rename, original.size()};
        task.statements.push_back({std::move(original), line});
        m_held->rows.push_back(std::move(task));
        return m_held->bytes >= m_options.defer_keys_bytes ? release_held(true) : Status{};
      }
      VM_TRY(release_held(false));
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
      if (m_task_has_create && m_options.defer_keys_bytes > 0) {
        // The table's first rows wait (up to defer_keys_bytes) to tell whether it is big
        // enough for its indexes to be built after them.
        m_held = Held{std::move(*m_task), {}, 0};
        m_task.reset();
        return feed(kind, skip, std::move(original), line);
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
        std::erase_if(m_deferred,
                      [&](const auto& deferred) { return deferred.first == kind.table; });
      }
      m_tables_seen.insert(kind.table);
      m_task = LoadTask{{}, kind.table, true, false, 0};
      m_task_has_create = kind.kind == K::create_table;
      if (!skip) {
        add_to_task(rename(std::move(original)), line);
      }
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
      return tl::unexpected(load_error(done.error(), m_path, statement.line));
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

  // Hands out the held table: its CREATE (without its secondary indexes when `defer` and
  // the definition allows it), then the rows that waited.
  Status release_held(bool defer) {
    Held held = std::move(*m_held);
    m_held.reset();
    if (defer) {
      for (auto& statement : held.ddl.statements) {
        if (sql::classify_dump_statement(statement.sql).kind !=
            sql::DumpStatementKind::create_table) {
          continue;
        }
        if (auto split = sql::defer_secondary_keys(statement.sql)) {
          m_deferred.emplace_back(held.ddl.table,
                                  LoadStatement{std::move(split->add_keys), statement.line});
          statement.sql = std::move(split->create);
        }
      }
    }
    const std::string table = held.ddl.table;
    m_task = std::move(held.ddl);
    VM_TRY(submit_task());
    if (held.rows.empty()) {
      return {}; // as before: only rows wait for their table's CREATE
    }
    if (!m_queue.wait_created(table)) {
      return failed();
    }
    m_ready.insert(table);
    for (auto& rows : held.rows) {
      if (!m_queue.push(std::move(rows))) {
        return failed();
      }
    }
    return {};
  }

  Status failed() {
    auto error = m_queue.failure();
    return tl::unexpected(
        error ? *error : Error{ErrorKind::internal, "parallel load stopped", m_path, {}, {}});
  }

  Status start() {
    m_started = true;
    std::vector<db::Connection*> sessions;
    if (m_shared) {
      // One session: `conn` itself runs the tasks, in a thread of its own while this one
      // reads ahead; this one only uses `conn` once the queue is drained.
      sessions.push_back(&m_conn);
    }
    for (std::size_t i = 0; !m_shared && i < m_options.workers; ++i) {
      VM_TRY_ASSIGN(auto worker, m_connect());
      for (const auto& set : m_header) {
        VM_TRY(run_on(*worker, set));
      }
      sessions.push_back(worker.get());
      m_workers.push_back(std::move(worker));
    }
    for (auto* session : sessions) {
      m_threads.emplace_back([this, session] { work(*session); });
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
          m_queue.fail(load_error(done.error(), m_path, statement.line));
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
  NewDatabaseDrops m_drops;
  bool m_shared; ///< one session: `conn` runs the tasks, no worker is opened
  bool m_started = false;
  bool m_finished = false;
  std::vector<LoadStatement> m_header;
  std::optional<LoadTask> m_task;
  bool m_task_has_create = false;
  // A table's DDL and its first rows, waiting to know whether it is big (defer_keys_bytes).
  struct Held {
    LoadTask ddl;
    std::vector<LoadTask> rows;
    std::size_t bytes = 0;
  };
  std::optional<Held> m_held;
  std::vector<std::pair<std::string, LoadStatement>> m_deferred; // table, its ALTER
  std::set<std::string> m_tables_seen;                           // names as in the dump
  std::set<std::string> m_ready;                                 // their CREATE has run
  std::set<std::string> m_created_names;                         // with the new prefix
  std::vector<std::unique_ptr<db::Connection>> m_workers;
  std::vector<std::thread> m_threads;
};

} // namespace

Result<LoadStats> load_template_parallel(platform::FileReader& files, const std::string& path,
                                         db::Connection& conn, const ConnectionFactory& connect,
                                         const std::string& from_prefix,
                                         const std::string& to_prefix,
                                         const std::function<void(const LoadStats&)>& on_progress,
                                         const ParallelLoadOptions& options) {
  const SessionGrant grant(options.budget_key, options.workers, options.workers);
  LoadStats stats;
  ParallelLoadOptions granted = options;
  // Granted one session or none, the load runs on `conn` alone, still reading ahead and
  // building big tables' indexes after their rows.
  granted.workers = connect && grant.granted() > 1 ? grant.granted() : 1;
  ParallelLoader loader(path, conn, connect, from_prefix, to_prefix, granted);
  VM_TRY(
      for_each_dump_statement(files, path, [&](std::string statement, std::size_t line) -> Status {
        VM_TRY(loader.feed(std::move(statement), line));
        ++stats.statements;
        if (on_progress && stats.statements % 2000 == 0) {
          stats.tables = loader.tables();
          on_progress(stats);
        }
        return {};
      }));
  VM_TRY(loader.finish());
  stats.tables = loader.tables();
  return stats;
}

} // namespace vmoodle::apply
