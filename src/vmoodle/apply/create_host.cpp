#include "vmoodle/apply/create_host.hpp"

#include <algorithm>
#include <filesystem>

#include "vmoodle/apply/managed_account.hpp"
#include "vmoodle/apply/parallel_load.hpp"
#include "vmoodle/apply/registry_sql.hpp"
#include "vmoodle/apply/template_load.hpp"
#include "vmoodle/apply/timed_step.hpp"
#include "vmoodle/diff/registry_row.hpp"
#include "vmoodle/live/disk_facts.hpp"
#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/model/markers.hpp"
#include "vmoodle/sql/fixup.hpp"
#include "vmoodle/sql/quote.hpp"
#include "vmoodle/util/redact.hpp"

namespace vmoodle::apply {
namespace {

constexpr std::size_t k_load_sessions = 4;

// VMoodle creates every database as utf8mb4 / utf8mb4_general_ci; a manifest
// that sets charset/collation overrides it.
std::string create_database_sql(const model::Host& host, bool comments) {
  const std::string charset = host.charset.value_or("utf8mb4");
  std::string sql = "CREATE DATABASE " + sql::ident(host.database) + " CHARACTER SET " + charset;
  if (host.collation) {
    sql += " COLLATE " + *host.collation;
  } else if (!host.charset) {
    sql += " COLLATE utf8mb4_general_ci";
  }
  if (comments) {
    sql += " COMMENT " + sql::literal(model::creating_comment(host.vhostname));
  }
  return sql;
}

Status check_charset_names(const model::Host& host) {
  for (const auto* value : {&host.charset, &host.collation}) {
    if (*value && !sql::is_identifier(**value)) {
      return fail(ErrorKind::manifest, "invalid charset or collation name",
                  "host " + host.vhostname, "use a name such as utf8mb4 / utf8mb4_unicode_ci");
    }
  }
  return {};
}

std::string parent_of(const std::string& path) {
  return std::filesystem::path(path).parent_path().string();
}

class HostCreator {
public:
  HostCreator(const plan::HostChange& change, const ActionContext& ctx)
      : m_change(change), m_ctx(ctx), m_fleet(ctx.fleet), m_live(ctx.live), m_fx(ctx.effects),
        m_host(*m_fleet.find_host(change.vhostname)),
        m_server(*m_fleet.find_server(m_host.server)) {
    auto version = m_live.server_versions.find(m_host.server);
    m_comments = version != m_live.server_versions.end() &&
                 version->second.find("MariaDB") != std::string::npos;
  }

  Status run() {
    if (auto ready = prepare(); !ready) {
      Error error = ready.error();
      m_fx.reporter.step_failed(m_host.vhostname, "prepare", error.render());
      return tl::unexpected(std::move(error.in(m_host.vhostname + " (prepare)")));
    }

    VM_TRY(timed("database", [&] { return create_database(); }));
    VM_TRY(timed("template", [&] { return load(); }));
    VM_TRY(timed("fix-up", [&] { return fixup(); }));
    VM_TRY(timed("dataroot", [&] { return copy_dataroot(); }));
    if (m_host.manage_db_user) {
      VM_TRY(timed("account",
                   [&] { return ensure_account(*m_conn, m_host, m_password, m_change.resume); }));
    }
    VM_TRY(timed("registry", [&] { return register_host(); }));
    return {};
  }

private:
  Status prepare() {
    VM_TRY(check_charset_names(m_host));
    VM_TRY(read_template());
    if (m_host.manage_db_user) {
      // Generated here and written only to the account and the registry row.
      VM_TRY_ASSIGN(m_password, generate_account_password());
    } else {
      VM_TRY_ASSIGN(m_password, m_fx.secrets.resolve(*m_host.db_password));
    }
    VM_TRY_ASSIGN(m_conn, connect_to(m_ctx, m_host.server));
    VM_TRY_ASSIGN(m_master, connect_to_master(m_ctx));
    return {};
  }

  // The template may have been written by a snapshot earlier in this same apply,
  // after live state was read: read its manifest now.
  Status read_template() {
    const std::string sql_dir =
        m_fleet.master.templates_dir() + "/" + m_change.template_name + "_sql";
    auto php = m_fx.files.read_file(sql_dir + "/manifest.php");
    if (!php || !live::parse_template_manifest(*php, m_template.wwwroot, m_template.prefix)) {
      return fail(ErrorKind::io,
                  "template `" + m_change.template_name + "` has no usable manifest.php", sql_dir,
                  "take the snapshot again");
    }
    m_template.name = m_change.template_name;
    return {};
  }

  Status timed(const std::string& step, const std::function<Status()>& body) {
    return timed_step(m_fx, m_host.vhostname, step, body);
  }

  Status create_database() {
    const std::string db = sql::ident(m_host.database);
    if (m_change.resume) {
      // Re-read the mark right before dropping: only a database this tool was
      // creating for this very host is ever dropped.
      VM_TRY_ASSIGN(auto marked,
                    m_conn->query("SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE "
                                  "SCHEMA_NAME = " +
                                  sql::literal(m_host.database)));
      if (!marked.rows.empty()) {
        if (!marked.rows.front()[0] ||
            *marked.rows.front()[0] != model::creating_comment(m_host.vhostname)) {
          return fail(ErrorKind::conflict,
                      "database " + m_host.database + " is no longer marked as being created",
                      "host " + m_host.vhostname, "run plan again");
        }
        VM_TRY(m_conn->execute("DROP DATABASE " + db));
      }
    }
    VM_TRY(m_conn->execute(create_database_sql(m_host, m_comments)));
    return m_conn->execute("USE " + db);
  }

  Status load() {
    const std::string dump =
        m_fleet.master.templates_dir() + "/" + m_template.name + "_sql/vmoodle_master.sql";
    // Tables load on several sessions (docs/performance.md), at most the server's limit
    // and apply's parallelism, shared with the creates running beside this one.
    ParallelLoadOptions options;
    options.workers = std::min<std::size_t>(
        {k_load_sessions, static_cast<std::size_t>(std::max(1, m_server.max_parallel)),
         static_cast<std::size_t>(std::max(1, m_ctx.parallelism))});
    options.budget_key = m_host.server;
    options.new_database = true; // create_database made it, empty, just before
    VM_TRY_ASSIGN(m_loaded,
                  load_template_parallel(
                      m_fx.files, dump, *m_conn,
                      [&] { return connect_to(m_ctx, m_host.server, m_host.database); },
                      m_template.prefix, m_host.prefix,
                      [&](const LoadStats& stats) {
                        m_fx.reporter.progress(m_host.vhostname, "template",
                                               std::to_string(stats.statements) + " statements");
                      },
                      options));
    return {};
  }

  Status fixup() {
    sql::FixupInput input;
    input.prefix = m_host.prefix;
    input.name = m_host.name;
    input.shortname = m_host.shortname;
    input.description = m_host.description;
    input.vhostname = m_host.vhostname;
    input.sessioncookie = manifest::sessioncookie_for(m_host.shortname);
    input.template_wwwroot = m_template.wwwroot;
    input.mnet = m_host.mnet.allocate_new ? 1 : m_host.mnet.value;
    input.master = m_live.master;
    input.tables = m_loaded.tables;
    input.now = m_fx.clock.unix_seconds();
    for (const auto& statement : sql::fixup_statements(input)) {
      VM_TRY(m_conn->execute(statement));
    }
    return {};
  }

  Status copy_dataroot() {
    const auto& roots = m_fleet.dataroot_roots;
    const std::string partial = m_host.dataroot + model::k_partial_suffix;
    VM_TRY(m_fx.files.remove_tree(partial, roots));
    if (m_change.resume) {
      VM_TRY_ASSIGN(auto stat, m_fx.files.stat(m_host.dataroot));
      if (stat.exists) {
        VM_TRY_ASSIGN(auto owner,
                      m_fx.files.read_file(m_host.dataroot + "/" + model::k_creating_marker));
        while (!owner.empty() && (owner.back() == '\n' || owner.back() == '\r')) {
          owner.pop_back();
        }
        if (owner != m_host.vhostname) {
          return fail(ErrorKind::conflict,
                      "dataroot " + m_host.dataroot + " is no longer marked as being created",
                      "host " + m_host.vhostname, "run plan again");
        }
        VM_TRY(m_fx.files.remove_tree(m_host.dataroot, roots));
      }
    }
    VM_TRY(m_fx.files.make_dirs(parent_of(m_host.dataroot)));
    // filedir/ is Moodle's content-addressed store: its files are written once and never
    // changed in place, so the host may share them with the template (docs/performance.md).
    VM_TRY(m_fx.files.copy_tree_linking(m_fleet.master.templates_dir() + "/" + m_template.name +
                                            "_vmoodledata",
                                        partial, {"filedir"}));
    VM_TRY(
        m_fx.files.write_file(partial + "/" + model::k_creating_marker, m_host.vhostname + "\n"));
    // On disk before it gets its name, and under its name before the registry row makes
    // the site live: a crash must not leave a registered site with empty files.
    VM_TRY(m_fx.files.sync_file_system(partial));
    VM_TRY(m_fx.files.rename(partial, m_host.dataroot));
    return m_fx.files.sync_file_system(m_host.dataroot);
  }

  Status register_host() {
    const diff::DesiredRow row = diff::desired_row(m_host, m_server, m_password);
    auto inserted =
        m_master->execute(insert_registry_row(m_fleet.master, row, m_fx.clock.unix_seconds()));
    if (!inserted) {
      return tl::unexpected(redact(inserted.error(), m_password));
    }
    // From here the host is registered; clearing the marks is tidying only.
    if (m_comments) {
      VM_TRY(m_conn->execute("ALTER DATABASE " + sql::ident(m_host.database) + " COMMENT " +
                             sql::literal(model::k_managed_comment)));
    }
    return m_fx.files.remove_file(m_host.dataroot + "/" + model::k_creating_marker);
  }

  const plan::HostChange& m_change;
  const ActionContext& m_ctx;
  const model::Fleet& m_fleet;
  const model::LiveState& m_live;
  Effects m_fx;
  const model::Host& m_host;
  const model::Server& m_server;
  model::TemplateFacts m_template;
  std::unique_ptr<db::Connection> m_master;
  bool m_comments = false;
  Secret m_password;
  std::unique_ptr<db::Connection> m_conn;
  LoadStats m_loaded;
};

} // namespace

Status create_host(const plan::HostChange& change, const ActionContext& ctx) {
  return HostCreator(change, ctx).run();
}

} // namespace vmoodle::apply
