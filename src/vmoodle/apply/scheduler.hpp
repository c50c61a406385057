#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace vmoodle::apply {

/// The state of one change during apply.
enum class ChangeState { pending, running, done, failed, skipped };

/// Which changes may start now: dependencies done, at most `parallelism` running,
/// at most the server's limit running per server. Pure bookkeeping, no threads
/// (ninja's Plan: the executor asks for work and reports results).
class Scheduler {
public:
  struct Node {
    std::vector<std::size_t> depends_on;
    std::string server; ///< the server whose limit the change counts against
  };

  /// `server_limits` maps server name → max changes at once (absent = unlimited).
  Scheduler(std::vector<Node> nodes, int parallelism, std::map<std::string, int> server_limits);

  /// A change ready to start, marked running; nullopt when none can start now.
  std::optional<std::size_t> next();
  /// Records the end of a running change. A failure skips every change that
  /// depends on it, directly or not.
  void finish(std::size_t index, bool ok);
  /// Nothing pending or running.
  bool finished() const;
  /// Something is running (so waiting for a result makes sense).
  bool running() const { return m_running > 0; }

  ChangeState state(std::size_t index) const { return m_states[index]; }
  /// For a skipped change: the failed change that caused it.
  std::size_t skipped_because(std::size_t index) const { return m_cause[index]; }

private:
  void skip_dependents(std::size_t failed, std::size_t cause);

  std::vector<Node> m_nodes;
  std::vector<ChangeState> m_states;
  std::vector<std::size_t> m_cause;
  int m_parallelism;
  std::map<std::string, int> m_limits;
  std::map<std::string, int> m_running_per_server;
  int m_running = 0;
};

} // namespace vmoodle::apply
