// Every kind of schema violation, each located and worded for an operator.
#include <gtest/gtest.h>

#include "tests/manifest/manifest_test_util.hpp"

namespace vmoodle::manifest {
namespace {

using fixtures::error_after;
using fixtures::k_valid_manifest;
using fixtures::load_error;
using fixtures::only_error;
using fixtures::replaced;

TEST(ManifestSchema, UnknownKeySuggestsTheClosestOne) {
  const Error error =
      error_after("    shortname: kleber\n", "    shortname: kleber\n    databse: x\n");
  EXPECT_EQ(error.where, "fleet.yaml:37:5: hosts[0].databse");
  EXPECT_EQ(error.message, "unknown key `databse` (did you mean `database`?)");
  EXPECT_NE(error.hint.find("allowed keys here: "), std::string::npos);
}

TEST(ManifestSchema, UnknownKeySuggestsThePrefixedKey) {
  const Error error = error_after("    protect: true\n", "    password: {env: X}\n");
  EXPECT_EQ(error.where, "fleet.yaml:40:5: hosts[0].password");
  EXPECT_EQ(error.message, "unknown key `password` (did you mean `db_password`?)");
}

TEST(ManifestSchema, UnknownTopLevelKey) {
  const Error error = only_error(k_valid_manifest + "hostz: []\n");
  EXPECT_EQ(error.where, "fleet.yaml:57:1: hostz");
  EXPECT_EQ(error.message, "unknown key `hostz` (did you mean `hosts`?)");
}

TEST(ManifestSchema, EveryUnknownKeyOfAnObjectIsReported) {
  const Error error = load_error(
      replaced(k_valid_manifest, "    protect: true\n", "    colour: red\n    flavour: mint\n"));
  ASSERT_EQ(error.causes.size(), 2u) << error.render();
  EXPECT_EQ(error.causes[0].where, "fleet.yaml:40:5: hosts[0].colour");
  EXPECT_EQ(error.causes[0].message, "unknown key `colour`");
  EXPECT_EQ(error.causes[1].where, "fleet.yaml:41:5: hosts[0].flavour");
}

TEST(ManifestSchema, VhostnameCannotBeADefault) {
  const Error error =
      error_after("defaults:\n  server: db1\n", "defaults:\n  vhostname: https://x.org\n");
  EXPECT_EQ(error.where, "fleet.yaml:22:3: defaults.vhostname");
  EXPECT_EQ(error.message, "`vhostname` cannot be set in defaults");
}

TEST(ManifestSchema, MissingRequiredKey) {
  const Error error = error_after("    user: vmoodle_admin\n", "");
  EXPECT_EQ(error.where, "fleet.yaml:3:3: servers.db1");
  EXPECT_EQ(error.message, "missing required key `user`");
  EXPECT_EQ(error.hint.rfind("add `user:` (The account", 0), 0u) << error.hint;
}

TEST(ManifestSchema, MissingRequiredHostKeyUsesTheKeyDescription) {
  const Error error = error_after("  - vhostname: https://old.example.org\n    shortname: old\n",
                                  "  - shortname: old\n");
  EXPECT_EQ(error.where, "fleet.yaml:41:5: hosts[1]");
  EXPECT_EQ(error.message, "missing required key `vhostname`");
  EXPECT_NE(error.hint.find("registry"), std::string::npos) << error.hint;
}

TEST(ManifestSchema, MissingTopLevelSection) {
  const std::string text =
      replaced(k_valid_manifest, "dataroot_roots: [/var/moodledata/vhosts, vhosts]\n", "");
  const Error error = only_error(text);
  EXPECT_EQ(error.where, "fleet.yaml:1:1");
  EXPECT_EQ(error.message, "missing required key `dataroot_roots`");
}

TEST(ManifestSchema, WrongTypeOfSection) {
  const Error error =
      error_after("snapshots:\n  - name: base45\n    from: https://kleber.example.org\n",
                  "snapshots: {name: base45}\n");
  EXPECT_EQ(error.where, "fleet.yaml:54:1: snapshots");
  EXPECT_EQ(error.message, "expected a list, found a mapping");
}

TEST(ManifestSchema, NumberOutOfRange) {
  const Error error = error_after("    port: 3307\n", "    port: 70000\n");
  EXPECT_EQ(error.where, "fleet.yaml:5:5: servers.db1.port");
  EXPECT_EQ(error.message, "70000 is out of range: must be between 1 and 65535");
}

TEST(ManifestSchema, MaxParallelOutOfRange) {
  const Error error = error_after("    max_parallel: 8\n", "    max_parallel: 0\n");
  EXPECT_EQ(error.where, "fleet.yaml:9:5: servers.db1.max_parallel");
  EXPECT_EQ(error.message, "0 is out of range: must be between 1 and 64");
}

TEST(ManifestSchema, ValueNotInEnum) {
  const Error error = error_after("    state: absent\n", "    state: gone\n");
  EXPECT_EQ(error.where, "fleet.yaml:43:5: hosts[1].state");
  EXPECT_EQ(error.message, "\"gone\" is not allowed");
  EXPECT_EQ(error.hint, "use present or absent");
}

TEST(ManifestSchema, PostgresIsNotSupported) {
  const Error error = error_after("  db_type: mariadb\n", "  db_type: postgres\n");
  EXPECT_EQ(error.where, "fleet.yaml:24:3: defaults.db_type");
  EXPECT_EQ(error.message, "postgres is not supported");
}

TEST(ManifestSchema, PlainPasswordIsRefusedWithoutEchoingIt) {
  const Error error = error_after("    password: {env: DB1_PASSWORD}\n", "    password: hunter2\n");
  EXPECT_EQ(error.where, "fleet.yaml:7:5: servers.db1.password");
  EXPECT_EQ(error.message,
            "passwords are never written in the manifest; use {env: VAR} or {file: PATH}");
  EXPECT_EQ(error.render().find("hunter2"), std::string::npos);
}

TEST(ManifestSchema, PlainHostPasswordIsRefused) {
  const Error error =
      error_after("  db_password: {env: MOODLE_DB_PASSWORD}\n", "  db_password: \"s3cr3t!\"\n");
  EXPECT_EQ(error.where, "fleet.yaml:26:3: defaults.db_password");
  EXPECT_NE(error.message.find("passwords are never written in the manifest"), std::string::npos);
  EXPECT_EQ(error.render().find("s3cr3t"), std::string::npos);
}

TEST(ManifestSchema, PasswordFromBothSources) {
  const Error error =
      error_after("    password: {env: DB1_PASSWORD}\n", "    password: {env: A, file: /b}\n");
  EXPECT_EQ(error.where, "fleet.yaml:7:5: servers.db1.password");
  EXPECT_EQ(error.message, "set only one of `env` or `file`");
}

TEST(ManifestSchema, EmptyPasswordReference) {
  const Error error = error_after("    password: {env: DB1_PASSWORD}\n", "    password: {}\n");
  EXPECT_EQ(error.message, "empty password reference");
}

TEST(ManifestSchema, InvalidEnvironmentVariableName) {
  const Error error = error_after("{env: DB1_PASSWORD}", "{env: 1DB}");
  EXPECT_EQ(error.where, "fleet.yaml:7:16: servers.db1.password.env");
  EXPECT_NE(error.message.find("an environment variable name may only contain"), std::string::npos);
}

TEST(ManifestSchema, HostAndSocketTogether) {
  const Error error = error_after("    host: 127.0.0.1\n", "    host: 127.0.0.1\n    socket: /s\n");
  EXPECT_EQ(error.where, "fleet.yaml:3:3: servers.db1");
  EXPECT_EQ(error.message, "`host` and `socket` cannot be set together");
}

TEST(ManifestSchema, NeitherHostNorSocket) {
  const Error error = error_after("    socket: /run/mysqld/mysqld.sock\n", "");
  EXPECT_EQ(error.where, "fleet.yaml:10:3: servers.db2");
  EXPECT_EQ(error.message, "missing `host` or `socket`");
}

TEST(ManifestSchema, PatternMismatchUsesTheSchemaMessage) {
  const Error error = error_after("  wwwroot: https://moodle.example.org\n",
                                  "  wwwroot: https://moodle.example.org/\n");
  EXPECT_EQ(error.where, "fleet.yaml:19:3: master.wwwroot");
  EXPECT_EQ(error.message, "invalid value \"https://moodle.example.org/\": must look like "
                           "https://host.example.org or http://host:8080 (no path, no trailing "
                           "slash)");
}

TEST(ManifestSchema, EngineIsChecked) {
  const Error error = error_after("  engine: innodb\n", "  engine: Memory\n");
  EXPECT_EQ(error.where, "fleet.yaml:30:3: defaults.engine");
  EXPECT_EQ(error.message, "invalid value \"Memory\": must be InnoDB, MyISAM or Aria");
}

TEST(ManifestSchema, MnetAcceptsOnlyIntegersFromMinusOneOrNew) {
  Error error = error_after("    mnet: new\n", "    mnet: old\n");
  EXPECT_EQ(error.where, "fleet.yaml:51:5: hosts[2].mnet");
  EXPECT_EQ(error.message, "invalid value \"old\": must be an integer of at least -1, or \"new\"");
  error = error_after("    mnet: new\n", "    mnet: -2\n");
  EXPECT_EQ(error.message, "-2 is out of range: must be an integer of at least -1, or \"new\"");
}

TEST(ManifestSchema, UnsupportedVersion) {
  const Error error = error_after("version: 1\n", "version: 2\n");
  EXPECT_EQ(error.where, "fleet.yaml:1:1: version");
  EXPECT_EQ(error.message, "unsupported manifest version 2");
}

TEST(ManifestSchema, EmptyRoots) {
  const Error error =
      error_after("dataroot_roots: [/var/moodledata/vhosts, vhosts]\n", "dataroot_roots: []\n");
  EXPECT_EQ(error.where, "fleet.yaml:20:1: dataroot_roots");
  EXPECT_EQ(error.message, "must not be empty");
}

TEST(ManifestSchema, EmptyValue) {
  const Error error = error_after("    template: base44\n", "    template:\n");
  EXPECT_EQ(error.where, "fleet.yaml:39:5: hosts[0].template");
  EXPECT_EQ(error.message, "expected a string, found an empty value");
  EXPECT_EQ(error.hint, "give it a value, or remove the key");
}

TEST(ManifestSchema, InvalidServerName) {
  const Error error = load_error(replaced(k_valid_manifest, "  db2:\n", "  \"db 2\":\n"));
  ASSERT_EQ(error.causes.size(), 2u) << error.render();
  EXPECT_EQ(error.causes[0].where, "fleet.yaml:10:3: servers[\"db 2\"]");
  EXPECT_EQ(error.causes[0].message, "invalid server name `db 2`");
  // hosts[2] names `db2`, which no longer exists.
  EXPECT_EQ(error.causes[1].where, "fleet.yaml:47:5: hosts[2].server");
}

TEST(ManifestSchema, AllErrorsAreReportedAtOnce) {
  std::string text = replaced(k_valid_manifest, "    port: 3307\n", "    port: 0\n");
  text = replaced(text, "  prefix: mdl_\n", "  prefix: mdl-\n");
  text = replaced(text, "    final_snapshot: false\n", "    final_snapshot: nope\n");
  const Error error = load_error(text);
  ASSERT_EQ(error.causes.size(), 3u) << error.render();
  EXPECT_EQ(error.message, "fleet.yaml: 3 errors in the manifest");
  EXPECT_EQ(error.causes[0].where, "fleet.yaml:5:5: servers.db1.port");
  EXPECT_EQ(error.causes[1].where, "fleet.yaml:17:3: master.prefix");
  EXPECT_EQ(error.causes[2].where, "fleet.yaml:44:5: hosts[1].final_snapshot");
}

} // namespace
} // namespace vmoodle::manifest
