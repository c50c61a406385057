#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "vmoodle/util/error.hpp"

namespace vmoodle::apply {

struct LoadStatement {
  std::string sql;
  std::size_t line = 0;
};

/// Statements that run in order on one worker: a table's DDL, or one INSERT.
struct LoadTask {
  std::vector<LoadStatement> statements;
  std::string table; ///< as named in the dump
  bool ddl = false;
  bool rewrite = false; ///< prefix still to rename (done by the worker)
  std::size_t bytes = 0;
};

/// The queues between the reading thread and the workers. DDL goes first: the reader
/// waits for a table's CREATE before handing out its rows.
class LoadQueue {
public:
  explicit LoadQueue(std::size_t capacity) : m_capacity(capacity) {}

  /// Waits for room; false once the load has failed.
  bool push(LoadTask task) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock,
                   [&] { return m_failed || m_bytes == 0 || m_bytes + task.bytes <= m_capacity; });
    if (m_failed) {
      return false;
    }
    m_bytes += task.bytes;
    (task.ddl ? m_ddl : m_data).push_back(std::move(task));
    m_work.notify_one();
    return true;
  }

  /// Waits until the DDL task of `table` has run; false once the load has failed.
  bool wait_created(const std::string& table) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_failed || m_created.contains(table); });
    return !m_failed;
  }

  /// Waits until every task handed out has run; false once the load has failed.
  bool drain() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock,
                   [&] { return m_failed || (m_ddl.empty() && m_data.empty() && m_running == 0); });
    return !m_failed;
  }

  /// `table` is being defined again (the reader drained first): its rows must wait for
  /// the new DDL task.
  void forget_created(const std::string& table) {
    std::lock_guard lock(m_mutex);
    m_created.erase(table);
  }

  /// No more tasks: workers return once the queues are empty.
  void close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_work.notify_all();
  }

  /// The next task, DDL first; nullopt when closed and empty, or failed.
  std::optional<LoadTask> pop() {
    std::unique_lock lock(m_mutex);
    m_work.wait(lock, [&] { return m_failed || m_closed || !m_ddl.empty() || !m_data.empty(); });
    if (m_failed || (m_ddl.empty() && m_data.empty())) {
      return std::nullopt;
    }
    auto& from = m_ddl.empty() ? m_data : m_ddl;
    LoadTask task = std::move(from.front());
    from.pop_front();
    m_bytes -= task.bytes;
    ++m_running;
    m_changed.notify_all();
    return task;
  }

  void done(const LoadTask& task) {
    std::lock_guard lock(m_mutex);
    --m_running;
    if (task.ddl) {
      m_created.insert(task.table);
    }
    m_changed.notify_all();
  }

  /// Records the first error and stops everyone.
  void fail(Error error) {
    std::lock_guard lock(m_mutex);
    if (!m_failed) {
      m_failed = true;
      m_error = std::move(error);
    }
    m_work.notify_all();
    m_changed.notify_all();
  }

  std::optional<Error> failure() {
    std::lock_guard lock(m_mutex);
    return m_error;
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_work;    // workers wait here
  std::condition_variable m_changed; // the reader waits here
  std::deque<LoadTask> m_ddl;
  std::deque<LoadTask> m_data;
  std::set<std::string> m_created;
  std::size_t m_capacity;
  std::size_t m_bytes = 0;
  std::size_t m_running = 0;
  bool m_closed = false;
  bool m_failed = false;
  std::optional<Error> m_error;
};

} // namespace vmoodle::apply
