#include "vmoodle/diff/compute_plan.hpp"

#include <algorithm>
#include <set>

#include "vmoodle/diff/registry_row.hpp"
#include "vmoodle/model/markers.hpp"

namespace vmoodle::diff {
namespace {

// VMoodle's `vdbpass` is a VARCHAR(32): a longer password would be cut and the
// host could never connect.
constexpr std::size_t k_max_vdbpass = 32;

Error conflict(const model::Host& host, const std::string& key, std::string message,
               std::string hint) {
  return Error{ErrorKind::conflict,
               std::move(message),
               host.where(key).render() + (host.where(key).render().empty() ? "" : ": ") + "host " +
                   host.vhostname,
               std::move(hint),
               {}};
}

class Planner {
public:
  Planner(const model::Fleet& fleet, const model::LiveState& live,
          const std::map<std::string, Secret>& passwords)
      : m_fleet(fleet), m_live(live), m_passwords(passwords) {}

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
        m_errors.push_back(conflict(host, "state",
                                    "destroying hosts (state: absent) is not supported yet",
                                    "remove `state: absent` until destroy is available"));
      }
      return;
    }
    const model::Server* server = m_fleet.find_server(host.server);
    auto password = m_passwords.find(host.vhostname);
    if (server == nullptr || password == m_passwords.end()) {
      m_errors.push_back(Error{ErrorKind::internal,
                               "host has no resolved server or password",
                               "host " + host.vhostname,
                               "",
                               {}});
      return;
    }
    if (password->second.reveal().size() > k_max_vdbpass) {
      m_errors.push_back(conflict(host, "db_password",
                                  "db_password is longer than VMoodle's vdbpass column (32)",
                                  "use a password of at most 32 characters"));
      return;
    }
    DesiredRow row = desired_row(host, *server, password->second);
    if (rows.empty()) {
      plan_create(host, row);
    } else {
      plan_update(host, row, *rows.front());
    }
  }

  Result<plan::Plan> finish(plan::Plan plan) {
    if (!m_errors.empty()) {
      Error error{ErrorKind::conflict,
                  std::to_string(m_errors.size()) + " problem(s) prevent planning", "", "",
                  std::move(m_errors)};
      return tl::unexpected(std::move(error));
    }
    plan.changes = std::move(m_changes);
    return plan;
  }

private:
  void plan_create(const model::Host& host, const DesiredRow& row) {
    plan::HostChange change;
    change.vhostname = host.vhostname;
    change.action = plan::Action::create;
    change.fields = fields_to_create(row);
    change.server = host.server;
    change.database = host.database;
    change.dataroot = host.dataroot;

    if (!host.template_name) {
      m_errors.push_back(conflict(
          host, "template", "host is not in the registry and names no template to create it from",
          "add `template: NAME` (a folder pair NAME_sql/NAME_vmoodledata in " +
              m_fleet.master.templates_dir() + ")"));
      return;
    }
    change.template_name = *host.template_name;
    const model::TemplateFacts* tpl = m_live.find_template(*host.template_name);
    if (tpl == nullptr || !tpl->usable()) {
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
        change.notes.push_back("resumes an interrupted create: dataroot is copied again");
      } else {
        m_errors.push_back(conflict(host, "dataroot",
                                    "dataroot " + host.dataroot +
                                        " already exists but no registry row names this host",
                                    "move it away or choose another dataroot"));
        return;
      }
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
    auto fields = fields_to_update(row, live);
    if (fields.empty()) {
      return;
    }
    plan::HostChange change;
    change.vhostname = host.vhostname;
    change.action = plan::Action::update;
    change.fields = std::move(fields);
    change.server = host.server;
    change.database = host.database;
    change.dataroot = host.dataroot;
    m_changes.push_back(std::move(change));
  }

  const model::Fleet& m_fleet;
  const model::LiveState& m_live;
  const std::map<std::string, Secret>& m_passwords;
  std::vector<plan::HostChange> m_changes;
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
  Planner planner(fleet, live, passwords);
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
  return planner.finish(std::move(plan));
}

} // namespace vmoodle::diff
