#include "vmoodle/apply/update_host.hpp"

#include "vmoodle/apply/registry_sql.hpp"
#include "vmoodle/apply/timed_step.hpp"
#include "vmoodle/util/redact.hpp"

namespace vmoodle::apply {

Status update_host(const plan::HostChange& change, const ActionContext& ctx) {
  const model::Fleet& fleet = ctx.fleet;
  const model::LiveState& live = ctx.live;
  Effects effects = ctx.effects;
  const model::Host& host = *fleet.find_host(change.vhostname);
  const model::Server& server = *fleet.find_server(host.server);
  auto rows = live.rows_for(host.vhostname);
  if (rows.size() != 1) {
    return fail(ErrorKind::conflict, "the registry row changed since it was read",
                "host " + host.vhostname, "run plan again");
  }
  return timed_step(effects, host.vhostname, "registry", [&]() -> Status {
    // A managed account's vdbpass is never among the updated columns.
    Secret password;
    if (!host.manage_db_user) {
      VM_TRY_ASSIGN(password, effects.secrets.resolve(*host.db_password));
    }
    VM_TRY_ASSIGN(auto master, connect_to_master(ctx));
    std::vector<std::string> columns;
    for (const auto& field : change.fields) {
      columns.push_back(field.column);
    }
    const auto row = diff::desired_row(host, server, password);
    auto updated =
        master->execute(update_registry_row(fleet.master, row, columns, rows.front()->id));
    if (!updated) {
      return tl::unexpected(redact(updated.error(), password));
    }
    return {};
  });
}

} // namespace vmoodle::apply
