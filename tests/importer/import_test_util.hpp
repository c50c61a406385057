#pragma once

#include <map>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "vmoodle/diff/compute_plan.hpp"
#include "vmoodle/importer/import.hpp"
#include "vmoodle/manifest/manifest.hpp"

namespace vmoodle::testing {

/// Two servers, a master, roots and no hosts: what `import -f` reads.
inline model::Fleet import_base() {
  const std::string text = "version: 1\n"
                           "servers:\n"
                           "  db1:\n"
                           "    host: 10.0.0.5\n"
                           "    user: vmoodle_admin\n"
                           "    password: {env: DB1_PASSWORD}\n"
                           "    registry_host: db1.internal\n"
                           "  db2:\n"
                           "    socket: /run/mysqld/mysqld.sock\n"
                           "    user: root\n"
                           "    registry_host: db2.internal\n"
                           "    max_parallel: 2\n"
                           "master:\n"
                           "  server: db1\n"
                           "  database: moodle\n"
                           "  dataroot: /var/moodledata\n"
                           "  wwwroot: https://moodle.example.org\n"
                           "dataroot_roots: [/var/moodledata/vhosts, /srv/other]\n"
                           "hosts: []\n";
  auto fleet = manifest::load(text, "base.yaml");
  if (!fleet) {
    throw std::runtime_error(fleet.error().render());
  }
  return *fleet;
}

/// A registry row as VMoodle writes it for a host on db1 following the usual patterns.
inline model::RegistryRow usual_row(int id, const std::string& shortname,
                                    const std::string& password = "common-pw") {
  model::RegistryRow row;
  row.id = id;
  row.name = "School " + shortname;
  row.shortname = shortname;
  row.vhostname = "https://" + shortname + ".example.org";
  row.vdbtype = "mariadb";
  row.vdbhost = "db1.internal";
  row.vdblogin = "moodle";
  row.vdbpass = password;
  row.vdbname = "vmdl_" + shortname;
  row.vdbprefix = "mdl_";
  row.vdatapath = "/var/moodledata/vhosts/" + shortname;
  row.mnet = -1;
  row.enabled = 1;
  return row;
}

/// Loads `imported` and plans it against `registry`, each host's password taken
/// from the variable import chose for it (values from the rows themselves).
inline Result<plan::Plan> plan_imported(const importer::Imported& imported,
                                        const std::vector<model::RegistryRow>& registry) {
  VM_TRY_ASSIGN(auto fleet, manifest::load(imported.yaml, "imported.yaml"));
  std::map<std::string, Secret> passwords;
  for (const auto& host : fleet.hosts) {
    for (const auto& row : registry) {
      if (row.vhostname == host.vhostname) {
        passwords[host.vhostname] = Secret(row.vdbpass);
      }
    }
  }
  model::LiveState live;
  live.registry = registry;
  return diff::compute_plan(fleet, live, passwords, {});
}

} // namespace vmoodle::testing
