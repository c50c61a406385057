// Strings written to break SQL or escape the dataroot roots must be refused, located.
#include <gtest/gtest.h>

#include "tests/manifest/manifest_test_util.hpp"

namespace vmoodle::manifest {
namespace {

using fixtures::cause_at;
using fixtures::k_valid_manifest;
using fixtures::load_error;
using fixtures::only_error;
using fixtures::replaced;

TEST(ManifestHostileInput, SqlInDatabaseName) {
  const Error error = only_error(
      replaced(k_valid_manifest, "    protect: true\n", "    database: \"x`; DROP DATABASE y\"\n"));
  EXPECT_EQ(error.where, "fleet.yaml:40:5: hosts[0].database");
  EXPECT_EQ(error.message, "invalid value \"x`; DROP DATABASE y\": may only contain letters, "
                           "digits, `_` and the placeholders {shortname} and {vhost}");
}

TEST(ManifestHostileInput, SqlInMasterDatabaseAndPrefix) {
  std::string text = replaced(k_valid_manifest, "  database: moodle\n",
                              "  database: \"moodle`; DROP DATABASE moodle; --\"\n");
  text = replaced(text, "  prefix: mdl_\n", "  prefix: \"mdl_' OR 1=1\"\n");
  const Error error = load_error(text);
  ASSERT_EQ(error.causes.size(), 2u) << error.render();
  EXPECT_EQ(error.causes[0].where, "fleet.yaml:16:3: master.database");
  EXPECT_EQ(error.causes[1].where, "fleet.yaml:17:3: master.prefix");
  EXPECT_NE(error.causes[1].message.find("may only contain letters, digits and `_`"),
            std::string::npos);
}

TEST(ManifestHostileInput, SqlThroughTheShortnamePlaceholder) {
  // The shortname itself is free text; the database it expands into is not.
  const Error error = load_error(replaced(k_valid_manifest, "    shortname: old\n",
                                          "    shortname: \"x`; DROP DATABASE y\"\n"));
  const Error cause =
      cause_at(error, "fleet.yaml:23:3: hosts[1].database (from defaults.database)");
  EXPECT_EQ(cause.message,
            "database name \"vmdl_x`; DROP DATABASE y\" may only contain letters, digits and `_`");
}

TEST(ManifestHostileInput, NulByteInDatabaseName) {
  const Error error =
      only_error(replaced(k_valid_manifest, "    protect: true\n", "    database: \"vmdl\\0x\"\n"));
  EXPECT_EQ(error.where, "fleet.yaml:40:5: hosts[0].database");
}

TEST(ManifestHostileInput, DatarootTraversal) {
  const Error error = only_error(replaced(k_valid_manifest, "    protect: true\n",
                                          "    dataroot: /var/moodledata/vhosts/../../etc\n"));
  EXPECT_EQ(error.where, "fleet.yaml:40:5: hosts[0].dataroot");
  EXPECT_EQ(error.message, "invalid path \"/var/moodledata/vhosts/../../etc\": the path must not "
                           "contain `..` segments");
}

TEST(ManifestHostileInput, DatarootTraversalThroughTheShortname) {
  const Error error = load_error(
      replaced(k_valid_manifest, "    shortname: old\n", "    shortname: \"../../../etc\"\n"));
  const Error cause =
      cause_at(error, "fleet.yaml:27:3: hosts[1].dataroot (from defaults.dataroot)");
  EXPECT_EQ(cause.message, "invalid path \"/var/moodledata/vhosts/../../../etc\": the path must "
                           "not contain `..` segments");
}

TEST(ManifestHostileInput, DatarootTraversalInARoot) {
  const Error error = load_error(replaced(k_valid_manifest, "[/var/moodledata/vhosts, vhosts]",
                                          "[/var/moodledata/vhosts, ../..]"));
  const Error cause = cause_at(error, "fleet.yaml:20:42: dataroot_roots[1]");
  EXPECT_NE(cause.message.find("must not contain `..` segments"), std::string::npos);
}

TEST(ManifestHostileInput, PasswordFileTraversal) {
  const Error error = only_error(
      replaced(k_valid_manifest, "{file: secrets/db2.pass}", "{file: ../../etc/shadow}"));
  EXPECT_EQ(error.where, "fleet.yaml:13:16: servers.db2.password.file");
  EXPECT_NE(error.message.find("must not contain `..` segments"), std::string::npos);
}

TEST(ManifestHostileInput, PathInVhostname) {
  const Error error = only_error(
      replaced(k_valid_manifest, "https://old.example.org", "https://old.example.org/;rm -rf /"));
  EXPECT_EQ(error.where, "fleet.yaml:41:5: hosts[1].vhostname");
  EXPECT_NE(error.message.find("must look like https://host.example.org"), std::string::npos);
}

TEST(ManifestHostileInput, NewlineInShortname) {
  const Error error = load_error(
      replaced(k_valid_manifest, "    shortname: local\n", "    shortname: \"lo\\ncal\"\n"));
  const Error cause = cause_at(error, "fleet.yaml:46:5: hosts[2].shortname");
  EXPECT_EQ(cause.message, "shortname contains a control character (newline, tab...)");
}

TEST(ManifestHostileInput, SqlInServerName) {
  const Error error = load_error(replaced(k_valid_manifest, "  db2:\n", "  \"db2`; --\":\n"));
  const Error cause = cause_at(error, "fleet.yaml:10:3: servers[\"db2`; --\"]");
  EXPECT_EQ(cause.message, "invalid server name `db2`; --`");
}

TEST(ManifestHostileInput, HugeValueIsRefusedBeforeAnyPatternRunsOnIt) {
  // std::regex recursion would overflow the stack on a value this long.
  const Error error = only_error(
      replaced(k_valid_manifest, "\"vmdl_{shortname}\"", "\"" + std::string(200000, 'a') + "\""));
  EXPECT_EQ(error.where, "fleet.yaml:23:13: defaults.database");
  EXPECT_EQ(error.message, "value too long (200000 bytes, at most 1024)");
}

TEST(ManifestHostileInput, LongNumericDescriptionIsFine) {
  const std::string text =
      replaced(k_valid_manifest, "\"Site of {shortname}\"", "\"" + std::string(60000, '1') + "\"");
  auto fleet = load(text, "fleet.yaml", fixtures::k_base_dir);
  ASSERT_TRUE(fleet.has_value()) << fleet.error().render();
  EXPECT_EQ(fleet->hosts[0].description.size(), 60000u);
}

TEST(ManifestHostileInput, HugeKeyIsRefused) {
  const Error error = only_error(replaced(k_valid_manifest, "    protect: true\n",
                                          "    ? " + std::string(5000, 'k') + "\n    : 1\n"));
  EXPECT_EQ(error.where, "fleet.yaml:40:7: hosts[0]");
  EXPECT_EQ(error.message, "key too long (5000 bytes, at most 256)");
}

} // namespace
} // namespace vmoodle::manifest
