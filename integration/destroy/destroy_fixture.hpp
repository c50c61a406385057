#pragma once

#include <algorithm>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "integration/e2e/fleet_workspace.hpp"

namespace vmoodle::testing {

/// `hosts:` entry for host `<shortname>` at `https://<shortname>.example.org`, with
/// `extra` lines (already indented by four spaces) after the shortname.
inline std::string host_entry(const std::string& shortname, const std::string& extra = "") {
  return "  - vhostname: https://" + shortname + ".example.org\n    shortname: " + shortname +
         "\n" + extra;
}

inline std::string vhost_of(const std::string& shortname) {
  return "https://" + shortname + ".example.org";
}

/// Runs `sql` on the workspace's master database; throws on error.
inline void master_execute(FleetWorkspace& ws, const std::string& sql) {
  auto conn = ws.sandbox().connect(ws.master_db());
  if (auto done = conn->execute(sql); !done) {
    throw std::runtime_error(done.error().render());
  }
}

/// Gives `vhostname` what a master that had peered with it holds: an `mnet_host` row
/// and one row in every master table that VMoodle's destroy cleans. Returns its id.
inline std::string seed_master_mnet(FleetWorkspace& ws, const std::string& vhostname) {
  master_execute(ws, "INSERT INTO mdl_mnet_host (wwwroot, ip_address, name, public_key, "
                     "applicationid) VALUES ('" +
                         vhostname + "', '192.0.2.9', 'peer', '', 1)");
  auto ids = ws.rows("SELECT id FROM `" + ws.master_db() + "`.mdl_mnet_host WHERE wwwroot = '" +
                     vhostname + "'");
  if (ids.size() != 1) {
    throw std::runtime_error("mnet_host row for " + vhostname + " not seeded");
  }
  const std::string& id = ids.front();
  const std::string token = std::to_string(std::hash<std::string>{}(vhostname) % 1000000007);
  for (const std::string& sql :
       {"INSERT INTO mdl_mnet_host2service (hostid, serviceid, publish, subscribe) VALUES (" + id +
            ", 1, 1, 1)",
        "INSERT INTO mdl_mnetservice_enrol_courses (hostid, remoteid, categoryid, summary, "
        "startdate, roleid) VALUES (" +
            id + ", 3, 1, '', 0, 5)",
        "INSERT INTO mdl_mnetservice_enrol_enrolments (hostid, userid, remotecourseid) VALUES (" +
            id + ", 2, 3)",
        "INSERT INTO mdl_mnet_log (hostid, remoteid, userid) VALUES (" + id + ", 4, 2)",
        "INSERT INTO mdl_mnet_session (userid, username, token, mnethostid) VALUES (2, 'admin', "
        "'tok" +
            token + "', " + id + ")",
        "INSERT INTO mdl_mnet_sso_access_control (username, mnet_host_id) VALUES ('admin', " + id +
            ")"}) {
    master_execute(ws, sql);
  }
  return id;
}

/// How many master rows name mnet_host `id`: the row itself and its dependents.
inline int master_mnet_rows(FleetWorkspace& ws, const std::string& id) {
  const std::string db = "`" + ws.master_db() + "`.";
  auto count = ws.rows(
      "SELECT (SELECT COUNT(*) FROM " + db + "mdl_mnet_host WHERE id = " + id +
      ") + (SELECT COUNT(*) FROM " + db + "mdl_mnet_host2service WHERE hostid = " + id +
      ") + (SELECT COUNT(*) FROM " + db + "mdl_mnetservice_enrol_courses WHERE hostid = " + id +
      ") + (SELECT COUNT(*) FROM " + db + "mdl_mnetservice_enrol_enrolments WHERE hostid = " + id +
      ") + (SELECT COUNT(*) FROM " + db + "mdl_mnet_log WHERE hostid = " + id +
      ") + (SELECT COUNT(*) FROM " + db + "mdl_mnet_session WHERE mnethostid = " + id +
      ") + (SELECT COUNT(*) FROM " + db + "mdl_mnet_sso_access_control WHERE mnet_host_id = " + id +
      ")");
  return std::stoi(count.front());
}

/// Registry rows of `vhostname` as `id|enabled|metadata`.
inline std::vector<std::string> registry_rows(FleetWorkspace& ws, const std::string& vhostname) {
  return ws.rows("SELECT id, enabled, metadata FROM `" + ws.master_db() +
                 "`.mdl_local_vmoodle WHERE vhostname = '" + vhostname + "' ORDER BY id");
}

inline bool database_exists(FleetWorkspace& ws, const std::string& database) {
  return !ws.rows("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + database +
                  "'")
              .empty();
}

inline std::string dataroot_of(FleetWorkspace& ws, const std::string& shortname) {
  return ws.moodledata() + "/vhosts/" + shortname;
}

/// Entries of the templates folder whose name contains `needle`, sorted.
inline std::vector<std::string> template_entries(FleetWorkspace& ws, const std::string& needle) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(ws.moodledata() + "/vmoodle")) {
    const std::string name = entry.path().filename().string();
    if (name.find(needle) != std::string::npos) {
      out.push_back(name);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace vmoodle::testing
