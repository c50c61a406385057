// Hooks around actions: when they run, what fails a host, and how plans show them.
#include "vmoodle/apply/run_hooks.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/fake_connection.hpp"
#include "tests/fakes/fake_effects.hpp"
#include "tests/fakes/fake_process_runner.hpp"
#include "tests/fakes/fake_world.hpp"
#include "tests/fakes/memory_file_system.hpp"
#include "tests/fakes/sample_fleet.hpp"
#include "vmoodle/diff/compute_plan.hpp"
#include "vmoodle/plan/hooks.hpp"
#include "vmoodle/plan/plan_codec.hpp"
#include "vmoodle/render/plan_text.hpp"

namespace vmoodle::apply {
namespace {

using namespace vmoodle::testing;
using platform::ProcessResult;

ProcessResult exited(int code, std::string output = "") {
  return ProcessResult{code, 0, false, std::move(output), false};
}

TEST(HookFailure, ClassifiesHowACommandEnded) {
  EXPECT_EQ(hook_failure(exited(0, "Purged caches\n")), std::nullopt);
  EXPECT_EQ(hook_failure(exited(3)), "exited with status 3");
  EXPECT_EQ(hook_failure(ProcessResult{-1, 9, false, "", false}), "was killed by signal 9");
  EXPECT_EQ(hook_failure(ProcessResult{-1, 15, true, "", false}), "timed out and was stopped");
  // VMoodle's die() exits 0: the message is the only sign.
  auto unknown = hook_failure(
      exited(0, "VMoodling (Mysql) : No configuration for this host : https://x.example.org"));
  ASSERT_TRUE(unknown.has_value());
  EXPECT_NE(unknown->find("No configuration for this host"), std::string::npos);
}

class HooksTest : public ::testing::Test, public vmoodle::testing::FakeWorld {
protected:
  HooksTest() : fleet(sample_fleet(1)), live(empty_live()) {}

  plan::HostChange change(plan::Action action, std::vector<std::string> programs) {
    plan::HostChange out;
    out.vhostname = fleet.hosts[0].vhostname;
    out.action = action;
    const std::string hook = plan::hook_point(action)->hook;
    for (auto& program : programs) {
      out.hooks.push_back({hook, {program, "--host=" + out.vhostname}, 60});
    }
    return out;
  }

  ActionContext context() {
    return ActionContext{fleet, live,
                         Effects{connector, files, secrets, clock, reporter, processes}};
  }

  model::Fleet fleet;
  model::LiveState live;
  FakeProcessRunner processes;
};

TEST_F(HooksTest, AfterHooksRunInOrderOnceTheActionSucceeded) {
  std::vector<std::string> order;
  processes.results["/usr/bin/second"] = exited(0);
  const auto c = change(plan::Action::create, {"php", "/usr/bin/second"});
  auto status = with_hooks(c, context(), [&]() -> Status {
    order.push_back("action");
    EXPECT_TRUE(processes.calls.empty()) << "after hooks wait for the action";
    return {};
  });
  ASSERT_TRUE(status) << status.error().render();
  EXPECT_EQ(processes.programs(), (std::vector<std::string>{"php", "/usr/bin/second"}));
  EXPECT_EQ(processes.calls[0][1], "--host=https://h1.example.org");
  EXPECT_EQ(processes.timeouts, (std::vector<int>{60, 60}));
  EXPECT_EQ(reporter.events,
            (std::vector<std::string>{"https://h1.example.org|hook after_create[1]|done",
                                      "https://h1.example.org|hook after_create[2]|done"}));
}

TEST_F(HooksTest, AfterHooksDoNotRunWhenTheActionFailed) {
  auto status = with_hooks(change(plan::Action::update, {"php"}), context(),
                           [] { return fail(ErrorKind::db, "registry write failed"); });
  EXPECT_FALSE(status);
  EXPECT_TRUE(processes.calls.empty());
}

TEST_F(HooksTest, AFailingBeforeDestroyHookStopsTheDestroy) {
  processes.results["/usr/local/bin/archive"] = exited(2, "disk full\n");
  bool destroyed = false;
  auto status = with_hooks(change(plan::Action::destroy, {"/usr/local/bin/archive", "never"}),
                           context(), [&]() -> Status {
                             destroyed = true;
                             return {};
                           });
  ASSERT_FALSE(status);
  EXPECT_FALSE(destroyed);
  EXPECT_EQ(processes.programs(), std::vector<std::string>{"/usr/local/bin/archive"})
      << "the first failure stops the hook's remaining commands";
  const std::string text = status.error().render();
  EXPECT_NE(text.find("https://h1.example.org (hook before_destroy[1])"), std::string::npos)
      << text;
  EXPECT_NE(text.find("exited with status 2"), std::string::npos) << text;
  EXPECT_NE(text.find("    | disk full"), std::string::npos) << text;
  EXPECT_NE(text.find("nothing was changed"), std::string::npos) << text;
}

TEST_F(HooksTest, VmoodlesExitZeroMessageFailsTheHost) {
  processes.results["php"] = exited(0, "VMoodling (Mysql) : No configuration for this host : "
                                       "https://h1.example.org\n");
  auto status =
      with_hooks(change(plan::Action::create, {"php"}), context(), []() -> Status { return {}; });
  ASSERT_FALSE(status);
  const std::string text = status.error().render();
  EXPECT_NE(text.find("No configuration for this host"), std::string::npos) << text;
  EXPECT_NE(text.find("is not run again"), std::string::npos) << text;
  EXPECT_EQ(reporter.events,
            std::vector<std::string>{"https://h1.example.org|hook after_create[1]|failed"});
}

TEST_F(HooksTest, TimeoutAndStartFailuresFailTheHost) {
  processes.results["sleepy"] = ProcessResult{-1, 15, true, "", false};
  auto timed_out = run_hooks(change(plan::Action::migrate, {"sleepy"}), context());
  ASSERT_FALSE(timed_out);
  EXPECT_NE(timed_out.error().render().find("timed out after 60s"), std::string::npos);
  auto missing = run_hooks(change(plan::Action::migrate, {"missing-program"}), context());
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().render().find("not found on PATH"), std::string::npos);
}

TEST_F(HooksTest, LongOutputKeepsItsLastLines) {
  std::string output;
  for (int i = 1; i <= 50; ++i) {
    output += "line " + std::to_string(i) + "\n";
  }
  processes.results["php"] = exited(1, output);
  auto status = run_hooks(change(plan::Action::update, {"php"}), context());
  ASSERT_FALSE(status);
  const std::string text = status.error().render();
  EXPECT_NE(text.find("last 20 lines"), std::string::npos) << text;
  EXPECT_NE(text.find("| line 50"), std::string::npos);
  EXPECT_NE(text.find("| line 31\n"), std::string::npos);
  EXPECT_EQ(text.find("| line 30\n"), std::string::npos);
}

TEST(HookPoints, OneTableMapsActionsToHooks) {
  EXPECT_STREQ(plan::hook_point(plan::Action::create)->hook, "after_create");
  EXPECT_STREQ(plan::hook_point(plan::Action::update)->hook, "after_update");
  EXPECT_STREQ(plan::hook_point(plan::Action::migrate)->hook, "after_migrate");
  EXPECT_STREQ(plan::hook_point(plan::Action::configure)->hook, "after_config");
  EXPECT_STREQ(plan::hook_point(plan::Action::destroy)->hook, "before_destroy");
  EXPECT_EQ(plan::hook_point(plan::Action::destroy)->phase, plan::HookPhase::before);
  EXPECT_FALSE(plan::hook_point(plan::Action::snapshot).has_value());
}

TEST(PlanHooks, ThePlanShowsAndCarriesTheHooksOfEachChange) {
  auto fleet = sample_fleet(2);
  fleet.hosts[0].hooks["after_create"] = {
      {{"php", "/var/www/moodle/local/vmoodle/cli/purge_caches.php",
        "--host=https://h1.example.org"},
       600,
       {}},
      {{"/usr/local/bin/notify", "a b;$(rm -rf /)"}, 30, {}}};
  fleet.hosts[0].hooks["before_destroy"] = {{{"/bin/false"}, 600, {}}};
  std::map<std::string, Secret> passwords;
  for (const auto& host : fleet.hosts) {
    passwords[host.vhostname] = Secret("moodle-pw");
  }
  auto plan = diff::compute_plan(fleet, empty_live(), passwords, {});
  ASSERT_TRUE(plan) << plan.error().render();
  ASSERT_EQ(plan->changes.size(), 2u);
  ASSERT_EQ(plan->changes[0].hooks.size(), 2u) << "only the hook of the change's action";
  EXPECT_TRUE(plan->changes[1].hooks.empty());

  const std::string text = render::plan_text(*plan);
  EXPECT_NE(text.find("      hook after_create[1] = php "
                      "/var/www/moodle/local/vmoodle/cli/purge_caches.php "
                      "--host=https://h1.example.org\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("      hook after_create[2] = /usr/local/bin/notify \"a b;$(rm -rf /)\" "
                      "(timeout 30s)\n"),
            std::string::npos)
      << text;

  auto back = plan::plan_from_json(plan::to_json(*plan));
  ASSERT_TRUE(back) << back.error().render();
  ASSERT_EQ(back->changes[0].hooks.size(), 2u);
  EXPECT_EQ(back->changes[0].hooks[1].argv, plan->changes[0].hooks[1].argv);
  EXPECT_EQ(back->changes[0].hooks[1].timeout_seconds, 30);
  EXPECT_EQ(back->changes[0].hooks[1].hook, "after_create");
  EXPECT_FALSE(plan::to_json(*plan)["changes"][1].contains("hooks"))
      << "changes without hooks keep the plan file as it was";
}

} // namespace
} // namespace vmoodle::apply
