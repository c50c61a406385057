#include "vmoodle/apply/load_session_budget.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "vmoodle/apply/parallel_load.hpp"

namespace vmoodle::apply {
namespace {

// Extra load sessions in use per budget key, process-wide.
struct SessionBudget {
  std::mutex mutex;
  std::map<std::string, std::size_t> in_use;
};

SessionBudget& session_budget() {
  static SessionBudget budget;
  return budget;
}

} // namespace

SessionGrant::SessionGrant(std::string key, std::size_t wanted, std::size_t limit)
    : m_key(std::move(key)) {
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

SessionGrant::~SessionGrant() {
  if (!m_key.empty()) {
    auto& budget = session_budget();
    std::lock_guard lock(budget.mutex);
    budget.in_use[m_key] -= m_granted;
  }
}

std::size_t load_sessions_in_use(const std::string& key) {
  auto& budget = session_budget();
  std::lock_guard lock(budget.mutex);
  auto it = budget.in_use.find(key);
  return it == budget.in_use.end() ? 0 : it->second;
}

} // namespace vmoodle::apply
