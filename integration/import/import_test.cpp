// import: a manifest made from a live fleet plans no changes against it; a VMoodle
// node list becomes hosts to create.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"
#include "vmoodle/db/mysql_connector.hpp"
#include "vmoodle/importer/import.hpp"
#include "vmoodle/live/refresh.hpp"
#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/platform/env_secret_source.hpp"
#include "vmoodle/platform/posix_filesystem.hpp"

namespace vmoodle::testing {
namespace {

constexpr int k_hosts = 20;

class ImportTest : public ::testing::Test {
protected:
  // 20 hosts made by the CLI from the seeded template, a few unlike the others.
  static void SetUpTestSuite() {
    s_ws = new FleetWorkspace("e2eimport");
    std::string manifest = s_ws->manifest_head() + "hosts:\n";
    for (int i = 1; i <= k_hosts; ++i) {
      const std::string s = fmt::format("s{:02}", i);
      manifest += fmt::format("  - vhostname: https://{}.example.org\n    shortname: {}\n", s, s);
      if (i == 3) {
        manifest += "    prefix: ez_\n";
      } else if (i == 5) {
        manifest += "    enabled: false\n    mnet: 0\n";
      } else if (i == 9) {
        // Another password than the others: import gives it its own variable.
        manifest += "    db_password: {env: VMOODLE_SANDBOX_PASSWORD}\n";
      } else if (i == 11) {
        manifest += "    name: \"Lycée « Kléber » : #1 {lone\"\n"
                    "    description: \"it's \\\"quoted\\\"\\nand on two lines\"\n";
      }
    }
    const auto path = s_ws->write_manifest(manifest, "created.yaml");
    auto apply = s_ws->cli({"apply", "-f", path, "--auto-approve"});
    if (apply.exit_code != 0) {
      throw std::runtime_error("creating the fleet failed: " + apply.out + apply.err);
    }
    s_base = s_ws->write_manifest(s_ws->manifest_head() + "hosts: []\n", "base.yaml");
  }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  // The CLI with the hosts' passwords under the variables import chose.
  static RunResult cli(std::vector<std::string> args,
                       std::map<std::string, std::string> env = default_passwords()) {
    args.insert(args.begin(), VMOODLE_APPLY_BINARY);
    env[k_sandbox_password_env] = s_ws->sandbox().password();
    return run_command(args, env);
  }

  static std::map<std::string, std::string> default_passwords() {
    return {{"MOODLE_DB_PASSWORD", FleetWorkspace::k_host_password},
            {"MOODLE_DB_PASSWORD_S09", s_ws->sandbox().password()}};
  }

  static void expect_no_changes(const std::string& manifest_path) {
    auto plan = cli({"plan", "-f", manifest_path, "--detailed-exitcode"});
    EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
    EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;
    EXPECT_EQ(plan.out.find("Unmanaged"), std::string::npos) << plan.out;
  }

  static FleetWorkspace* s_ws;
  static std::string s_base;
};

FleetWorkspace* ImportTest::s_ws = nullptr;
std::string ImportTest::s_base;

TEST_F(ImportTest, TheRegistryBecomesAManifestThatPlansNoChanges) {
  platform::PosixFileSystem files;
  db::MysqlConnector connector;
  platform::EnvSecretSource secrets;
  auto base = manifest::load_file(files, s_base);
  ASSERT_TRUE(base) << base.error().render();
  auto live = live::refresh(*base, {connector, files, secrets});
  ASSERT_TRUE(live) << live.error().render();
  ASSERT_EQ(live->registry.size(), std::size_t{k_hosts});

  auto imported = importer::manifest_from_registry(live->registry, *base, {});
  ASSERT_TRUE(imported) << imported.error().render();
  EXPECT_EQ(imported->hosts, std::size_t{k_hosts});
  EXPECT_TRUE(imported->skipped.empty()) << imported->skipped.front().reason;
  const auto& yaml = imported->yaml;
  EXPECT_NE(yaml.find("  database: \"e2eimport_{shortname}\"\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("  dataroot: \"" + s_ws->moodledata() + "/vhosts/{shortname}\"\n"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("  db_password: {env: MOODLE_DB_PASSWORD}\n"), std::string::npos);
  EXPECT_NE(yaml.find("    db_password: {env: MOODLE_DB_PASSWORD_S09}\n"), std::string::npos);
  EXPECT_EQ(yaml.find(FleetWorkspace::k_host_password), std::string::npos);
  EXPECT_EQ(yaml.find(s_ws->sandbox().password()), std::string::npos);

  expect_no_changes(s_ws->write_manifest(yaml, "imported-lib.yaml"));
}

TEST_F(ImportTest, ImportFromRegistryThroughTheCli) {
  auto imported = cli({"import", "--from-registry", "-f", s_base});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.err.find(fmt::format("Imported {} host(s).", k_hosts)), std::string::npos)
      << imported.err;
  EXPECT_NE(imported.err.find("MOODLE_DB_PASSWORD_S09 (1 host(s))"), std::string::npos)
      << imported.err;
  EXPECT_NE(imported.out.find("# Passwords are not in this file: the registry (column vdbpass)"),
            std::string::npos)
      << imported.out;
  expect_no_changes(s_ws->write_manifest(imported.out, "imported.yaml"));

  // Without the variables the manifest says which one is missing, never a value.
  auto missing = cli({"plan", "-f", s_ws->dir() + "/imported.yaml"}, {});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("MOODLE_DB_PASSWORD"), std::string::npos) << missing.err;
}

TEST_F(ImportTest, ImportNeedsASource) {
  auto neither = cli({"import", "-f", s_base});
  EXPECT_EQ(neither.exit_code, 1);
  EXPECT_NE(neither.err.find("--from-registry or --from-csv FILE"), std::string::npos)
      << neither.err;
  auto both = cli({"import", "-f", s_base, "--from-registry", "--from-csv", "x.csv"});
  EXPECT_EQ(both.exit_code, 1);
}

TEST_F(ImportTest, ANodeListBecomesHostsToCreateFromTheirTemplate) {
  const std::string csv =
      "# VMoodle nodelist\n"
      "vhostname;vtemplate;name;shortname;vdblogin;vdbpass;vdbname;vdatapath;mnet\n"
      "https://n1.example.org;base;New one&#44 first;n1;moodle;csv-pass;e2eimport_n1;" +
      s_ws->moodledata() + "/vhosts/n1;-1\n" +
      "https://n2.example.org;base;New two;n2;moodle;csv-pass;e2eimport_n2;" + s_ws->moodledata() +
      "/vhosts/n2;NEW\n";
  const auto csv_path = s_ws->write_manifest(csv, "nodes.csv");
  auto imported = cli({"import", "--from-csv", csv_path, "-f", s_base});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.out.find("csv-pass"), std::string::npos);
  const auto path = s_ws->write_manifest(imported.out, "from-csv.yaml");
  auto plan =
      cli({"plan", "-f", path, "--detailed-exitcode"}, {{"MOODLE_DB_PASSWORD", "csv-pass"}});
  EXPECT_EQ(plan.exit_code, 2) << plan.out << plan.err;
  EXPECT_NE(plan.out.find("Plan: 2 to create, 0 to update"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("will be created from template base"), std::string::npos);
  EXPECT_NE(plan.out.find("\"New one; first\""), std::string::npos) << plan.out;

  auto bad = cli({"import", "--from-csv", s_ws->write_manifest("vhostname;name\nx;y\n", "bad.csv"),
                  "-f", s_base});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("bad.csv:1: shortname: required column `shortname` is missing"),
            std::string::npos)
      << bad.err;
}

} // namespace
} // namespace vmoodle::testing
