#include "vmoodle/apply/scheduler.hpp"

#include <algorithm>

namespace vmoodle::apply {

Scheduler::Scheduler(std::vector<Node> nodes, int parallelism,
                     std::map<std::string, int> server_limits)
    : m_nodes(std::move(nodes)), m_states(m_nodes.size(), ChangeState::pending),
      m_cause(m_nodes.size(), 0), m_parallelism(std::max(1, parallelism)),
      m_limits(std::move(server_limits)) {}

std::optional<std::size_t> Scheduler::next() {
  if (m_running >= m_parallelism) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < m_nodes.size(); ++i) {
    if (m_states[i] != ChangeState::pending) {
      continue;
    }
    const auto& node = m_nodes[i];
    const bool ready = std::all_of(node.depends_on.begin(), node.depends_on.end(),
                                   [&](std::size_t d) { return m_states[d] == ChangeState::done; });
    if (!ready) {
      continue;
    }
    auto limit = m_limits.find(node.server);
    if (limit != m_limits.end() && m_running_per_server[node.server] >= limit->second) {
      continue;
    }
    m_states[i] = ChangeState::running;
    ++m_running;
    ++m_running_per_server[node.server];
    return i;
  }
  return std::nullopt;
}

void Scheduler::finish(std::size_t index, bool ok) {
  m_states[index] = ok ? ChangeState::done : ChangeState::failed;
  --m_running;
  --m_running_per_server[m_nodes[index].server];
  if (!ok) {
    skip_dependents(index, index);
  }
}

void Scheduler::skip_dependents(std::size_t failed, std::size_t cause) {
  for (std::size_t i = 0; i < m_nodes.size(); ++i) {
    const auto& deps = m_nodes[i].depends_on;
    if (m_states[i] == ChangeState::pending &&
        std::find(deps.begin(), deps.end(), failed) != deps.end()) {
      m_states[i] = ChangeState::skipped;
      m_cause[i] = cause;
      skip_dependents(i, cause);
    }
  }
}

bool Scheduler::finished() const {
  return std::none_of(m_states.begin(), m_states.end(), [](ChangeState s) {
    return s == ChangeState::pending || s == ChangeState::running;
  });
}

} // namespace vmoodle::apply
