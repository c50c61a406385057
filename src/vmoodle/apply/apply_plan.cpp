#include "vmoodle/apply/apply_plan.hpp"

#include "vmoodle/apply/apply_lock.hpp"
#include "vmoodle/apply/create_host.hpp"
#include "vmoodle/apply/update_host.hpp"

namespace vmoodle::apply {

Result<ApplyReport> apply_plan(const plan::Plan& plan, const model::Fleet& fleet,
                               const model::LiveState& live, Effects effects,
                               const ApplyOptions& options) {
  const model::Server& master_server = *fleet.find_server(fleet.master.server);
  Secret password;
  if (master_server.password) {
    VM_TRY_ASSIGN(password, effects.secrets.resolve(*master_server.password));
  }
  VM_TRY_ASSIGN(auto master, effects.connector.connect(master_server, password, ""));
  VM_TRY(acquire_apply_lock(*master, fleet.master, options.lock_timeout_seconds));

  ApplyReport report;
  for (const auto& change : plan.changes) {
    Status result;
    switch (change.action) {
    case plan::Action::create:
      result = create_host(change, fleet, live, *master, effects);
      break;
    case plan::Action::update:
      result = update_host(change, fleet, live, *master, effects);
      break;
    }
    if (result) {
      report.done.push_back(change.vhostname);
    } else {
      report.failed.push_back(change.vhostname);
      report.errors.push_back(result.error());
    }
  }
  return report;
}

} // namespace vmoodle::apply
