#include "vmoodle/apply/apply_plan.hpp"

#include <algorithm>

#include "vmoodle/apply/action_context.hpp"
#include "vmoodle/apply/apply_lock.hpp"
#include "vmoodle/apply/configure_host.hpp"
#include "vmoodle/apply/create_host.hpp"
#include "vmoodle/apply/destroy_host.hpp"
#include "vmoodle/apply/executor.hpp"
#include "vmoodle/apply/migrate_host.hpp"
#include "vmoodle/apply/run_hooks.hpp"
#include "vmoodle/apply/snapshot_host.hpp"
#include "vmoodle/apply/update_host.hpp"

namespace vmoodle::apply {
namespace {

Status run_action(const plan::HostChange& change, const ActionContext& ctx) {
  switch (change.action) {
  case plan::Action::create:
    return create_host(change, ctx);
  case plan::Action::update:
    return update_host(change, ctx);
  case plan::Action::migrate:
    return migrate_host(change, ctx);
  case plan::Action::snapshot:
    return snapshot_host(change, ctx);
  case plan::Action::destroy:
    return destroy_host(change, ctx);
  case plan::Action::configure:
    return configure_host(change, ctx);
  }
  return fail(ErrorKind::internal,
              std::string("no executor for action ") + plan::name(change.action),
              plan::label(change));
}

// The action with the host's hooks around it (apply/run_hooks.hpp).
Status run_change(const plan::HostChange& change, const ActionContext& ctx) {
  return with_hooks(change, ctx, [&] { return run_action(change, ctx); });
}

} // namespace

Result<ApplyReport> apply_plan(const plan::Plan& plan, const model::Fleet& fleet,
                               const model::LiveState& live, Effects effects,
                               const ApplyOptions& options) {
  ActionContext ctx{fleet, live, effects, std::max(1, options.parallelism)};
  // The lock lives as long as this connection: the whole apply.
  std::unique_ptr<db::Connection> lock_holder;
  if (options.take_lock) {
    VM_TRY_ASSIGN(lock_holder, connect_to_master(ctx));
    VM_TRY(acquire_apply_lock(*lock_holder, fleet.master, options.lock_timeout_seconds));
  }

  std::vector<Scheduler::Node> nodes;
  for (const auto& change : plan.changes) {
    nodes.push_back({change.depends_on, change.server});
  }
  std::map<std::string, int> limits;
  for (const auto& [name, server] : fleet.servers) {
    limits[name] = server.max_parallel;
  }
  auto result = execute(std::move(nodes), options.parallelism, std::move(limits),
                        [&](std::size_t i) { return run_change(plan.changes[i], ctx); });

  ApplyReport report;
  for (std::size_t i = 0; i < plan.changes.size(); ++i) {
    const std::string label = plan::label(plan.changes[i]);
    switch (result.states[i]) {
    case ChangeState::done:
      report.done.push_back(label);
      break;
    case ChangeState::skipped:
      report.skipped.push_back(label + " (" + plan::name(plan.changes[i].action) +
                               ", skipped because " +
                               plan::label(plan.changes[result.skipped_because[i]]) + " failed)");
      break;
    default:
      report.failed.push_back(label);
      if (auto it = result.errors.find(i); it != result.errors.end()) {
        report.errors.push_back(it->second);
      }
      break;
    }
  }
  return report;
}

} // namespace vmoodle::apply
