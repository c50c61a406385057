#include <gtest/gtest.h>

#include "tests/importer/import_test_util.hpp"
#include "vmoodle/model/markers.hpp"

namespace vmoodle::testing {
namespace {

std::vector<model::RegistryRow> fleet_of_25() {
  std::vector<model::RegistryRow> rows;
  for (int i = 1; i <= 22; ++i) {
    rows.push_back(usual_row(i, fmt::format("school{}", i)));
  }
  auto other_server = usual_row(23, "annexe");
  other_server.vdbhost = "db2.internal";
  other_server.vdbprefix = "ax_";
  other_server.mnet = 0;
  rows.push_back(other_server);
  auto odd = usual_row(24, "legacy", "other-pw");
  odd.vdbname = "old_legacy_db";
  odd.vdatapath = "/srv/other/legacy-data";
  odd.vdblogin = "legacy_user";
  odd.enabled = 0;
  odd.vdbpersist = 1;
  odd.description = "Kept for the archive";
  rows.push_back(odd);
  auto same_name = usual_row(25, "plain");
  same_name.name = "plain";
  rows.push_back(same_name);
  return rows;
}

TEST(RegistryImport, FactorsDefaultsAndPlansNoChanges) {
  const auto rows = fleet_of_25();
  auto imported = importer::manifest_from_registry(rows, import_base(), {});
  ASSERT_TRUE(imported) << imported.error().render();
  EXPECT_EQ(imported->hosts, 25u);
  EXPECT_TRUE(imported->skipped.empty());
  const std::string& yaml = imported->yaml;

  EXPECT_NE(yaml.find("defaults:\n  server: db1\n  database: \"vmdl_{shortname}\"\n  prefix: "
                      "mdl_\n  db_type: mariadb\n  db_user: moodle\n  db_password: {env: "
                      "MOODLE_DB_PASSWORD}\n  dataroot: \"/var/moodledata/vhosts/{shortname}\"\n"),
            std::string::npos)
      << yaml;
  // Overrides only where a host differs.
  EXPECT_NE(yaml.find("  - vhostname: https://annexe.example.org\n    shortname: annexe\n    "
                      "name: \"School annexe\"\n    server: db2\n    prefix: ax_\n    mnet: 0\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("  - vhostname: https://school1.example.org\n    shortname: school1\n    "
                      "name: \"School school1\"\n  - "),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("    database: old_legacy_db\n    db_user: legacy_user\n    db_password: "
                      "{env: MOODLE_DB_PASSWORD_LEGACY}\n    db_persist: true\n    dataroot: "
                      "/srv/other/legacy-data\n    enabled: false\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("  - vhostname: https://plain.example.org\n    shortname: plain\n"),
            std::string::npos);
  // Secrets by reference only; the header says who holds them.
  EXPECT_EQ(yaml.find("common-pw"), std::string::npos);
  EXPECT_EQ(yaml.find("other-pw"), std::string::npos);
  EXPECT_NE(yaml.find("# Passwords are not in this file: the registry (column vdbpass) holds "
                      "them."),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("#   MOODLE_DB_PASSWORD_LEGACY: https://legacy.example.org\n"),
            std::string::npos);
  ASSERT_EQ(imported->passwords.size(), 2u);
  EXPECT_EQ(imported->passwords[0].name, "MOODLE_DB_PASSWORD");
  EXPECT_EQ(imported->passwords[0].vhostnames.size(), 24u);

  auto plan = plan_imported(*imported, rows);
  ASSERT_TRUE(plan) << plan.error().render();
  EXPECT_FALSE(plan->has_changes()) << plan->changes.front().vhostname;
  EXPECT_TRUE(plan->unmanaged.empty());
}

TEST(RegistryImport, APatternMustFitMostHostsToBeTheDefault) {
  std::vector<model::RegistryRow> rows;
  for (int i = 1; i <= 3; ++i) {
    auto row = usual_row(i, fmt::format("s{}", i));
    row.vdbname = fmt::format("db_number_{}", i * 7);
    row.vdatapath = fmt::format("/var/moodledata/vhosts/{}-data", row.shortname);
    rows.push_back(row);
  }
  auto imported = importer::manifest_from_registry(rows, import_base(), {});
  ASSERT_TRUE(imported) << imported.error().render();
  // No pattern fits the databases: the first literal is the default, the others override.
  EXPECT_NE(imported->yaml.find("  database: db_number_7\n"), std::string::npos) << imported->yaml;
  EXPECT_NE(imported->yaml.find("    database: db_number_14\n"), std::string::npos);
  EXPECT_NE(imported->yaml.find("  dataroot: \"/var/moodledata/vhosts/{shortname}-data\"\n"),
            std::string::npos);
  auto plan = plan_imported(*imported, rows);
  ASSERT_TRUE(plan) << plan.error().render();
  EXPECT_FALSE(plan->has_changes());
}

TEST(RegistryImport, HostileValuesAreQuotedAndReadBackExactly) {
  std::vector<model::RegistryRow> rows{usual_row(1, "a"), usual_row(2, "b"), usual_row(3, "c")};
  rows[0].name = "Lycée \"Kléber\": #1 \\ {lone brace - evil: yes";
  rows[0].description = "true\n- evil: yes\n\ttab";
  rows[1].name = "123";
  rows[1].shortname = "true";
  rows[1].vdbname = "vmdl_b";
  rows[1].vdatapath = "/var/moodledata/vhosts/b";
  rows[2].name = "null";
  rows[2].shortname = "c-1";
  rows[2].vhostname = "https://c-1.example.org";
  rows[2].description = "  leading and trailing  ";
  auto imported = importer::manifest_from_registry(rows, import_base(), {});
  ASSERT_TRUE(imported) << imported.error().render();
  EXPECT_TRUE(imported->skipped.empty()) << imported->skipped.front().reason;
  auto plan = plan_imported(*imported, rows);
  ASSERT_TRUE(plan) << plan.error().render() << imported->yaml;
  EXPECT_FALSE(plan->has_changes()) << imported->yaml;
}

TEST(RegistryImport, RowsTheManifestCannotHoldAreLeftOutWithAReason) {
  std::vector<model::RegistryRow> rows{usual_row(1, "good"), usual_row(2, "other")};
  auto slash = usual_row(3, "slash");
  slash.vhostname = "https://slash.example.org/";
  rows.push_back(slash);
  auto placeholder = usual_row(4, "ph");
  placeholder.name = "Site {shortname}";
  rows.push_back(placeholder);
  auto unknown = usual_row(5, "unknown");
  unknown.name = "Site {campus}";
  rows.push_back(unknown);
  auto elsewhere = usual_row(6, "elsewhere");
  elsewhere.vdbhost = "db9.internal";
  rows.push_back(elsewhere);
  auto twice1 = usual_row(7, "twice");
  auto twice2 = usual_row(8, "twice2");
  twice2.vhostname = twice1.vhostname;
  rows.push_back(twice1);
  rows.push_back(twice2);
  auto dying = usual_row(9, "dying");
  dying.metadata = model::destroying_mark("final_dying_9");
  rows.push_back(dying);
  auto postgres = usual_row(10, "pg");
  postgres.vdbtype = "postgres";
  rows.push_back(postgres);
  auto outside = usual_row(11, "outside");
  outside.vdatapath = "/etc/outside";
  rows.push_back(outside);
  auto same_short = usual_row(12, "good");
  same_short.vhostname = "https://good2.example.org";
  same_short.vdbname = "vmdl_good2";
  same_short.vdatapath = "/var/moodledata/vhosts/good2";
  rows.push_back(same_short);
  auto injected = usual_row(13, "inj");
  injected.vhostname = "https://inj.example.org\nhosts: []\n# ";
  rows.push_back(injected);

  auto imported = importer::manifest_from_registry(rows, import_base(), {});
  ASSERT_TRUE(imported) << imported.error().render();
  EXPECT_EQ(imported->hosts, 2u) << imported->yaml;
  std::map<std::string, std::string> reasons;
  for (const auto& skipped : imported->skipped) {
    reasons[skipped.vhostname] = skipped.origin + ": " + skipped.reason;
  }
  EXPECT_EQ(imported->skipped.size(), 11u);
  ASSERT_EQ(reasons.size(), 10u) << imported->yaml;
  EXPECT_NE(reasons["https://slash.example.org/"].find("registry id 3: vhostname"),
            std::string::npos)
      << reasons["https://slash.example.org/"];
  EXPECT_NE(reasons["https://ph.example.org"].find("name: the manifest cannot write"),
            std::string::npos)
      << reasons["https://ph.example.org"];
  EXPECT_NE(reasons["https://unknown.example.org"].find("unknown placeholder"), std::string::npos)
      << reasons["https://unknown.example.org"];
  EXPECT_NE(reasons["https://elsewhere.example.org"].find("vdbhost `db9.internal`"),
            std::string::npos);
  EXPECT_NE(reasons["https://twice.example.org"].find("2 registry rows"), std::string::npos);
  EXPECT_NE(reasons["https://dying.example.org"].find("interrupted destroy"), std::string::npos);
  EXPECT_NE(reasons["https://pg.example.org"].find("db_type"), std::string::npos)
      << reasons["https://pg.example.org"];
  EXPECT_NE(reasons["https://outside.example.org"].find("dataroot"), std::string::npos)
      << reasons["https://outside.example.org"];
  // The later of two hosts sharing a shortname, named by vhostname, not by list position.
  EXPECT_NE(reasons["https://good2.example.org"].find("https://good.example.org"),
            std::string::npos)
      << reasons["https://good2.example.org"];
  EXPECT_EQ(reasons["https://good2.example.org"].find("hosts["), std::string::npos);

  // Each is listed in the header, on one comment line each.
  EXPECT_NE(imported->yaml.find("#   https://inj.example.org\\x0Ahosts: []\\x0A#  (registry id "
                                "13)"),
            std::string::npos)
      << imported->yaml;
  auto plan = plan_imported(*imported, rows);
  ASSERT_TRUE(plan) << plan.error().render();
  EXPECT_FALSE(plan->has_changes());
  EXPECT_EQ(plan->unmanaged.size(), 11u) << "left-out rows stay unmanaged";
}

TEST(RegistryImport, AnEmptyRegistryGivesAManifestWithNoHosts) {
  auto imported = importer::manifest_from_registry({}, import_base(), {});
  ASSERT_TRUE(imported) << imported.error().render();
  EXPECT_NE(imported->yaml.find("\nhosts: []\n"), std::string::npos) << imported->yaml;
  EXPECT_TRUE(manifest::load(imported->yaml, "x.yaml").has_value());
}

TEST(RegistryImport, KeepsServersMasterAndRootsOfTheBase) {
  auto imported = importer::manifest_from_registry({usual_row(1, "a")}, import_base(), {});
  ASSERT_TRUE(imported);
  auto fleet = manifest::load(imported->yaml, "x.yaml");
  ASSERT_TRUE(fleet) << fleet.error().render();
  const auto base = import_base();
  ASSERT_EQ(fleet->servers.size(), 2u);
  const auto& db2 = fleet->servers.at("db2");
  EXPECT_EQ(db2.socket, "/run/mysqld/mysqld.sock");
  EXPECT_EQ(db2.registry_host, "db2.internal");
  EXPECT_EQ(db2.max_parallel, 2);
  EXPECT_FALSE(db2.password.has_value());
  EXPECT_EQ(fleet->servers.at("db1").password, base.servers.at("db1").password);
  EXPECT_EQ(fleet->master.wwwroot, base.master.wwwroot);
  EXPECT_EQ(fleet->dataroot_roots, base.dataroot_roots);
}

TEST(RegistryImport, EmptyPasswordsAreAWarning) {
  auto row = usual_row(1, "a", "");
  auto imported = importer::manifest_from_registry({row}, import_base(), {});
  ASSERT_TRUE(imported);
  ASSERT_EQ(imported->warnings.size(), 1u);
  EXPECT_NE(imported->warnings[0].find("empty password"), std::string::npos);
}

} // namespace
} // namespace vmoodle::testing
