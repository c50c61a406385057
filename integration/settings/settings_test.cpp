// Site settings end to end: the built binary against host databases on a real MariaDB.
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

class SettingsTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() { s_ws = new FleetWorkspace("e2esettings"); }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  // Two hosts sharing the defaults' settings; kleber overrides some and adds its own.
  static std::string manifest(const std::string& kleber_extra = "",
                              const std::string& defaults_extra = "") {
    return s_ws->manifest_head() + defaults_extra +
           "  config:\n"
           "    theme: classic\n"
           "    forcelogin: true\n"
           "    sessiontimeout: 3600\n"
           "  config_plugins:\n"
           "    mod_forum: {maxbytes: 512000}\n"
           "    theme_boost: {brandcolor: '#e30613'}\n"
           "hosts:\n"
           "  - vhostname: https://kleber.example.org\n"
           "    shortname: kleber\n"
           "    config:\n"
           "      theme: boost\n"
           "      supportname: \"Assistance — l'académie\"\n"
           "    config_plugins:\n"
           "      auth_cas: {port: 8443}\n" +
           kleber_extra +
           "  - vhostname: https://pasteur.example.org\n"
           "    shortname: pasteur\n";
  }

  static std::string value(const std::string& shortname, const std::string& name) {
    auto rows = s_ws->rows("SELECT value FROM `" + s_ws->db(shortname) +
                           "`.`mdl_config` WHERE name = '" + name + "'");
    return rows.empty() ? "(absent)" : rows.front();
  }
  static std::string plugin_value(const std::string& shortname, const std::string& plugin,
                                  const std::string& name) {
    auto rows = s_ws->rows("SELECT value FROM `" + s_ws->db(shortname) +
                           "`.`mdl_config_plugins` WHERE plugin = '" + plugin + "' AND name = '" +
                           name + "'");
    return rows.empty() ? "(absent)" : rows.front();
  }
  // Every row of both settings tables, to compare before and after an apply.
  static std::vector<std::string> all_settings(const std::string& shortname) {
    auto rows = s_ws->rows("SELECT id, name, value FROM `" + s_ws->db(shortname) +
                           "`.`mdl_config` ORDER BY id");
    auto plugins = s_ws->rows("SELECT id, plugin, name, value FROM `" + s_ws->db(shortname) +
                              "`.`mdl_config_plugins` ORDER BY id");
    rows.insert(rows.end(), plugins.begin(), plugins.end());
    return rows;
  }
  static void converge(const std::string& path) {
    auto apply = s_ws->cli({"apply", "-f", path, "--auto-approve"});
    ASSERT_EQ(apply.exit_code, 0) << all_output(apply);
    auto again = s_ws->cli({"plan", "-f", path, "--detailed-exitcode"});
    ASSERT_EQ(again.exit_code, 0) << all_output(again);
    EXPECT_NE(again.out.find("No changes."), std::string::npos) << again.out;
  }

  static FleetWorkspace* s_ws;
};

FleetWorkspace* SettingsTest::s_ws = nullptr;

TEST_F(SettingsTest, CreateThenDriftPlannedAndAppliedPerKey) {
  auto& ws = *s_ws;
  const auto path = ws.write_manifest(manifest());

  // Hosts to create: each key listed as a set, after the create.
  auto plan = ws.cli({"plan", "-f", path, "--detailed-exitcode"});
  ASSERT_EQ(plan.exit_code, 2) << all_output(plan);
  EXPECT_NE(plan.out.find("Plan: 2 to create, 0 to update, 2 to configure"), std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("(after create https://kleber.example.org)"), std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("+ config.theme = \"boost\""), std::string::npos) << plan.out;

  converge(path);
  // The template's values were replaced where the manifest says so, added where absent.
  EXPECT_EQ(value("kleber", "theme"), "boost");
  EXPECT_EQ(value("pasteur", "theme"), "classic");
  EXPECT_EQ(value("kleber", "forcelogin"), "1");
  EXPECT_EQ(value("kleber", "sessiontimeout"), "3600");
  EXPECT_EQ(value("kleber", "supportname"), "Assistance — l'académie");
  EXPECT_EQ(value("pasteur", "supportname"), "Assistance de l’académie") << "template's, unmanaged";
  EXPECT_EQ(plugin_value("kleber", "mod_forum", "maxbytes"), "512000");
  EXPECT_EQ(plugin_value("kleber", "auth_cas", "port"), "8443");
  EXPECT_EQ(plugin_value("pasteur", "auth_cas", "port"), "443");
  EXPECT_EQ(plugin_value("pasteur", "theme_boost", "brandcolor"), "#e30613");

  // A hand edit of one managed key, and of one unmanaged key, on one host.
  {
    auto conn = ws.sandbox().connect();
    ASSERT_TRUE(conn->execute("UPDATE `" + ws.db("pasteur") +
                              "`.`mdl_config` SET value = 'boost' WHERE name = 'theme'"));
    ASSERT_TRUE(conn->execute("UPDATE `" + ws.db("pasteur") +
                              "`.`mdl_config` SET value = 'en' WHERE name = 'lang'"));
    ASSERT_TRUE(conn->execute("DELETE FROM `" + ws.db("pasteur") +
                              "`.`mdl_config_plugins` WHERE plugin = 'mod_forum' AND name = "
                              "'maxbytes'"));
  }
  const auto kleber_before = all_settings("kleber");
  auto pasteur_before = all_settings("pasteur");

  plan = ws.cli({"plan", "-f", path, "--detailed-exitcode"});
  ASSERT_EQ(plan.exit_code, 2) << all_output(plan);
  EXPECT_NE(plan.out.find("# https://pasteur.example.org site settings will be changed, caches "
                          "purged"),
            std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("      ~ config.theme = \"boost\" -> \"classic\"\n"), std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("      + config_plugins.mod_forum.maxbytes = \"512000\"\n"),
            std::string::npos)
      << plan.out;
  EXPECT_EQ(plan.out.find("lang"), std::string::npos) << "unmanaged key shown:\n" << plan.out;
  EXPECT_EQ(plan.out.find("kleber"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("Plan: 0 to create, 0 to update, 1 to configure, 0 to migrate"),
            std::string::npos)
      << plan.out;

  auto drift = ws.cli({"drift", "-f", path});
  EXPECT_EQ(drift.exit_code, 2) << all_output(drift);
  EXPECT_NE(drift.out.find("https://pasteur.example.org"), std::string::npos) << drift.out;
  EXPECT_NE(drift.out.find("config.theme: \"boost\" (live) != \"classic\" (manifest)"),
            std::string::npos)
      << drift.out;
  EXPECT_NE(drift.out.find("config_plugins.mod_forum.maxbytes: absent (live)"), std::string::npos)
      << drift.out;

  // A cache file in pasteur's dataroot, to see the purge.
  const std::string cache = ws.moodledata() + "/vhosts/pasteur/cache/cachestore_file/x.cache";
  fs::create_directories(fs::path(cache).parent_path());
  std::ofstream(cache) << "stale";
  const std::string kept = ws.moodledata() + "/vhosts/pasteur/filedir/keep";
  fs::create_directories(fs::path(kept).parent_path());
  std::ofstream(kept) << "data";

  auto apply = ws.cli({"apply", "-f", path, "--auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << all_output(apply);
  EXPECT_NE(apply.out.find("https://pasteur.example.org: settings done"), std::string::npos)
      << apply.out;
  EXPECT_NE(apply.out.find("https://pasteur.example.org: purge caches done"), std::string::npos)
      << apply.out;
  EXPECT_FALSE(fs::exists(cache));
  EXPECT_TRUE(fs::exists(ws.moodledata() + "/vhosts/pasteur/cache"));
  EXPECT_TRUE(fs::exists(kept));

  // Only those two keys moved: every other row of both hosts is as it was.
  EXPECT_EQ(all_settings("kleber"), kleber_before);
  const auto pasteur_after = all_settings("pasteur");
  ASSERT_EQ(pasteur_after.size(), pasteur_before.size() + 1) << "one row inserted";
  std::size_t differing = 0;
  for (std::size_t i = 0; i < pasteur_before.size(); ++i) {
    if (pasteur_before[i] != pasteur_after[i]) {
      ++differing;
      EXPECT_NE(pasteur_after[i].find("|theme|classic"), std::string::npos) << pasteur_after[i];
    }
  }
  EXPECT_EQ(differing, 1u);
  EXPECT_NE(pasteur_after.back().find("|mod_forum|maxbytes|512000"), std::string::npos);
  EXPECT_EQ(value("pasteur", "lang"), "en") << "unmanaged keys are never touched";

  plan = ws.cli({"plan", "-f", path, "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << all_output(plan);
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << plan.out;
  drift = ws.cli({"drift", "-f", path});
  EXPECT_EQ(drift.exit_code, 0) << all_output(drift);
}

TEST_F(SettingsTest, MaintenanceOnAndOff) {
  auto& ws = *s_ws;
  auto path = ws.write_manifest(manifest(), "maintenance.yaml");
  converge(path);
  EXPECT_EQ(value("kleber", "maintenance_enabled"), "0");

  path = ws.write_manifest(manifest("    maintenance: true\n"), "maintenance.yaml");
  auto plan = ws.cli({"plan", "-f", path});
  ASSERT_EQ(plan.exit_code, 0) << all_output(plan);
  EXPECT_NE(plan.out.find("~ config.maintenance_enabled = \"0\" -> \"1\""), std::string::npos)
      << plan.out;
  EXPECT_EQ(plan.out.find("pasteur"), std::string::npos) << plan.out;
  converge(path);
  EXPECT_EQ(value("kleber", "maintenance_enabled"), "1");
  EXPECT_EQ(value("pasteur", "maintenance_enabled"), "0");

  path = ws.write_manifest(manifest("    maintenance: false\n"), "maintenance.yaml");
  converge(path);
  EXPECT_EQ(value("kleber", "maintenance_enabled"), "0");

  // Both spellings of the flag at once are refused before anything is read.
  std::string text = manifest("    maintenance: true\n");
  text.insert(text.find("    theme: classic\n"), "    maintenance_enabled: 1\n");
  const auto both = ws.write_manifest(text, "both.yaml");
  auto refused = ws.cli({"validate", "-f", both});
  EXPECT_NE(refused.exit_code, 0) << all_output(refused);
  EXPECT_NE(all_output(refused).find("both set Moodle's maintenance flag"), std::string::npos)
      << all_output(refused);
}

TEST_F(SettingsTest, HandEditMakesASavedPlanStale) {
  auto& ws = *s_ws;
  const auto path = ws.write_manifest(manifest(), "stale.yaml");
  converge(path);
  {
    auto conn = ws.sandbox().connect();
    ASSERT_TRUE(conn->execute("UPDATE `" + ws.db("kleber") +
                              "`.`mdl_config` SET value = 'classic' WHERE name = 'theme'"));
  }
  const std::string saved = ws.dir() + "/settings.plan.json";
  auto plan = ws.cli({"plan", "-f", path, "--out", saved});
  ASSERT_EQ(plan.exit_code, 0) << all_output(plan);
  {
    auto conn = ws.sandbox().connect();
    ASSERT_TRUE(conn->execute("UPDATE `" + ws.db("kleber") +
                              "`.`mdl_config` SET value = 'other' WHERE name = 'theme'"));
  }
  auto apply = ws.cli({"apply", saved});
  EXPECT_NE(apply.exit_code, 0) << all_output(apply);
  EXPECT_NE(apply.err.find("https://kleber.example.org: live state moved since the plan: settings"),
            std::string::npos)
      << all_output(apply);
  EXPECT_EQ(value("kleber", "theme"), "other") << "a stale plan writes nothing";
  converge(path);
  EXPECT_EQ(value("kleber", "theme"), "boost");
}

} // namespace
} // namespace vmoodle::testing
