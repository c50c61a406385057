#include "vmoodle/apply/migrate_host.hpp"

#include <fmt/format.h>

#include "vmoodle/apply/migration_facts.hpp"
#include "vmoodle/apply/migration_preflight.hpp"
#include "vmoodle/apply/timed_step.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::apply {
namespace {

std::string describe(const plan::TableChange& change) {
  std::string out;
  auto add = [&](const std::string& what, const std::string& from, const std::string& to) {
    if (!to.empty()) {
      out += (out.empty() ? "" : ", ") + what + " " + (from.empty() ? "(none)" : from) +
             " instead of " + to;
    }
  };
  add("engine", change.engine_from, change.engine_to);
  add("collation", change.collation_from, change.collation_to);
  add("row format", change.row_format_from, change.row_format_to);
  return out;
}

std::string table_list(const std::vector<std::string>& tables) {
  std::string out = tables.size() == 1 ? "table " : "tables ";
  for (std::size_t i = 0; i < tables.size(); ++i) {
    out += (i ? ", " : "") + tables[i];
  }
  return out;
}

class HostMigrator {
public:
  HostMigrator(const model::Host& host, const ActionContext& ctx)
      : m_host(host), m_ctx(ctx), m_fx(ctx.effects), m_target(diff::migration_target(host)) {}

  Status run() {
    VM_TRY(timed("preflight", [&] { return prepare(); }));
    for (std::size_t i = 0; i < m_work.size(); ++i) {
      const auto& work = m_work[i];
      const std::string size = diff::human_bytes(work.change.bytes);
      m_fx.reporter.progress(
          m_host.vhostname, "migrate",
          fmt::format("table {}/{}: {} ({})", i + 1, m_work.size(), work.change.table, size));
      VM_TRY(
          timed("table " + work.change.table + " (" + size + ")", [&] { return rebuild(work); }));
    }
    if (!m_database.charset_to.empty() || !m_database.collation_to.empty()) {
      VM_TRY(timed("database default", [&] { return alter_database(); }));
    }
    return {};
  }

private:
  Status timed(const std::string& step, const std::function<Status()>& body) {
    return timed_step(m_fx, m_host.vhostname, step, body);
  }

  // Everything is read again here rather than taken from the plan: tables an earlier,
  // interrupted run already migrated are skipped, and the checks see the tables as
  // they are now.
  Status prepare() {
    if (!sql::is_identifier(m_host.database)) {
      return fail(ErrorKind::manifest, "invalid database name", "database " + m_host.database,
                  "use letters, digits and _");
    }
    VM_TRY_ASSIGN(m_conn, connect_to(m_ctx, m_host.server));
    VM_TRY_ASSIGN(auto settings, read_server_settings(*m_conn));
    VM_TRY_ASSIGN(auto schema, read_host_schema(*m_conn, m_host.database));
    if (!schema.database.exists) {
      return fail(ErrorKind::conflict, "database " + m_host.database + " does not exist",
                  "server " + m_host.server, "run plan again");
    }
    m_work = tables_to_migrate(m_target, schema.tables);
    m_database = diff::database_change(m_target, schema.database);
    auto refusals = preflight(settings, m_work);
    if (refusals.empty()) {
      return {};
    }
    Error error{ErrorKind::conflict,
                fmt::format("migration of database {} refused before any change: {} {}",
                            m_host.database, refusals.size(),
                            refusals.size() == 1 ? "problem" : "problems"),
                {},
                "nothing was altered on this host; fix the causes below and apply again",
                {}};
    for (auto& refusal : refusals) {
      error.causes.push_back({ErrorKind::conflict,
                              std::move(refusal.reason),
                              m_host.vhostname + ": " + table_list(refusal.tables),
                              std::move(refusal.hint),
                              {}});
    }
    return tl::unexpected(std::move(error));
  }

  Status rebuild(const TableWork& work) {
    VM_TRY_ASSIGN(auto statement, sql::alter_table_sql(alter_for(m_host.database, m_target, work)));
    if (auto done = m_conn->execute(statement); !done) {
      Error error = done.error();
      error.in("table " + work.change.table);
      error.hint = "fix the cause and apply again: tables already migrated are skipped";
      return tl::unexpected(std::move(error));
    }
    // Trust the catalog, not the statement's success (VMoodle's scripts exit 0 on errors).
    VM_TRY_ASSIGN(auto now, read_table_facts(*m_conn, m_host.database, work.change.table));
    if (auto left = diff::table_change(m_target, now)) {
      return fail(ErrorKind::db, "still off target after ALTER TABLE: " + describe(*left),
                  "table " + work.change.table,
                  "check the server's error log, then run plan again");
    }
    return {};
  }

  Status alter_database() {
    VM_TRY_ASSIGN(auto statement,
                  sql::alter_database_sql(m_host.database, m_target.charset, m_target.collation));
    VM_TRY(m_conn->execute(statement));
    VM_TRY_ASSIGN(auto rows,
                  m_conn->query("SELECT DEFAULT_CHARACTER_SET_NAME, "
                                "DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA "
                                "WHERE SCHEMA_NAME = " +
                                sql::literal(m_host.database)));
    model::DatabaseFacts now;
    now.exists = !rows.rows.empty();
    if (now.exists) {
      now.charset = rows.rows.front()[0].value_or("");
      now.collation = rows.rows.front()[1].value_or("");
    }
    const auto left = diff::database_change(m_target, now);
    if (!now.exists || !left.charset_to.empty() || !left.collation_to.empty()) {
      return fail(ErrorKind::db, "database default still off target after ALTER DATABASE",
                  "database " + m_host.database, "check the server's error log");
    }
    return {};
  }

  const model::Host& m_host;
  const ActionContext& m_ctx;
  Effects m_fx;
  diff::MigrationTarget m_target;
  std::unique_ptr<db::Connection> m_conn;
  std::vector<TableWork> m_work;
  plan::Migration m_database;
};

} // namespace

Status migrate_host(const plan::HostChange& change, const ActionContext& ctx) {
  const model::Host* host = ctx.fleet.find_host(change.vhostname);
  if (host == nullptr) {
    return fail(ErrorKind::internal, "host is not in the manifest", change.vhostname);
  }
  return HostMigrator(*host, ctx).run();
}

} // namespace vmoodle::apply
