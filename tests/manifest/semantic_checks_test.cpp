// One test per rule beyond the schema, each asserting the message and the location.
#include <gtest/gtest.h>

#include "tests/manifest/manifest_test_util.hpp"

namespace vmoodle::manifest {
namespace {

using fixtures::cause_at;
using fixtures::error_after;
using fixtures::k_valid_manifest;
using fixtures::load_error;
using fixtures::only_error;
using fixtures::replaced;

// Replaces kleber's `protect: true` line (40) by `line`.
Error error_with_kleber_line(const std::string& line) {
  return error_after("    protect: true\n", "    " + line + "\n");
}

TEST(ManifestSemantics, VhostnameIsUniqueIgnoringCase) {
  const Error error = error_after("https://old.example.org", "https://KLEBER.example.org");
  EXPECT_EQ(error.where, "fleet.yaml:41:5: hosts[1].vhostname");
  EXPECT_EQ(error.message,
            "vhostname https://KLEBER.example.org is already used by hosts[0] (line 35)");
}

TEST(ManifestSemantics, ShortnameIsUnique) {
  const Error error =
      load_error(replaced(k_valid_manifest, "    shortname: old\n", "    shortname: kleber\n"));
  const Error cause = cause_at(error, "fleet.yaml:42:5: hosts[1].shortname");
  EXPECT_EQ(cause.message, "shortname `kleber` is already used by hosts[0] (line 35)");
}

TEST(ManifestSemantics, SessionCookieIsUnique) {
  const Error error = error_after("    shortname: local\n", "    shortname: k_leber\n");
  EXPECT_EQ(error.where, "fleet.yaml:46:5: hosts[2].shortname");
  EXPECT_EQ(error.message, "shortname `k_leber` gives the session cookie `kleber`, like `kleber` "
                           "of hosts[0] (line 35)");
}

TEST(ManifestSemantics, ServerAndDatabaseAreUnique) {
  std::string text = replaced(k_valid_manifest, "    server: db2\n", "    server: db1\n");
  text = replaced(text, "    database: \"local_{vhost}\"\n", "    database: vmdl_old\n");
  const Error error = only_error(text);
  EXPECT_EQ(error.where, "fleet.yaml:48:5: hosts[2].database");
  EXPECT_EQ(error.message,
            "database `vmdl_old` on server `db1` is already used by hosts[1] (line 41)");
}

TEST(ManifestSemantics, SameDatabaseOnAnotherServerIsFine) {
  const std::string text =
      replaced(k_valid_manifest, "    database: \"local_{vhost}\"\n", "    database: vmdl_old\n");
  auto fleet = load(text, "fleet.yaml", fixtures::k_base_dir);
  EXPECT_TRUE(fleet.has_value()) << fleet.error().render();
}

TEST(ManifestSemantics, DatarootIsUnique) {
  const Error error = error_after("    dataroot: \"vhosts/{shortname}\"\n",
                                  "    dataroot: /var/moodledata/vhosts/old\n");
  EXPECT_EQ(error.where, "fleet.yaml:49:5: hosts[2].dataroot");
  EXPECT_EQ(error.message,
            "dataroot /var/moodledata/vhosts/old is already used by hosts[1] (line 41)");
}

TEST(ManifestSemantics, DatarootIsNotInsideAnother) {
  const Error error = error_after("    dataroot: \"vhosts/{shortname}\"\n",
                                  "    dataroot: /var/moodledata/vhosts/kleber/sub\n");
  EXPECT_EQ(error.where, "fleet.yaml:49:5: hosts[2].dataroot");
  EXPECT_EQ(error.message, "dataroot /var/moodledata/vhosts/kleber/sub is inside the dataroot of "
                           "hosts[0] (/var/moodledata/vhosts/kleber)");
}

TEST(ManifestSemantics, DbUserFitsVdblogin) {
  const Error error = error_with_kleber_line("db_user: abcdefghijklmnopq");
  EXPECT_EQ(error.where, "fleet.yaml:40:5: hosts[0].db_user");
  EXPECT_EQ(error.message, "db_user \"abcdefghijklmnopq\" is 17 characters long; at most 16 fit");
  EXPECT_EQ(error.hint, "VMoodle stores it in `vdblogin`; shorten it");
}

TEST(ManifestSemantics, PrefixFitsVdbprefix) {
  const Error error = error_with_kleber_line("prefix: abcdefghijk");
  EXPECT_EQ(error.where, "fleet.yaml:40:5: hosts[0].prefix");
  EXPECT_EQ(error.message, "prefix \"abcdefghijk\" is 11 characters long; at most 10 fit");
}

TEST(ManifestSemantics, DatabaseFitsVdbname) {
  const Error error = error_with_kleber_line("database: " + std::string(65, 'd'));
  EXPECT_EQ(error.where, "fleet.yaml:40:5: hosts[0].database");
  EXPECT_NE(error.message.find("is 65 characters long; at most 64 fit"), std::string::npos);
}

TEST(ManifestSemantics, RegistryHostFitsVdbhost) {
  const Error error = error_after("    registry_host: db1.internal\n",
                                  "    registry_host: " + std::string(81, 'r') + "\n");
  EXPECT_EQ(error.where, "fleet.yaml:8:5: servers.db1.registry_host");
  EXPECT_NE(error.message.find("is 81 characters long; at most 80 fit"), std::string::npos);
}

TEST(ManifestSemantics, ShortnameFitsItsColumn) {
  const Error error =
      error_after("    shortname: local\n", "    shortname: " + std::string(81, 'l') + "\n");
  EXPECT_EQ(error.where, "fleet.yaml:46:5: hosts[2].shortname");
  EXPECT_EQ(error.message, "shortname is 81 characters long; at most 80 fit");
}

TEST(ManifestSemantics, NameFitsItsColumnCountingCharacters) {
  // 255 two-byte characters fit: the column counts characters, not bytes.
  std::string name;
  for (int i = 0; i < 255; ++i) {
    name += "é";
  }
  auto fleet = load(replaced(k_valid_manifest, "Lycée Kléber ({vhost})", name), "fleet.yaml",
                    fixtures::k_base_dir);
  EXPECT_TRUE(fleet.has_value()) << fleet.error().render();
  const Error error = error_after("Lycée Kléber ({vhost})", name + "é");
  EXPECT_EQ(error.where, "fleet.yaml:37:5: hosts[0].name");
  EXPECT_EQ(error.message, "name is 256 characters long; at most 255 fit");
}

TEST(ManifestSemantics, VhostnameFitsItsColumn) {
  const std::string label(61, 'v');
  const std::string vhostname =
      "https://" + label + "." + label + "." + label + "." + label + ".org";
  const Error error = error_after("https://old.example.org", vhostname);
  EXPECT_EQ(error.where, "fleet.yaml:41:5: hosts[1].vhostname");
  EXPECT_EQ(error.message, "vhostname is 259 characters long; at most 255 fit");
}

TEST(ManifestSemantics, DatarootFitsVdatapath) {
  const Error error = error_after("    dataroot: \"vhosts/{shortname}\"\n",
                                  "    dataroot: vhosts/" + std::string(240, 'p') + "\n");
  EXPECT_EQ(error.where, "fleet.yaml:49:5: hosts[2].dataroot");
  EXPECT_EQ(error.message, "dataroot is 258 characters long; at most 255 fit");
}

TEST(ManifestSemantics, ExpandedDatabaseIsAnIdentifier) {
  const Error error = error_after("    shortname: old\n", "    shortname: o-ld\n");
  EXPECT_EQ(error.where, "fleet.yaml:23:3: hosts[1].database (from defaults.database)");
  EXPECT_EQ(error.message, "database name \"vmdl_o-ld\" may only contain letters, digits and `_`");
}

TEST(ManifestSemantics, DatabaseDoesNotEndWithUnderscore) {
  const Error error = error_with_kleber_line("database: vmdl_");
  EXPECT_EQ(error.where, "fleet.yaml:40:5: hosts[0].database");
  EXPECT_EQ(error.message, "database name \"vmdl_\" must not end with `_`");
}

TEST(ManifestSemantics, PrefixIsNotVmoodle) {
  const Error error = error_with_kleber_line("prefix: vmoodle_");
  EXPECT_EQ(error.where, "fleet.yaml:40:5: hosts[0].prefix");
  EXPECT_EQ(error.message, "the table prefix `vmoodle_` is not allowed");
}

TEST(ManifestSemantics, VhostnameIsNotTheMasterWwwroot) {
  const Error error = error_after("https://old.example.org", "https://Moodle.example.org");
  EXPECT_EQ(error.where, "fleet.yaml:41:5: hosts[1].vhostname");
  EXPECT_EQ(error.message, "vhostname https://Moodle.example.org is the master's wwwroot");
}

TEST(ManifestSemantics, VhostnamePortIsInRange) {
  const Error error = error_after("https://old.example.org", "https://old.example.org:99999");
  EXPECT_EQ(error.where, "fleet.yaml:41:5: hosts[1].vhostname");
  EXPECT_EQ(error.message, "invalid vhostname \"https://old.example.org:99999\"");
}

TEST(ManifestSemantics, HostDatabaseIsNotTheMasterDatabase) {
  std::string text = replaced(k_valid_manifest, "    server: db2\n", "    server: db1\n");
  text = replaced(text, "    database: \"local_{vhost}\"\n", "    database: moodle\n");
  const Error error = only_error(text);
  EXPECT_EQ(error.where, "fleet.yaml:48:5: hosts[2].database");
  EXPECT_EQ(error.message, "database `moodle` on server `db1` is the master's database");
}

Error dataroot_error(const std::string& dataroot) {
  return error_after("    dataroot: \"vhosts/{shortname}\"\n", "    dataroot: " + dataroot + "\n");
}

TEST(ManifestSemantics, DatarootIsBelowARoot) {
  const Error error = dataroot_error("/srv/other/local");
  EXPECT_EQ(error.where, "fleet.yaml:49:5: hosts[2].dataroot");
  EXPECT_EQ(error.message, "dataroot /srv/other/local is not below any dataroot_roots entry "
                           "(/var/moodledata/vhosts, /srv/fleet/vhosts)");
}

TEST(ManifestSemantics, DatarootIsNotARoot) {
  const Error error = dataroot_error("/var/moodledata/vhosts");
  EXPECT_EQ(error.where, "fleet.yaml:49:5: hosts[2].dataroot");
  EXPECT_EQ(error.message, "dataroot /var/moodledata/vhosts is a dataroot_roots entry itself");
}

TEST(ManifestSemantics, DatarootIsNotTheMasterDataroot) {
  const Error error = dataroot_error("/var/moodledata");
  EXPECT_EQ(error.where, "fleet.yaml:49:5: hosts[2].dataroot");
  EXPECT_EQ(error.message, "dataroot /var/moodledata is the master's dataroot");
}

TEST(ManifestSemantics, DatarootIsNotTheTemplatesFolder) {
  const Error error = dataroot_error("/var/moodledata/vmoodle");
  EXPECT_EQ(error.where, "fleet.yaml:49:5: hosts[2].dataroot");
  EXPECT_EQ(error.message, "dataroot /var/moodledata/vmoodle is the templates folder");
}

TEST(ManifestSemantics, DatarootIsNotInsideTheTemplatesFolder) {
  const Error error = dataroot_error("/var/moodledata/vmoodle/base45_vmoodledata");
  EXPECT_EQ(error.where, "fleet.yaml:49:5: hosts[2].dataroot");
  EXPECT_EQ(error.message, "dataroot /var/moodledata/vmoodle/base45_vmoodledata is inside the "
                           "templates folder /var/moodledata/vmoodle");
}

TEST(ManifestSemantics, DatarootDoesNotContainTheMasterDataroot) {
  std::string text = replaced(k_valid_manifest, "  dataroot: /var/moodledata\n",
                              "  dataroot: /var/moodledata/vhosts/master/data\n");
  text = replaced(text, "    dataroot: \"vhosts/{shortname}\"\n",
                  "    dataroot: /var/moodledata/vhosts/master\n");
  const Error error = only_error(text);
  EXPECT_EQ(error.where, "fleet.yaml:49:5: hosts[2].dataroot");
  EXPECT_EQ(error.message, "dataroot /var/moodledata/vhosts/master contains the master's dataroot "
                           "/var/moodledata/vhosts/master/data");
}

TEST(ManifestSemantics, SlashIsNotARoot) {
  const Error error = load_error(replaced(k_valid_manifest, "[/var/moodledata/vhosts, vhosts]",
                                          "[/var/moodledata/vhosts, /]"));
  // hosts[2] used the relative root that `/` replaced, so it is outside every root now.
  ASSERT_EQ(error.causes.size(), 2u) << error.render();
  EXPECT_EQ(error.causes[0].where, "fleet.yaml:20:42: dataroot_roots[1]");
  EXPECT_EQ(error.causes[0].message, "`/` cannot be a dataroot root");
}

TEST(ManifestSemantics, HostServerIsDeclared) {
  const Error error = error_after("    server: db2\n", "    server: db3\n");
  EXPECT_EQ(error.where, "fleet.yaml:47:5: hosts[2].server");
  EXPECT_EQ(error.message, "server `db3` is not declared under servers:");
  EXPECT_EQ(error.hint, "declared servers: db1, db2");
}

TEST(ManifestSemantics, MasterServerIsDeclared) {
  const Error error = error_after("master:\n  server: db1\n", "master:\n  server: db3\n");
  EXPECT_EQ(error.where, "fleet.yaml:15:3: master.server");
  EXPECT_EQ(error.message, "server `db3` is not declared under servers:");
}

TEST(ManifestSemantics, SnapshotNamesAreUnique) {
  const Error error =
      only_error(k_valid_manifest + "  - name: base45\n    from: http://local.example.org:8080\n");
  EXPECT_EQ(error.where, "fleet.yaml:57:5: snapshots[1].name");
  EXPECT_EQ(error.message, "snapshot `base45` is already declared on line 55");
}

TEST(ManifestSemantics, SnapshotIsTakenFromAHostOfTheManifest) {
  const Error error = error_after("    from: https://kleber.example.org\n",
                                  "    from: https://nowhere.example.org\n");
  EXPECT_EQ(error.where, "fleet.yaml:56:5: snapshots[0].from");
  EXPECT_EQ(error.message, "https://nowhere.example.org is not a host of this manifest");
}

TEST(ManifestSemantics, SnapshotIsNotTakenFromAnAbsentHost) {
  const Error error =
      error_after("    from: https://kleber.example.org\n", "    from: https://old.example.org\n");
  EXPECT_EQ(error.where, "fleet.yaml:56:5: snapshots[0].from");
  EXPECT_EQ(error.message, "https://old.example.org has state: absent");
}

TEST(ManifestSemantics, PresentHostNeedsMergedKeys) {
  // Without defaults.database, kleber has none; old is absent and needs none.
  const Error error = error_after("  database: \"vmdl_{shortname}\"\n", "");
  EXPECT_EQ(error.where, "fleet.yaml:34:5: hosts[0].database");
  EXPECT_EQ(error.message, "`database` is not set for host https://kleber.example.org");
  EXPECT_EQ(error.hint, "set hosts[0].database or defaults.database");
}

TEST(ManifestSemantics, UnknownPlaceholderIsReportedOnceWhereWritten) {
  const Error error = error_after("\"vmdl_{shortname}\"", "\"vmdl_{short}\"");
  EXPECT_EQ(error.where, "fleet.yaml:23:3: defaults.database");
  EXPECT_EQ(error.message, "unknown placeholder `{short}` (known: {shortname}, {vhost})");
}

TEST(ManifestSemantics, AbsolutePathIsNormalised) {
  Error error = error_after("  dataroot: /var/moodledata\n", "  dataroot: /var/moodledata/\n");
  EXPECT_EQ(error.where, "fleet.yaml:18:3: master.dataroot");
  EXPECT_EQ(error.message, "invalid path \"/var/moodledata/\": the path must not end with `/`");
  error = error_after("  dataroot: /var/moodledata\n", "  dataroot: /var//moodledata\n");
  EXPECT_EQ(error.message, "invalid path \"/var//moodledata\": the path must not contain `//`");
  error = error_after("/run/mysqld/mysqld.sock", "/run/./mysqld.sock");
  EXPECT_EQ(error.where, "fleet.yaml:11:5: servers.db2.socket");
  EXPECT_EQ(error.message,
            "invalid path \"/run/./mysqld.sock\": the path must not contain `.` segments");
}

TEST(ManifestSemantics, RelativePathHasNoDotDot) {
  const Error error = dataroot_error("\"../vhosts/{shortname}\"");
  EXPECT_EQ(error.where, "fleet.yaml:49:5: hosts[2].dataroot");
  EXPECT_EQ(error.message,
            "invalid path \"../vhosts/local\": the path must not contain `..` segments");
}

TEST(ManifestSemantics, CollationBelongsToCharset) {
  const Error error = error_with_kleber_line("collation: latin1_swedish_ci");
  EXPECT_EQ(error.where, "fleet.yaml:40:5: hosts[0].collation");
  EXPECT_EQ(error.message, "collation `latin1_swedish_ci` does not belong to charset `utf8mb4`");
}

TEST(ManifestSemantics, Utf8CharsetAcceptsUtf8mb3Collations) {
  std::string text = replaced(k_valid_manifest, "  charset: utf8mb4\n", "  charset: utf8\n");
  text = replaced(text, "  collation: utf8mb4_unicode_ci\n", "  collation: utf8mb3_general_ci\n");
  auto fleet = load(text, "fleet.yaml", fixtures::k_base_dir);
  EXPECT_TRUE(fleet.has_value()) << fleet.error().render();
}

TEST(ManifestSemantics, ShortnameNeedsALetterOrDigit) {
  const Error error = error_after("    shortname: local\n", "    shortname: \"é-é\"\n");
  EXPECT_EQ(error.where, "fleet.yaml:46:5: hosts[2].shortname");
  EXPECT_EQ(error.message, "shortname \"é-é\" has no letter or digit, so VMoodle would give the "
                           "host an empty session cookie");
}

TEST(ManifestSemantics, NameHasNoControlCharacter) {
  const Error error = error_after("\"Lycée Kléber ({vhost})\"", "\"Lycée\\nKléber\"");
  EXPECT_EQ(error.where, "fleet.yaml:37:5: hosts[0].name");
  EXPECT_EQ(error.message, "name contains a control character (newline, tab...)");
}

TEST(ManifestSemantics, IndependentSemanticErrorsAreAllReported) {
  std::string text = replaced(k_valid_manifest, "    protect: true\n", "    prefix: vmoodle_\n");
  text = replaced(text, "    server: db2\n", "    server: db3\n");
  text = replaced(text, "    from: https://kleber.example.org\n",
                  "    from: https://nowhere.example.org\n");
  const Error error = load_error(text);
  ASSERT_EQ(error.causes.size(), 3u) << error.render();
  EXPECT_EQ(error.causes[0].where, "fleet.yaml:40:5: hosts[0].prefix");
  EXPECT_EQ(error.causes[1].where, "fleet.yaml:47:5: hosts[2].server");
  EXPECT_EQ(error.causes[2].where, "fleet.yaml:56:5: snapshots[0].from");
}

} // namespace
} // namespace vmoodle::manifest
