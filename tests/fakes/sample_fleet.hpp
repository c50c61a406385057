#pragma once

#include <map>
#include <string>

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/util/secret.hpp"

namespace vmoodle::testing {

/// Where sample_fleet puts h1's dataroot.
inline constexpr const char* k_h1_dataroot = "/var/moodledata/vhosts/h1";

/// A fleet of `hosts` hosts (h1, h2, …) on server db1, created from template base45.
inline model::Fleet sample_fleet(int hosts) {
  model::Fleet fleet;
  fleet.file = "fleet.yaml";
  model::Server server;
  server.name = "db1";
  server.host = "127.0.0.1";
  server.user = "vmoodle_admin";
  server.password = model::SecretRef{model::SecretRef::Source::env, "DB1_PASSWORD", {}};
  server.registry_host = "db1.internal";
  fleet.servers["db1"] = server;
  fleet.master = {"db1", "moodle", "mdl_", "/var/moodledata", "https://moodle.example.org", {}};
  fleet.dataroot_roots = {"/var/moodledata/vhosts"};
  for (int i = 1; i <= hosts; ++i) {
    model::Host host;
    host.index = i - 1;
    const std::string s = "h" + std::to_string(i);
    host.vhostname = "https://" + s + ".example.org";
    host.shortname = s;
    host.name = "School " + s;
    host.server = "db1";
    host.database = "vmdl_" + s;
    host.db_user = "moodle";
    host.db_password = model::SecretRef{model::SecretRef::Source::env, "MOODLE_DB_PASSWORD", {}};
    host.dataroot = "/var/moodledata/vhosts/" + s;
    host.template_name = "base45";
    host.loc = {"fleet.yaml", 10 + i, 5, "hosts[" + std::to_string(i - 1) + "]"};
    fleet.hosts.push_back(host);
  }
  return fleet;
}

/// Live state with a usable template base45 and an initialised master; nothing else.
inline model::LiveState empty_live() {
  model::LiveState live;
  model::TemplateFacts tpl;
  tpl.name = "base45";
  tpl.has_sql_dir = tpl.has_data_dir = tpl.has_dump = tpl.has_manifest = true;
  tpl.wwwroot = "https://template.example.org";
  tpl.prefix = "mdl_";
  live.templates["base45"] = tpl;
  live.master.has_mnet_host = true;
  live.master.wwwroot = "https://moodle.example.org";
  live.master.ip_address = "10.0.0.1";
  live.server_versions["db1"] = "10.11.6-MariaDB";
  return live;
}

/// The registry row apply would have written for `host` of sample_fleet.
inline model::RegistryRow row_for(const model::Host& host, const std::string& password) {
  model::RegistryRow row;
  row.id = host.index + 1;
  row.name = host.name;
  row.shortname = host.shortname;
  row.description = host.description;
  row.vhostname = host.vhostname;
  row.vdbtype = host.db_type;
  row.vdbhost = "db1.internal";
  row.vdblogin = host.db_user;
  row.vdbpass = password;
  row.vdbname = host.database;
  row.vdbprefix = host.prefix;
  row.vdbpersist = 0;
  row.vdatapath = host.dataroot;
  row.mnet = host.mnet.value;
  row.enabled = host.enabled ? 1 : 0;
  return row;
}

/// `password` for every host of `fleet`, by vhostname (as compute_plan takes them).
inline std::map<std::string, Secret> same_password(const model::Fleet& fleet,
                                                   const std::string& password) {
  std::map<std::string, Secret> out;
  for (const auto& host : fleet.hosts) {
    out[host.vhostname] = Secret(password);
  }
  return out;
}

/// The Moodle database password of the sample tests' hosts.
inline const std::string k_sample_password = "s3cret-moodle";

/// k_sample_password for every host of `fleet`.
inline std::map<std::string, Secret> sample_passwords(const model::Fleet& fleet) {
  return same_password(fleet, k_sample_password);
}

} // namespace vmoodle::testing
