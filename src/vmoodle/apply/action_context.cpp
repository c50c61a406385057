#include "vmoodle/apply/action_context.hpp"

namespace vmoodle::apply {

Result<std::unique_ptr<db::Connection>>
connect_to(const ActionContext& ctx, const std::string& server_name, const std::string& database) {
  const model::Server* server = ctx.fleet.find_server(server_name);
  if (server == nullptr) {
    return fail(ErrorKind::internal, "unknown server " + server_name);
  }
  Secret password;
  if (server->password) {
    VM_TRY_ASSIGN(password, ctx.effects.secrets.resolve(*server->password));
  }
  return ctx.effects.connector.connect(*server, password, database);
}

Result<std::unique_ptr<db::Connection>> connect_to_master(const ActionContext& ctx) {
  return connect_to(ctx, ctx.fleet.master.server);
}

} // namespace vmoodle::apply
