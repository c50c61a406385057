#include "vmoodle/apply/scheduler.hpp"

#include <gtest/gtest.h>

#include "vmoodle/apply/executor.hpp"

#include <atomic>
#include <mutex>
#include <thread>

namespace vmoodle::apply {
namespace {

using Node = Scheduler::Node;

TEST(Scheduler, DependenciesComeFirst) {
  Scheduler s({{{}, "db1"}, {{0}, "db1"}, {{1}, "db1"}}, 4, {});
  EXPECT_EQ(s.next(), 0u);
  EXPECT_EQ(s.next(), std::nullopt);
  s.finish(0, true);
  EXPECT_EQ(s.next(), 1u);
  s.finish(1, true);
  EXPECT_EQ(s.next(), 2u);
  s.finish(2, true);
  EXPECT_TRUE(s.finished());
}

TEST(Scheduler, OverallAndPerServerLimits) {
  std::vector<Node> nodes;
  for (int i = 0; i < 6; ++i) {
    nodes.push_back({{}, i < 4 ? "db1" : "db2"});
  }
  Scheduler s(nodes, 3, {{"db1", 2}});
  EXPECT_EQ(s.next(), 0u);
  EXPECT_EQ(s.next(), 1u);
  EXPECT_EQ(s.next(), 4u) << "db1 is full, db2 is not";
  EXPECT_EQ(s.next(), std::nullopt) << "3 running overall";
  s.finish(0, true);
  EXPECT_EQ(s.next(), 2u);
}

TEST(Scheduler, FailureSkipsDependentsOnly) {
  // 0 → 1 → 2, and 3 independent.
  Scheduler s({{{}, "a"}, {{0}, "a"}, {{1}, "a"}, {{}, "a"}}, 4, {});
  EXPECT_EQ(s.next(), 0u);
  EXPECT_EQ(s.next(), 3u);
  s.finish(0, false);
  s.finish(3, true);
  EXPECT_TRUE(s.finished());
  EXPECT_EQ(s.state(0), ChangeState::failed);
  EXPECT_EQ(s.state(1), ChangeState::skipped);
  EXPECT_EQ(s.state(2), ChangeState::skipped);
  EXPECT_EQ(s.skipped_because(2), 0u);
  EXPECT_EQ(s.state(3), ChangeState::done);
}

TEST(Executor, RunsIndependentTasksInParallelWithinTheLimit) {
  std::atomic<int> active{0};
  std::atomic<int> peak{0};
  std::vector<Node> nodes(8, Node{{}, "db1"});
  auto result = execute(nodes, 8, {{"db1", 3}}, [&](std::size_t) -> Status {
    const int now = ++active;
    int seen = peak.load();
    while (now > seen && !peak.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    --active;
    return {};
  });
  EXPECT_EQ(peak.load(), 3);
  for (auto state : result.states) {
    EXPECT_EQ(state, ChangeState::done);
  }
}

TEST(Executor, ReportsErrorsAndSkips) {
  std::mutex mutex;
  std::vector<std::size_t> ran;
  auto result = execute({{{}, "a"}, {{0}, "a"}, {{}, "a"}}, 2, {}, [&](std::size_t i) -> Status {
    {
      std::lock_guard lock(mutex);
      ran.push_back(i);
    }
    if (i == 0) {
      return fail(ErrorKind::db, "boom", "host a");
    }
    return {};
  });
  EXPECT_EQ(result.states[0], ChangeState::failed);
  EXPECT_EQ(result.errors.at(0).message, "boom");
  EXPECT_EQ(result.states[1], ChangeState::skipped);
  EXPECT_EQ(result.skipped_because.at(1), 0u);
  EXPECT_EQ(result.states[2], ChangeState::done);
  EXPECT_EQ(std::count(ran.begin(), ran.end(), 1u), 0);
}

TEST(Executor, ACycleFailsInsteadOfHanging) {
  auto result = execute({{{1}, "a"}, {{0}, "a"}}, 2, {}, [](std::size_t) -> Status { return {}; });
  EXPECT_EQ(result.states[0], ChangeState::failed);
  EXPECT_EQ(result.states[1], ChangeState::failed);
}

} // namespace
} // namespace vmoodle::apply
