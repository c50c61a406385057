#include "vmoodle/apply/executor.hpp"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace vmoodle::apply {

ExecutionResult execute(std::vector<Scheduler::Node> nodes, int parallelism,
                        std::map<std::string, int> server_limits,
                        const std::function<Status(std::size_t)>& run) {
  const std::size_t count = nodes.size();
  Scheduler scheduler(std::move(nodes), parallelism, std::move(server_limits));
  ExecutionResult result;

  std::mutex mutex;
  std::condition_variable finished_cv;
  std::deque<std::pair<std::size_t, Status>> completions;
  std::vector<std::thread> workers;

  // The scheduler is touched only by this thread; workers hand results back
  // through `completions`.
  while (!scheduler.finished()) {
    while (auto index = scheduler.next()) {
      workers.emplace_back([&, i = *index] {
        Status status = run(i);
        std::lock_guard lock(mutex);
        completions.emplace_back(i, std::move(status));
        finished_cv.notify_one();
      });
    }
    if (!scheduler.running()) {
      // Pending changes that can never start: their dependencies form a cycle.
      for (std::size_t i = 0; i < count; ++i) {
        if (scheduler.state(i) == ChangeState::pending) {
          result.errors.emplace(i, Error{ErrorKind::internal,
                                         "dependency cycle in the plan",
                                         "",
                                         "report this as a bug",
                                         {}});
        }
      }
      break;
    }
    std::unique_lock lock(mutex);
    finished_cv.wait(lock, [&] { return !completions.empty(); });
    while (!completions.empty()) {
      auto [index, status] = std::move(completions.front());
      completions.pop_front();
      scheduler.finish(index, status.has_value());
      if (!status) {
        result.errors.emplace(index, std::move(status.error()));
      }
    }
  }
  for (auto& worker : workers) {
    worker.join();
  }

  result.states.resize(count);
  for (std::size_t i = 0; i < count; ++i) {
    result.states[i] = scheduler.state(i);
    if (result.states[i] == ChangeState::pending) {
      result.states[i] = ChangeState::failed;
    }
    if (result.states[i] == ChangeState::skipped) {
      result.skipped_because[i] = scheduler.skipped_because(i);
    }
  }
  return result;
}

} // namespace vmoodle::apply
