#include "vmoodle/apply/destroy_host.hpp"

#include <algorithm>
#include <charconv>
#include <functional>

#include "vmoodle/apply/destroy_sql.hpp"
#include "vmoodle/apply/managed_account.hpp"
#include "vmoodle/apply/snapshot_host.hpp"
#include "vmoodle/apply/timed_step.hpp"
#include "vmoodle/live/disk_facts.hpp"
#include "vmoodle/model/markers.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::apply {
namespace {

constexpr const char* k_replan_hint = "run plan again and review what it proposes";

/// The registry row as it is now, not as the plan saw it.
struct CurrentRow {
  std::int64_t id = 0;
  std::string vdbname;
  std::string vdatapath;
  std::string vdbprefix;
  std::string metadata;
};

class HostDestroyer {
public:
  HostDestroyer(const plan::HostChange& change, const ActionContext& ctx)
      : m_change(change), m_ctx(ctx), m_fleet(ctx.fleet), m_fx(ctx.effects) {}

  Status run() {
    if (auto ready = prepare(); !ready) {
      Error error = ready.error();
      error.in(m_change.vhostname + " (prepare)");
      m_fx.reporter.step_failed(m_change.vhostname, "prepare", error.render());
      return tl::unexpected(std::move(error));
    }
    if (!m_change.snapshot.empty()) {
      VM_TRY(timed("final snapshot", [&] { return final_snapshot(); }));
    }
    VM_TRY(timed("disable", [&] {
      return m_master->execute(
          disable_for_destroy_sql(m_fleet.master, m_row.id, m_host->vhostname, m_change.snapshot));
    }));
    VM_TRY(timed("database", [&] {
      // On the host's own server: VMoodle drops through the master's connection,
      // missing the host's database and hitting any namesake on the master's server.
      return m_server->execute("DROP DATABASE IF EXISTS " + sql::ident(m_host->database));
    }));
    if (m_host->manage_db_user) {
      // Only the host's own account, and only after its database is gone.
      VM_TRY(timed("account", [&] { return m_server->execute(drop_account_sql(*m_host)); }));
    }
    VM_TRY(timed("dataroot",
                 [&] { return m_fx.files.remove_tree(m_host->dataroot, m_fleet.dataroot_roots); }));
    VM_TRY(timed("mnet", [&] { return remove_mnet_host(); }));
    VM_TRY(timed("registry", [&] {
      return m_master->execute(
          delete_registry_row_sql(m_fleet.master, m_row.id, m_host->vhostname));
    }));
    return {};
  }

private:
  Status timed(const std::string& step, const std::function<Status()>& body) {
    return timed_step(m_fx, m_change.vhostname, step, body);
  }

  // Everything that could refuse the destroy is checked here, before anything is
  // taken or removed, so that a refusal leaves the host as it was.
  Status prepare() {
    m_host = m_fleet.find_host(m_change.vhostname);
    if (m_host == nullptr) {
      return fail(ErrorKind::internal, "the manifest has no such host", "", k_replan_hint);
    }
    VM_TRY(check_names());
    if ((!m_change.database.empty() && m_change.database != m_host->database) ||
        (!m_change.dataroot.empty() && m_change.dataroot != m_host->dataroot)) {
      return fail(ErrorKind::conflict,
                  "the plan names database " + m_change.database + " and dataroot " +
                      m_change.dataroot + ", the manifest " + m_host->database + " and " +
                      m_host->dataroot,
                  "", k_replan_hint);
    }
    VM_TRY_ASSIGN(m_master, connect_to_master(m_ctx));
    VM_TRY(read_current_row());
    VM_TRY(check_dataroot());
    VM_TRY_ASSIGN(m_server, connect_to(m_ctx, m_host->server));
    if (m_host->manage_db_user) {
      VM_TRY(check_account_droppable(*m_server, *m_host));
    }
    return {};
  }

  Status check_names() {
    const model::Master& master = m_fleet.master;
    const bool prefix_ok = master.prefix.empty() || sql::is_identifier(master.prefix);
    if (!sql::is_identifier(m_host->database) || !sql::is_identifier(master.database) ||
        !prefix_ok) {
      return fail(ErrorKind::unsafe, "a database or prefix name is not a plain identifier", "",
                  "use letters, digits and _ only in database names and prefixes");
    }
    if (m_host->vhostname == master.wwwroot) {
      return fail(ErrorKind::unsafe, "the host is the master itself (" + master.wwwroot + ")", "",
                  "the master is never destroyed; remove `state: absent`");
    }
    if (m_host->manage_db_user) {
      const model::Server* server = m_fleet.find_server(m_host->server);
      if (!sql::is_identifier(m_host->db_user) ||
          (server != nullptr && server->user == m_host->db_user)) {
        return fail(ErrorKind::unsafe,
                    "the managed account `" + m_host->db_user +
                        "` is not a plain name or is the account vmoodle-apply connects with",
                    "", "correct db_user in the manifest");
      }
    }
    if (m_host->server == master.server && m_host->database == master.database) {
      return fail(ErrorKind::unsafe,
                  "the host's database is the master's (" + master.database + ")", "",
                  "correct the host's database in the manifest");
    }
    return {};
  }

  // The plan was made from the row as it was; destroying acts on what the row
  // says now, so it must still be the same host with the same database and dataroot.
  Status read_current_row() {
    auto rows = m_ctx.live.rows_for(m_host->vhostname);
    if (rows.size() != 1) {
      return fail(ErrorKind::conflict,
                  std::to_string(rows.size()) + " registry rows had this vhostname when the "
                                                "plan was made; destroy needs exactly one",
                  "", k_replan_hint);
    }
    const model::Master& master = m_fleet.master;
    VM_TRY_ASSIGN(auto current,
                  m_master->query("SELECT `id`, `vdbname`, `vdatapath`, `vdbprefix`, `metadata` "
                                  "FROM " +
                                  sql::ident(master.database, master.registry_table()) +
                                  " WHERE `vhostname` = " + sql::literal(m_host->vhostname)));
    if (current.rows.size() != 1 || current.rows.front().size() < 5 ||
        current.rows.front()[0].value_or("") != std::to_string(rows.front()->id)) {
      return fail(ErrorKind::conflict, "the registry row changed since the plan was made", "",
                  k_replan_hint);
    }
    const db::Row& row = current.rows.front();
    m_row.id = rows.front()->id;
    m_row.vdbname = row[1].value_or("");
    m_row.vdatapath = row[2].value_or("");
    m_row.vdbprefix = row[3].value_or("");
    m_row.metadata = row[4].value_or("");
    if (m_row.vdbname != m_host->database || m_row.vdatapath != m_host->dataroot) {
      return fail(ErrorKind::conflict,
                  "the registry row points at database " + m_row.vdbname + " and dataroot " +
                      m_row.vdatapath + ", the manifest at " + m_host->database + " and " +
                      m_host->dataroot,
                  "", "correct the manifest so that the destroy removes the host's own data");
    }
    return {};
  }

  Status check_dataroot() {
    VM_TRY_ASSIGN(auto facts,
                  live::read_dataroot(m_fx.files, m_host->dataroot, m_fleet.dataroot_roots));
    if (!facts.exists) {
      return {};
    }
    const std::string hint =
        "nothing was removed; replace it with the host's real directory below dataroot_roots, "
        "or remove it by hand";
    if (facts.is_symlink) {
      return fail(ErrorKind::unsafe, "dataroot " + m_host->dataroot + " is a symlink", "", hint);
    }
    if (facts.escapes_root) {
      return fail(ErrorKind::unsafe,
                  "dataroot " + m_host->dataroot + " resolves outside dataroot_roots", "", hint);
    }
    if (!facts.is_dir) {
      return fail(ErrorKind::unsafe, "dataroot " + m_host->dataroot + " is not a directory", "",
                  hint);
    }
    return {};
  }

  Result<bool> database_exists() {
    VM_TRY_ASSIGN(auto found,
                  m_server->query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " +
                                  sql::literal(m_host->database)));
    return !found.rows.empty();
  }

  Result<bool> template_present(const std::string& name) {
    const std::string base = m_fleet.master.templates_dir() + "/" + name;
    VM_TRY_ASSIGN(auto dump, m_fx.files.stat(base + "_sql/vmoodle_master.sql"));
    VM_TRY_ASSIGN(auto php, m_fx.files.stat(base + "_sql/manifest.php"));
    VM_TRY_ASSIGN(auto data, m_fx.files.stat(base + "_vmoodledata"));
    return dump.exists && !dump.is_dir && php.exists && !php.is_dir && data.is_dir &&
           !data.is_symlink;
  }

  Status final_snapshot() {
    const std::string& name = m_change.snapshot;
    VM_TRY_ASSIGN(const bool exists, database_exists());
    if (!exists) {
      // An interrupted destroy that already dropped the database: its mark says the
      // final snapshot was taken before, and the template must still be there.
      const bool marked =
          model::is_destroying(m_row.metadata) && model::final_snapshot_of(m_row.metadata) == name;
      VM_TRY_ASSIGN(const bool present, template_present(name));
      if (marked && present) {
        m_fx.reporter.progress(m_host->vhostname, "final snapshot", "already taken");
        return {};
      }
      if (marked) {
        return fail(ErrorKind::conflict,
                    "the database is already dropped and template `" + name + "` is missing from " +
                        m_fleet.master.templates_dir(),
                    "",
                    "restore the template from a backup, or, to finish without it, clear the "
                    "registry row's metadata and set `final_snapshot: false`");
      }
      return fail(ErrorKind::conflict,
                  "database " + m_host->database + " does not exist on server " + m_host->server +
                      ": the final snapshot `" + name + "` cannot be taken",
                  "",
                  "restore the database, or set `final_snapshot: false` to destroy without one");
    }
    SnapshotSource source;
    source.server = m_host->server;
    source.database = m_host->database;
    // The tables carry the registry's prefix: that is what a template load rewrites from.
    source.prefix = m_row.vdbprefix.empty() ? m_host->prefix : m_row.vdbprefix;
    source.wwwroot = m_host->vhostname;
    source.dataroot = m_host->dataroot;
    return take_snapshot(source, name, /*replace=*/true, m_ctx);
  }

  Status remove_mnet_host() {
    const model::Master& master = m_fleet.master;
    VM_TRY_ASSIGN(auto tables, m_master->query(existing_mnet_tables_sql(master)));
    std::vector<std::string> existing;
    for (const auto& row : tables.rows) {
      existing.push_back(row.front().value_or(""));
    }
    if (std::find(existing.begin(), existing.end(), master.prefix + "mnet_host") ==
        existing.end()) {
      return {};
    }
    VM_TRY_ASSIGN(auto found, m_master->query(mnet_host_ids_sql(master, m_host->vhostname)));
    std::vector<std::int64_t> ids;
    for (const auto& row : found.rows) {
      const std::string text = row.front().value_or("");
      std::int64_t id = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
      if (ec != std::errc{} || end != text.data() + text.size()) {
        return fail(ErrorKind::db, "mnet_host id `" + text + "` is not a number");
      }
      ids.push_back(id);
    }
    for (const auto& statement : mnet_cleanup_sql(master, ids, m_host->vhostname, existing)) {
      VM_TRY(m_master->execute(statement));
    }
    return {};
  }

  const plan::HostChange& m_change;
  const ActionContext& m_ctx;
  const model::Fleet& m_fleet;
  Effects m_fx;
  const model::Host* m_host = nullptr;
  CurrentRow m_row;
  std::unique_ptr<db::Connection> m_master;
  std::unique_ptr<db::Connection> m_server;
};

} // namespace

Status destroy_host(const plan::HostChange& change, const ActionContext& ctx) {
  return HostDestroyer(change, ctx).run();
}

} // namespace vmoodle::apply
