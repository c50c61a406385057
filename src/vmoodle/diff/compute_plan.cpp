#include "vmoodle/diff/compute_plan.hpp"

#include <algorithm>
#include <set>

#include "vmoodle/diff/host_change.hpp"
#include "vmoodle/diff/migration_diff.hpp"
#include "vmoodle/diff/registry_row.hpp"
#include "vmoodle/diff/settings_diff.hpp"
#include "vmoodle/model/markers.hpp"
#include "vmoodle/plan/hooks.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::diff {
namespace {

// VMoodle's `vdbpass` is a VARCHAR(32): a longer password would be cut and the
// host could never connect.
constexpr std::size_t k_max_vdbpass = 32;

Error conflict(const model::Host& host, const std::string& key, std::string message,
               std::string hint) {
  const std::string at = host.where(key).render();
  return Error{ErrorKind::conflict,
               std::move(message),
               (at.empty() ? "" : at + ": ") + "host " + host.vhostname,
               std::move(hint),
               {}};
}

std::string final_snapshot_name(const model::Host& host, const model::RegistryRow& row) {
  // The registry id keeps two hosts that shared a shortname over the years apart.
  return "final_" + host.shortname + "_" + std::to_string(row.id);
}

class Planner {
public:
  Planner(const model::Fleet& fleet, const model::LiveState& live,
          const std::map<std::string, Secret>& passwords, const PlanOptions& options)
      : m_fleet(fleet), m_live(live), m_passwords(passwords), m_options(options) {}

  /// Declared snapshots whose template is missing, incomplete or to be replaced.
  void plan_snapshots(const std::vector<const model::Host*>& selected) {
    for (const auto& snapshot : m_fleet.snapshots) {
      const bool replace =
          std::find(m_options.replace_snapshots.begin(), m_options.replace_snapshots.end(),
                    snapshot.name) != m_options.replace_snapshots.end();
      const model::TemplateFacts* tpl = m_live.find_template(snapshot.name);
      if (tpl != nullptr && tpl->usable() && !replace) {
        continue;
      }
      const model::Host* source = m_fleet.find_host(snapshot.from);
      if (source == nullptr) {
        continue; // the manifest checks refuse this
      }
      const bool wanted =
          m_options.only_hosts.empty() ||
          std::find(selected.begin(), selected.end(), source) != selected.end() ||
          std::any_of(selected.begin(), selected.end(), [&](const model::Host* host) {
            return host->template_name == snapshot.name;
          });
      if (!wanted) {
        continue;
      }
      plan::HostChange change;
      change.vhostname = source->vhostname;
      change.action = plan::Action::snapshot;
      change.snapshot = snapshot.name;
      change.replace = tpl != nullptr;
      change.server = source->server;
      change.database = source->database;
      change.dataroot = source->dataroot;
      if (tpl != nullptr && !tpl->usable()) {
        change.notes.emplace_back("replaces an incomplete template of that name");
      }
      m_snapshots[snapshot.name] = m_changes.size();
      m_changes.push_back(std::move(change));
    }
  }

  /// Links each change to the changes it needs, then orders them so that every
  /// change comes after its dependencies.
  std::vector<plan::HostChange> ordered() {
    std::map<std::string, std::vector<std::size_t>> by_host;
    for (std::size_t i = 0; i < m_changes.size(); ++i) {
      if (m_changes[i].action != plan::Action::snapshot) {
        by_host[m_changes[i].vhostname].push_back(i);
      }
    }
    for (auto& change : m_changes) {
      if (change.action == plan::Action::create) {
        if (auto it = m_snapshots.find(change.template_name); it != m_snapshots.end()) {
          change.depends_on.push_back(it->second);
        }
      }
      if (change.action == plan::Action::snapshot) {
        for (std::size_t dep : by_host[change.vhostname]) {
          change.depends_on.push_back(dep);
        }
      }
      // Settings are written into the database the create loads or the migration rebuilds.
      if (change.action == plan::Action::configure) {
        for (std::size_t dep : by_host[change.vhostname]) {
          if (m_changes[dep].action == plan::Action::create ||
              m_changes[dep].action == plan::Action::migrate) {
            change.depends_on.push_back(dep);
          }
        }
      }
    }
    // Kahn's algorithm, stable: among ready changes, the first in manifest order.
    std::vector<std::size_t> order;
    std::vector<bool> placed(m_changes.size(), false);
    while (order.size() < m_changes.size()) {
      bool progressed = false;
      for (std::size_t i = 0; i < m_changes.size(); ++i) {
        if (placed[i]) {
          continue;
        }
        const auto& deps = m_changes[i].depends_on;
        if (std::all_of(deps.begin(), deps.end(), [&](std::size_t d) { return placed[d]; })) {
          placed[i] = true;
          order.push_back(i);
          progressed = true;
          break;
        }
      }
      if (!progressed) {
        m_errors.push_back(Error{ErrorKind::manifest,
                                 "snapshots and creates depend on each other in a cycle",
                                 m_fleet.file,
                                 "a host cannot be created from a snapshot of itself",
                                 {}});
        return {};
      }
    }
    std::vector<std::size_t> position(m_changes.size());
    for (std::size_t p = 0; p < order.size(); ++p) {
      position[order[p]] = p;
    }
    std::vector<plan::HostChange> sorted;
    for (std::size_t index : order) {
      plan::HostChange change = m_changes[index];
      for (auto& dep : change.depends_on) {
        dep = position[dep];
      }
      sorted.push_back(std::move(change));
    }
    return sorted;
  }

  void plan_host(const model::Host& host) {
    auto rows = m_live.rows_for(host.vhostname);
    if (rows.size() > 1) {
      m_errors.push_back(conflict(
          host, "vhostname",
          std::to_string(rows.size()) + " registry rows have this vhostname; VMoodle would serve "
                                        "the first one it finds",
          "delete the duplicate rows from " + m_fleet.master.registry_table() +
              " by hand, keeping the one whose database is in use"));
      return;
    }
    if (host.state == model::HostState::absent) {
      if (!rows.empty()) {
        plan_destroy(host, *rows.front());
      }
      return;
    }
    if (!rows.empty() && model::is_destroying(rows.front()->metadata)) {
      m_errors.push_back(
          conflict(host, "state", "an interrupted destroy left this host's registry row disabled",
                   "set `state: absent` and apply to finish the destroy; its final snapshot is " +
                       (model::final_snapshot_of(rows.front()->metadata).empty()
                            ? std::string("none")
                            : model::final_snapshot_of(rows.front()->metadata))));
      return;
    }
    const model::Server* server = m_fleet.find_server(host.server);
    auto password = m_passwords.find(host.vhostname);
    // A managed account's password is generated by apply, and the registry's is not compared.
    const bool managed = host.manage_db_user;
    if (server == nullptr || (!managed && password == m_passwords.end())) {
      m_errors.push_back(Error{ErrorKind::internal,
                               "host has no resolved server or password",
                               "host " + host.vhostname,
                               "",
                               {}});
      return;
    }
    if (!managed && password->second.reveal().size() > k_max_vdbpass) {
      m_errors.push_back(conflict(host, "db_password",
                                  "db_password is longer than VMoodle's vdbpass column (32)",
                                  "use a password of at most 32 characters"));
      return;
    }
    DesiredRow row = desired_row(host, *server, managed ? Secret() : password->second);
    if (managed && !rows.empty() && rows.front()->vdblogin != host.db_user) {
      m_errors.push_back(conflict(host, "db_user",
                                  "the registry's vdblogin is `" + rows.front()->vdblogin +
                                      "`: a managed account is made only when a host is created",
                                  "keep db_user `" + rows.front()->vdblogin +
                                      "` for this host, or create the account by hand and "
                                      "update the registry and Moodle's config together"));
      return;
    }
    if (rows.empty()) {
      plan_create(host, row);
    } else {
      plan_update(host, row, *rows.front());
    }
  }

  Result<plan::Plan> finish(plan::Plan plan) {
    const int destroys = static_cast<int>(
        std::count_if(m_changes.begin(), m_changes.end(), [](const plan::HostChange& change) {
          return change.action == plan::Action::destroy;
        }));
    if (destroys > m_options.max_destroy) {
      m_errors.push_back(Error{ErrorKind::unsafe,
                               "the plan destroys " + std::to_string(destroys) +
                                   " hosts, more than --max-destroy " +
                                   std::to_string(m_options.max_destroy),
                               m_fleet.file,
                               "check that the manifest is the one you meant (a branch behind main "
                               "plans to destroy what main added); to go ahead, raise "
                               "--max-destroy or destroy fewer hosts per apply",
                               {}});
    }
    auto sorted = ordered();
    if (!m_errors.empty()) {
      Error error{ErrorKind::conflict,
                  std::to_string(m_errors.size()) + " problem(s) prevent planning", "", "",
                  std::move(m_errors)};
      return tl::unexpected(std::move(error));
    }
    plan.changes = std::move(sorted);
    plan.warnings = std::move(m_warnings);
    return plan;
  }

private:
  void plan_create(const model::Host& host, const DesiredRow& row) {
    plan::HostChange change = change_for(host, plan::Action::create);
    change.fields = fields_to_create(row);

    if (!host.template_name) {
      m_errors.push_back(conflict(
          host, "template", "host is not in the registry and names no template to create it from",
          "add `template: NAME` (a folder pair NAME_sql/NAME_vmoodledata in " +
              m_fleet.master.templates_dir() + ")"));
      return;
    }
    change.template_name = *host.template_name;
    const model::TemplateFacts* tpl = m_live.find_template(*host.template_name);
    const bool from_snapshot = m_snapshots.count(*host.template_name) != 0;
    if (!from_snapshot && (tpl == nullptr || !tpl->usable())) {
      m_errors.push_back(
          conflict(host, "template", "template `" + *host.template_name + "` is not usable",
                   "expected " + m_fleet.master.templates_dir() + "/" + *host.template_name +
                       "_sql/{vmoodle_master.sql,manifest.php} and " + *host.template_name +
                       "_vmoodledata/"));
      return;
    }
    if (!m_live.master.has_mnet_host) {
      m_errors.push_back(conflict(host, "template",
                                  "the master has no mnet_host row for " + m_fleet.master.wwwroot +
                                      "; new hosts copy their MNet identity from it",
                                  "initialise MNet on the master (Site administration > "
                                  "Networking) or check master.wwwroot"));
      return;
    }

    const std::string creating = model::creating_comment(host.vhostname);
    if (const auto* db = m_live.database(host.server, host.database); db && db->exists) {
      if (db->comment == creating) {
        change.resume = true;
        change.notes.push_back("resumes an interrupted create: database " + host.database +
                               " is dropped and loaded again");
      } else {
        m_errors.push_back(conflict(
            host, "database",
            "database " + host.database + " already exists on server " + host.server +
                " but no registry row names this host",
            "it is not an interrupted create by vmoodle-apply; drop or rename it, or choose "
            "another database name"));
        return;
      }
    }
    if (const auto* dir = m_live.dataroot(host.dataroot); dir && dir->exists) {
      if (dir->is_dir && !dir->is_symlink && dir->creating_for == host.vhostname) {
        change.resume = true;
        change.notes.emplace_back("resumes an interrupted create: dataroot is copied again");
      } else {
        m_errors.push_back(conflict(host, "dataroot",
                                    "dataroot " + host.dataroot +
                                        " already exists but no registry row names this host",
                                    "move it away or choose another dataroot"));
        return;
      }
    }
    if (host.manage_db_user) {
      change.notes.push_back("+ account " + sql::literal(host.db_user) + "@" +
                             sql::literal(host.db_user_host) +
                             " (password generated, stored in the registry)");
    }
    m_changes.push_back(std::move(change));
    plan_configure(host, true);
  }

  void plan_configure(const model::Host& host, bool creating) {
    if (auto change = configure_change(host, m_live, creating, m_warnings)) {
      m_changes.push_back(std::move(*change));
    }
  }

  void plan_migration(const model::Host& host) {
    const auto* db = m_live.database(host.server, host.database);
    if (db == nullptr || !db->exists) {
      return;
    }
    auto migration = migration_for(host, *db);
    if (!migration) {
      return;
    }
    plan::HostChange change = change_for(host, plan::Action::migrate);
    change.migration = std::move(migration);
    m_changes.push_back(std::move(change));
  }

  void plan_destroy(const model::Host& host, const model::RegistryRow& row) {
    if (host.protect) {
      m_errors.push_back(conflict(host, "protect",
                                  "host is protected: `protect: true` refuses its destroy",
                                  "remove `protect: true` in a reviewed change first, then "
                                  "set `state: absent`"));
      return;
    }
    // Destroy removes what the registry points at: it must be what the manifest names.
    if (row.vdbname != host.database || row.vdatapath != host.dataroot) {
      m_errors.push_back(conflict(
          host, "database",
          "the registry row points at database " + row.vdbname + " and dataroot " + row.vdatapath +
              ", not at what the manifest names",
          "correct database/dataroot in the manifest so that the destroy removes the right data"));
      return;
    }
    plan::HostChange change = change_for(host, plan::Action::destroy);
    if (model::is_destroying(row.metadata)) {
      change.resume = true;
      change.snapshot = model::final_snapshot_of(row.metadata);
      change.notes.emplace_back("finishes an interrupted destroy");
    } else if (host.final_snapshot) {
      change.snapshot = final_snapshot_name(host, row);
    }
    if (host.manage_db_user) {
      change.notes.push_back("- account " + sql::literal(host.db_user) + "@" +
                             sql::literal(host.db_user_host) + " (dropped after the database)");
    }
    m_changes.push_back(std::move(change));
  }

  void plan_update(const model::Host& host, const DesiredRow& row, const model::RegistryRow& live) {
    // These columns locate the host's data; changing them in the registry alone
    // would point the site at an empty or foreign database or folder.
    const std::pair<const char*, std::pair<std::string, std::string>> moves[] = {
        {"database", {live.vdbname, row.vdbname}},
        {"prefix", {live.vdbprefix, row.vdbprefix}},
        {"dataroot", {live.vdatapath, row.vdatapath}},
    };
    bool blocked = false;
    for (const auto& [key, values] : moves) {
      if (values.first != values.second) {
        m_errors.push_back(conflict(
            host, key,
            std::string(key) + " differs from the registry (\"" + values.first + "\" live, \"" +
                values.second + "\" in the manifest); moving a host is not supported",
            std::string("set ") + key + ": " + values.first + " to keep the host where it is"));
        blocked = true;
      }
    }
    if (blocked) {
      return;
    }
    // A registered host whose data is gone: drift to report, not something to recreate.
    if (const auto* db = m_live.database(host.server, host.database); db && !db->exists) {
      m_warnings.push_back(host.vhostname + ": database " + host.database + " is missing on " +
                           "server " + host.server + " although the registry names it");
    }
    if (const auto* dir = m_live.dataroot(host.dataroot); dir && !dir->exists) {
      m_warnings.push_back(host.vhostname + ": dataroot " + host.dataroot +
                           " is missing although the registry names it");
    } else if (dir && dir->escapes_root) {
      m_warnings.push_back(host.vhostname + ": dataroot " + host.dataroot +
                           " resolves outside dataroot_roots (symlink?)");
    }
    plan_migration(host);
    plan_configure(host, false);
    auto fields = fields_to_update(row, live);
    if (fields.empty()) {
      return;
    }
    plan::HostChange change = change_for(host, plan::Action::update);
    change.fields = std::move(fields);
    m_changes.push_back(std::move(change));
  }

  const model::Fleet& m_fleet;
  const model::LiveState& m_live;
  const std::map<std::string, Secret>& m_passwords;
  const PlanOptions& m_options;
  std::map<std::string, std::size_t> m_snapshots; ///< template name → snapshot change
  std::vector<plan::HostChange> m_changes;
  std::vector<std::string> m_warnings;
  std::vector<Error> m_errors;
};

} // namespace

Result<std::vector<const model::Host*>> select_hosts(const model::Fleet& fleet,
                                                     const std::vector<std::string>& only_hosts) {
  std::vector<const model::Host*> selected;
  if (only_hosts.empty()) {
    for (const auto& host : fleet.hosts) {
      selected.push_back(&host);
    }
    return selected;
  }
  std::vector<Error> unknown;
  for (const auto& host : fleet.hosts) {
    if (std::find(only_hosts.begin(), only_hosts.end(), host.vhostname) != only_hosts.end()) {
      selected.push_back(&host);
    }
  }
  for (const auto& name : only_hosts) {
    if (fleet.find_host(name) == nullptr) {
      unknown.push_back(Error{ErrorKind::usage,
                              "unknown host " + name,
                              "--host",
                              "give a vhostname exactly as written in " + fleet.file +
                                  " (scheme included, no trailing slash)",
                              {}});
    }
  }
  if (!unknown.empty()) {
    if (unknown.size() == 1) {
      return tl::unexpected(std::move(unknown.front()));
    }
    return tl::unexpected(Error{ErrorKind::usage, "", "", "", std::move(unknown)});
  }
  return selected;
}

Result<plan::Plan> compute_plan(const model::Fleet& fleet, const model::LiveState& live,
                                const std::map<std::string, Secret>& passwords,
                                const PlanOptions& options) {
  VM_TRY_ASSIGN(auto selected, select_hosts(fleet, options.only_hosts));
  Planner planner(fleet, live, passwords, options);
  planner.plan_snapshots(selected);
  for (const model::Host* host : selected) {
    planner.plan_host(*host);
  }

  plan::Plan plan;
  if (options.only_hosts.empty()) {
    std::set<std::string> managed;
    for (const auto& host : fleet.hosts) {
      managed.insert(host.vhostname);
    }
    for (const auto& row : live.registry) {
      if (managed.count(row.vhostname) == 0) {
        plan.unmanaged.push_back({row.vhostname, row.vdbname, row.vdbhost});
      }
    }
  }
  VM_TRY_ASSIGN(auto finished, planner.finish(std::move(plan)));
  plan::attach_hooks(finished, fleet);
  return finished;
}

} // namespace vmoodle::diff
