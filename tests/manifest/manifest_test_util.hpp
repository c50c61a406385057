#pragma once

#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "vmoodle/manifest/manifest.hpp"

namespace vmoodle::manifest::fixtures {

/// A complete valid manifest. Tests refer to its line numbers: keep them stable.
inline const std::string k_valid_manifest = R"yaml(version: 1
servers:
  db1:
    host: 127.0.0.1
    port: 3307
    user: vmoodle_admin
    password: {env: DB1_PASSWORD}
    registry_host: db1.internal
    max_parallel: 8
  db2:
    socket: /run/mysqld/mysqld.sock
    user: root
    password: {file: secrets/db2.pass}
master:
  server: db1
  database: moodle
  prefix: mdl_
  dataroot: /var/moodledata
  wwwroot: https://moodle.example.org
dataroot_roots: [/var/moodledata/vhosts, vhosts]
defaults:
  server: db1
  database: "vmdl_{shortname}"
  db_type: mariadb
  db_user: moodle
  db_password: {env: MOODLE_DB_PASSWORD}
  dataroot: "/var/moodledata/vhosts/{shortname}"
  charset: utf8mb4
  collation: utf8mb4_unicode_ci
  engine: innodb
  row_format: DYNAMIC
  mnet: -1
  enabled: true
hosts:
  - vhostname: https://kleber.example.org
    shortname: kleber
    name: "Lycée Kléber ({vhost})"
    description: "Site of {shortname}"
    template: base44
    protect: true
  - vhostname: https://old.example.org
    shortname: old
    state: absent
    final_snapshot: false
  - vhostname: http://local.example.org:8080
    shortname: local
    server: db2
    database: "local_{vhost}"
    dataroot: "vhosts/{shortname}"
    template: base45
    mnet: new
    db_persist: true
    enabled: false
snapshots:
  - name: base45
    from: https://kleber.example.org
)yaml";

/// The directory the tests pretend the manifest lives in.
inline const std::string k_base_dir = "/srv/fleet";

/// `text` with the first occurrence of `from` replaced by `to` (which must exist).
inline std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "test bug: `" << from << "` not in the manifest";
  if (pos != std::string::npos) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

/// The manifest error for `text`; fails the test when the manifest loads.
inline Error load_error(const std::string& text) {
  auto result = load(text, "fleet.yaml", k_base_dir);
  EXPECT_FALSE(result.has_value()) << "the manifest was expected to be rejected";
  if (result) {
    return Error{};
  }
  EXPECT_EQ(result.error().kind, ErrorKind::manifest);
  return result.error();
}

/// The only cause of `error`; fails the test (and shows them all) when there is not
/// exactly one.
inline Error single_cause(const Error& error) {
  EXPECT_EQ(error.causes.size(), 1u) << error.render();
  return error.causes.empty() ? Error{} : error.causes.front();
}

/// The one error `text` yields.
inline Error only_error(const std::string& text) {
  return single_cause(load_error(text));
}

/// The one error of the valid manifest with `from` replaced by `to`.
inline Error error_after(std::string_view from, std::string_view to) {
  return only_error(replaced(k_valid_manifest, from, to));
}

/// The cause of `error` located at `where`; fails the test (showing all causes) if none is.
inline Error cause_at(const Error& error, const std::string& where) {
  for (const auto& cause : error.causes) {
    if (cause.where == where) {
      return cause;
    }
  }
  ADD_FAILURE() << "no error at " << where << " in:\n" << error.render();
  return Error{};
}

} // namespace vmoodle::manifest::fixtures
