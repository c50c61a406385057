#include "vmoodle/apply/configure_host.hpp"

#include "vmoodle/apply/timed_step.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::apply {
namespace {

std::string table_of(const std::string& database, const std::string& prefix,
                     const plan::SettingChange& setting) {
  return sql::ident(database, prefix + (setting.plugin.empty() ? "config" : "config_plugins"));
}

std::string where_of(const plan::SettingChange& setting) {
  std::string where = "name = " + sql::literal(setting.name);
  if (!setting.plugin.empty()) {
    where = "plugin = " + sql::literal(setting.plugin) + " AND " + where;
  }
  return where;
}

/// The value the row holds now, read under a row lock (nullopt: no row).
Result<std::optional<std::string>> locked_value(db::Connection& conn, const std::string& database,
                                                const std::string& prefix,
                                                const plan::SettingChange& setting) {
  VM_TRY_ASSIGN(auto result, conn.query("SELECT value FROM " + table_of(database, prefix, setting) +
                                        " WHERE " + where_of(setting) + " FOR UPDATE"));
  if (result.rows.empty() || result.rows.front().empty() || !result.rows.front()[0]) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(*result.rows.front()[0]);
}

/// Writes the settings that still differ; returns how many rows were written.
Result<int> write_settings(db::Connection& conn, const model::Host& host,
                           const plan::HostChange& change) {
  VM_TRY(conn.execute("START TRANSACTION"));
  int written = 0;
  auto body = [&]() -> Status {
    for (const auto& setting : change.settings) {
      VM_TRY_ASSIGN(auto current, locked_value(conn, host.database, host.prefix, setting));
      for (const auto& statement :
           setting_statements(host.database, host.prefix, setting, current)) {
        auto done = conn.execute(statement);
        if (!done) {
          Error error = done.error();
          error.in(model::setting_label(setting.plugin, setting.name));
          return tl::unexpected(std::move(error));
        }
        ++written;
      }
    }
    return conn.execute("COMMIT");
  };
  if (auto status = body(); !status) {
    (void)conn.execute("ROLLBACK");
    return tl::unexpected(status.error());
  }
  return written;
}

/// Removes what `dir` holds, leaving `dir` itself; a symlinked `dir` is left alone.
Status empty_dir(platform::FileSystem& files, const std::string& dir,
                 const std::vector<std::string>& roots) {
  VM_TRY_ASSIGN(auto stat, files.stat(dir));
  if (!stat.exists || !stat.is_dir || stat.is_symlink) {
    return {};
  }
  // remove_tree guards each tree; a symlink entry is unlinked with remove_file, so the
  // folder itself must resolve below a root first.
  VM_TRY_ASSIGN(auto resolved, files.canonical(dir));
  bool below_root = false;
  for (const auto& root : roots) {
    auto real_root = files.canonical(root);
    below_root = below_root || (real_root && resolved.rfind(*real_root + "/", 0) == 0);
  }
  if (!below_root) {
    return fail(ErrorKind::unsafe,
                "cache folder " + dir + " resolves to " + resolved +
                    ", outside dataroot_roots: nothing removed",
                dir, "check the host's dataroot for symlinks");
  }
  VM_TRY_ASSIGN(auto entries, files.list_dir(dir));
  for (const auto& entry : entries) {
    const std::string path = dir + "/" + entry;
    VM_TRY_ASSIGN(auto entry_stat, files.stat(path));
    if (entry_stat.is_symlink || !entry_stat.is_dir) {
      VM_TRY(files.remove_file(path));
    } else {
      VM_TRY(files.remove_tree(path, roots));
    }
  }
  return {};
}

} // namespace

std::vector<std::string> setting_statements(const std::string& database, const std::string& prefix,
                                            const plan::SettingChange& setting,
                                            const std::optional<std::string>& current) {
  if (current == setting.after) {
    return {};
  }
  const std::string table = table_of(database, prefix, setting);
  if (current) {
    return {"UPDATE " + table + " SET value = " + sql::literal(setting.after) + " WHERE " +
            where_of(setting)};
  }
  if (setting.plugin.empty()) {
    return {"INSERT INTO " + table + " (name, value) VALUES (" + sql::literal(setting.name) + ", " +
            sql::literal(setting.after) + ")"};
  }
  return {"INSERT INTO " + table + " (plugin, name, value) VALUES (" +
          sql::literal(setting.plugin) + ", " + sql::literal(setting.name) + ", " +
          sql::literal(setting.after) + ")"};
}

std::vector<std::string> cache_dirs(const std::string& dataroot) {
  return {dataroot + "/cache", dataroot + "/localcache"};
}

Status configure_host(const plan::HostChange& change, const ActionContext& ctx) {
  Effects effects = ctx.effects;
  const model::Host* host = ctx.fleet.find_host(change.vhostname);
  if (host == nullptr) {
    return fail(ErrorKind::internal, "host is not in the manifest", "host " + change.vhostname);
  }
  int written = 0;
  VM_TRY(timed_step(effects, host->vhostname, "settings", [&]() -> Status {
    VM_TRY_ASSIGN(auto conn, connect_to(ctx, host->server));
    VM_TRY_ASSIGN(written, write_settings(*conn, *host, change));
    return {};
  }));
  if (written == 0) {
    return {};
  }
  // Moodle caches plugin settings (and pages built from settings) in its file caches.
  return timed_step(effects, host->vhostname, "purge caches", [&]() -> Status {
    for (const auto& dir : cache_dirs(host->dataroot)) {
      VM_TRY(empty_dir(effects.files, dir, ctx.fleet.dataroot_roots));
    }
    return {};
  });
}

} // namespace vmoodle::apply
