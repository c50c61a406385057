#include "vmoodle/apply/snapshot_host.hpp"

#include "vmoodle/apply/snapshot_dump.hpp"
#include "vmoodle/apply/template_paths.hpp"
#include "vmoodle/apply/timed_step.hpp"
#include "vmoodle/sql/quote.hpp"
#include "vmoodle/sql/template_manifest.hpp"

namespace vmoodle::apply {
namespace {

std::string mebibytes(std::uint64_t bytes) {
  return std::to_string(bytes >> 20) + " MiB";
}

// Publishing moves the old pair aside, then renames the new `_sql` and, last, the new
// `_vmoodledata` into place: VMoodle and refresh see a template only through its
// `_vmoodledata` folder, so it appears whole. A run killed in between leaves
// `.<T>.old_*`, which the next snapshot sorts out before anything else (recover()).
class SnapshotTaker {
public:
  SnapshotTaker(const SnapshotSource& source, const std::string& name, bool replace,
                const ActionContext& ctx)
      : m_source(source), m_name(name), m_replace(replace), m_ctx(ctx), m_fx(ctx.effects),
        m_label("snapshot." + name),
        m_paths(ctx.fleet.master.templates_dir(), name), m_roots{m_paths.dir} {}

  Status run() {
    Status status = prepare();
    if (!status) {
      Error error = status.error();
      error.in(m_label + " (prepare)");
      m_fx.reporter.step_failed(m_label, "prepare", error.render());
      return tl::unexpected(std::move(error));
    }
    status = timed("dump", [&] { return dump(); });
    if (status) {
      status = timed("files", [&] { return copy_files(); });
    }
    if (status) {
      status = timed("publish", [&] { return publish(); });
    }
    if (!status) {
      // Best effort: the next snapshot removes whatever is left anyway.
      (void)m_fx.files.remove_tree(m_paths.partial_sql, m_roots);
      (void)m_fx.files.remove_tree(m_paths.partial_data, m_roots);
    }
    return status;
  }

private:
  Status timed(const std::string& step, const std::function<Status()>& body) {
    return timed_step(m_fx, m_label, step, body);
  }

  bool exists(const std::string& path) {
    auto stat = m_fx.files.stat(path);
    return stat && stat->exists;
  }

  Status prepare() {
    if (!is_template_name(m_name)) {
      return fail(ErrorKind::manifest, "invalid template name `" + m_name + "`", m_label,
                  "template names are 1-64 characters of A-Z a-z 0-9 _");
    }
    if (!sql::is_identifier(m_source.database)) {
      return fail(ErrorKind::manifest, "invalid database name `" + m_source.database + "`", m_label,
                  "database names are 1-64 characters of A-Z a-z 0-9 _");
    }
    VM_TRY_ASSIGN(auto dataroot, m_fx.files.stat(m_source.dataroot));
    if (!dataroot.exists || !(dataroot.is_dir || dataroot.is_symlink)) {
      return fail(ErrorKind::io, "the source dataroot " + m_source.dataroot + " is not a folder",
                  m_label, "check the host's dataroot in the manifest");
    }
    VM_TRY(m_fx.files.make_dirs(m_paths.dir));
    VM_TRY_ASSIGN(const bool restored, recover());
    if (restored) {
      // That earlier run was replacing this template; this one finishes the job.
      m_replace = true;
      m_fx.reporter.progress(m_label, "prepare",
                             "restored the template left aside by an interrupted replace");
    }
    VM_TRY(m_fx.files.remove_tree(m_paths.partial_sql, m_roots));
    VM_TRY(m_fx.files.remove_tree(m_paths.partial_data, m_roots));
    if (exists(m_paths.data) && !m_replace) {
      return fail(ErrorKind::conflict, "template " + m_name + " already exists", m_paths.data,
                  "pass --replace snapshot." + m_name + " to take it again");
    }
    VM_TRY_ASSIGN(m_conn, connect_to(m_ctx, m_source.server, m_source.database));
    return {};
  }

  /// After an interrupted publish: when the new `_vmoodledata` made it into place the
  /// old pair is garbage; otherwise the old pair goes back. True when it went back.
  Result<bool> recover() {
    const bool old_sql = exists(m_paths.old_sql);
    const bool old_data = exists(m_paths.old_data);
    if (!old_sql && !old_data) {
      return false;
    }
    if (exists(m_paths.data)) {
      VM_TRY(m_fx.files.remove_tree(m_paths.old_sql, m_roots));
      VM_TRY(m_fx.files.remove_tree(m_paths.old_data, m_roots));
      return false;
    }
    if (old_sql) {
      // The `_sql` in place, if any, is the new one whose data never followed.
      VM_TRY(m_fx.files.remove_tree(m_paths.sql, m_roots));
      VM_TRY(m_fx.files.rename(m_paths.old_sql, m_paths.sql));
    }
    if (old_data) {
      VM_TRY(m_fx.files.rename(m_paths.old_data, m_paths.data));
    }
    return true;
  }

  Status dump() {
    VM_TRY(m_fx.files.make_private_dir(m_paths.partial_sql));
    const std::string dump_path = m_paths.partial_sql + "/vmoodle_master.sql";
    VM_TRY_ASSIGN(auto out, m_fx.files.create(dump_path));
    const std::string source = "database " + m_source.database + " of " + m_source.wwwroot;
    auto stats = dump_database(*m_conn, m_source.database, source, *out, m_fx.clock,
                               [&](const std::string& table, const DumpStats& so_far) {
                                 m_fx.reporter.progress(m_label, "dump",
                                                        table + ", " + std::to_string(so_far.rows) +
                                                            " rows, " + mebibytes(so_far.bytes));
                               });
    if (!stats) {
      return tl::unexpected(stats.error());
    }
    VM_TRY(out->close());
    m_conn.reset();
    m_fx.reporter.progress(m_label, "dump",
                           std::to_string(stats->tables) + " tables, " +
                               std::to_string(stats->rows) + " rows, " + mebibytes(stats->bytes));

    VM_TRY_ASSIGN(auto manifest, m_fx.files.create(m_paths.partial_sql + "/manifest.php"));
    // The source host's prefix: VMoodle writes the master's, wrong whenever they differ.
    VM_TRY(manifest->write(sql::template_manifest(m_source.wwwroot, m_source.prefix)));
    return manifest->close();
  }

  Status copy_files() {
    return m_fx.files.copy_tree_filtered(m_source.dataroot, m_paths.partial_data, keep_in_template);
  }

  Status publish() {
    if (exists(m_paths.data)) {
      VM_TRY(m_fx.files.rename(m_paths.data, m_paths.old_data));
    }
    if (exists(m_paths.sql)) {
      VM_TRY(rolled_back(m_fx.files.rename(m_paths.sql, m_paths.old_sql), false));
    }
    VM_TRY(rolled_back(m_fx.files.rename(m_paths.partial_sql, m_paths.sql), false));
    VM_TRY(rolled_back(m_fx.files.rename(m_paths.partial_data, m_paths.data), true));
    for (const auto* old : {&m_paths.old_sql, &m_paths.old_data}) {
      // The new template is in place: a leftover is only untidy, and the next
      // snapshot of this name removes it.
      if (auto removed = m_fx.files.remove_tree(*old, m_roots); !removed) {
        m_fx.reporter.progress(m_label, "publish",
                               "could not remove the replaced template: " +
                                   removed.error().render());
      }
    }
    return {};
  }

  /// `status`, after putting the old template back when it failed. `new_sql_in_place`:
  /// the new `_sql` was already renamed into place and must go back first.
  Status rolled_back(Status status, bool new_sql_in_place) {
    if (status) {
      return status;
    }
    Error error = status.error();
    Status undone = {};
    if (new_sql_in_place) {
      undone = m_fx.files.rename(m_paths.sql, m_paths.partial_sql);
    }
    if (undone) {
      undone = recover().map([](bool) {});
    }
    if (!undone) {
      error.hint = "putting the previous template back failed too (" + undone.error().render() +
                   "); the next snapshot of " + m_name + " finishes it";
    }
    return tl::unexpected(std::move(error));
  }

  const SnapshotSource& m_source;
  const std::string& m_name;
  bool m_replace;
  const ActionContext& m_ctx;
  Effects m_fx;
  std::string m_label;
  TemplatePaths m_paths;
  std::vector<std::string> m_roots;
  std::unique_ptr<db::Connection> m_conn;
};

} // namespace

Status take_snapshot(const SnapshotSource& source, const std::string& name, bool replace,
                     const ActionContext& ctx) {
  return SnapshotTaker(source, name, replace, ctx).run();
}

Status snapshot_host(const plan::HostChange& change, const ActionContext& ctx) {
  const model::Host* host = ctx.fleet.find_host(change.vhostname);
  if (host == nullptr) {
    return fail(ErrorKind::internal,
                "snapshot source " + change.vhostname + " is not in the manifest",
                "snapshot." + change.snapshot);
  }
  SnapshotSource source;
  source.server = host->server;
  source.database = host->database;
  source.prefix = host->prefix;
  source.wwwroot = host->vhostname;
  source.dataroot = host->dataroot;
  return take_snapshot(source, change.snapshot, change.replace, ctx);
}

} // namespace vmoodle::apply
