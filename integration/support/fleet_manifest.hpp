#pragma once

#include <string>

namespace vmoodle::testing {

/// What the head of a test or benchmark fleet's manifest names.
struct FleetManifestHead {
  std::string socket;            ///< the sandbox's
  std::string name;              ///< databases are `<name>_master` and `<name>_<shortname>`
  std::string moodledata;        ///< the master's dataroot; hosts' under `<moodledata>/vhosts`
  std::string wwwroot;           ///< the master's
  std::string host_password_env; ///< the variable holding the hosts' database password
  int max_parallel = 0;          ///< the server's; 0 leaves the tool's default
};

/// `version`, `servers`, `master`, `dataroot_roots` and `defaults` (hosts from template
/// `base`); the caller appends `snapshots:` and `hosts:`.
inline std::string manifest_head(const FleetManifestHead& head) {
  std::string text = "version: 1\n"
                     "servers:\n"
                     "  local:\n"
                     "    socket: " +
                     head.socket +
                     "\n"
                     "    user: vmoodle_admin\n"
                     "    password: {env: VMOODLE_SANDBOX_PASSWORD}\n"
                     "    registry_host: db.internal\n";
  if (head.max_parallel > 0) {
    text += "    max_parallel: " + std::to_string(head.max_parallel) + "\n";
  }
  return text + "master:\n  server: local\n  database: " + head.name +
         "_master\n  prefix: mdl_\n  dataroot: " + head.moodledata +
         "\n  wwwroot: " + head.wwwroot + "\ndataroot_roots: [" + head.moodledata +
         "/vhosts]\n"
         "defaults:\n"
         "  server: local\n"
         "  database: \"" +
         head.name +
         "_{shortname}\"\n"
         "  db_user: moodle\n"
         "  db_password: {env: " +
         head.host_password_env +
         "}\n"
         "  dataroot: \"" +
         head.moodledata +
         "/vhosts/{shortname}\"\n"
         "  template: base\n";
}

} // namespace vmoodle::testing
