// End to end: the built binary against a real MariaDB, as an operator runs it.
#include <filesystem>

#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"
#include "vmoodle/sql/fixup.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

class CreateUpdateTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() { s_ws = new FleetWorkspace("e2ecreate"); }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  static std::string three_hosts(const std::string& second_name = "Collège Ézanville",
                                 bool second_enabled = true) {
    return s_ws->manifest_head() +
           "hosts:\n"
           "  - vhostname: https://kleber.example.org\n"
           "    shortname: kleber\n"
           "    name: \"Lycée Kléber\"\n"
           "    description: \"Strasbourg's lycée — it's 🏫\"\n"
           "  - vhostname: https://ezanville.example.org\n"
           "    shortname: ezanville\n"
           "    name: \"" +
           second_name +
           "\"\n"
           "    enabled: " +
           (second_enabled ? "true" : "false") +
           "\n"
           "    prefix: ez_\n"
           "  - vhostname: https://mnet.example.org\n"
           "    shortname: mnet\n"
           "    name: Réseau\n"
           "    mnet: 0\n";
  }

  static FleetWorkspace* s_ws;
};

FleetWorkspace* CreateUpdateTest::s_ws = nullptr;

TEST_F(CreateUpdateTest, CreatesThreeHostsThenConverges) {
  auto& ws = *s_ws;
  const auto manifest = ws.write_manifest(three_hosts());

  auto plan = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  ASSERT_EQ(plan.exit_code, 2) << all_output(plan);
  EXPECT_NE(plan.out.find("Plan: 3 to create, 0 to update"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("+ host \"https://kleber.example.org\""), std::string::npos);

  auto apply = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << all_output(apply);
  EXPECT_NE(apply.out.find("https://kleber.example.org: registry done"), std::string::npos)
      << apply.out;

  // Every table not touched by the fix-up equals the template's, loaded by the stock client.
  ws.load_reference("base", ws.db("reference"));
  const auto reference = ws.checksums(ws.db("reference"));
  ASSERT_GT(reference.size(), 20u);
  struct Expect {
    std::string shortname, prefix;
  };
  for (const Expect& host :
       {Expect{"kleber", "mdl_"}, Expect{"ezanville", "ez_"}, Expect{"mnet", "mdl_"}}) {
    const auto created = ws.checksums(ws.db(host.shortname));
    ASSERT_EQ(created.size(), reference.size()) << host.shortname;
    const auto changed = sql::fixup_changed_tables("mdl_");
    for (const auto& [table, sum] : reference) {
      const std::string renamed = host.prefix + table.substr(4);
      ASSERT_TRUE(created.count(renamed)) << renamed;
      if (std::find(changed.begin(), changed.end(), table) == changed.end()) {
        EXPECT_EQ(created.at(renamed), sum) << host.shortname << " " << renamed;
      }
    }
    // The template's files are all there, and the creation marker is gone.
    const fs::path root = ws.moodledata() + "/vhosts/" + host.shortname;
    const fs::path tpl = ws.moodledata() + "/vmoodle/base_vmoodledata";
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(tpl)) {
      if (entry.is_regular_file()) {
        ++files;
        const auto copy = root / fs::relative(entry.path(), tpl);
        EXPECT_TRUE(fs::exists(copy)) << copy;
        EXPECT_EQ(fs::file_size(copy), entry.file_size()) << copy;
      }
    }
    EXPECT_GT(files, 5u);
    EXPECT_FALSE(fs::exists(root / ".vmoodle-apply-creating"));
  }

  // Data that merely contains the prefix text survives the prefix rewrite.
  auto data = ws.rows("SELECT COUNT(*) FROM `" + ws.db("ezanville") +
                      "`.`ez_config` WHERE value LIKE '%mdl\\_course%'");
  EXPECT_EQ(data, (std::vector<std::string>{"1"}));

  // The fix-up made each site its own.
  EXPECT_EQ(ws.rows("SELECT fullname, shortname, summary FROM `" + ws.db("kleber") +
                    "`.`mdl_course` WHERE id = 1"),
            (std::vector<std::string>{"Lycée Kléber|kleber|Strasbourg's lycée — it's 🏫"}));
  EXPECT_EQ(ws.rows("SELECT value FROM `" + ws.db("kleber") +
                    "`.`mdl_config` WHERE name = 'sessioncookie'"),
            (std::vector<std::string>{"kleber"}));
  EXPECT_EQ(ws.rows("SELECT id, wwwroot FROM `" + ws.db("kleber") +
                    "`.`mdl_mnet_host` WHERE wwwroot = 'https://kleber.example.org'"),
            (std::vector<std::string>{"1|https://kleber.example.org"}));
  EXPECT_EQ(ws.rows("SELECT value FROM `" + ws.db("kleber") +
                    "`.`mdl_config` WHERE name = 'mnet_dispatcher_mode'"),
            (std::vector<std::string>{"off"}));
  EXPECT_EQ(ws.rows("SELECT value FROM `" + ws.db("mnet") +
                    "`.`mdl_config` WHERE name = 'mnet_dispatcher_mode'"),
            (std::vector<std::string>{"strict"}));
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.db("mnet") +
                    "`.`mdl_mnet_host` WHERE wwwroot = 'https://moodle.example.org'"),
            (std::vector<std::string>{"1"}));

  // Registry rows: every column as declared.
  EXPECT_EQ(
      ws.rows("SELECT name, shortname, description, vhostname, vdbtype, vdbhost, vdblogin, "
              "vdbpass, vdbname, vdbprefix, vdbpersist, vdatapath, mnet, enabled FROM `" +
              ws.master_db() + "`.`mdl_local_vmoodle` ORDER BY shortname"),
      (std::vector<std::string>{
          "Collège Ézanville|ezanville||https://ezanville.example.org|mariadb|db.internal|"
          "moodle|h0st-Secret-Value|" +
              ws.db("ezanville") + "|ez_|0|" + ws.moodledata() + "/vhosts/ezanville|-1|1",
          "Lycée Kléber|kleber|Strasbourg's lycée — it's 🏫|https://kleber.example.org|mariadb|"
          "db.internal|moodle|h0st-Secret-Value|" +
              ws.db("kleber") + "|mdl_|0|" + ws.moodledata() + "/vhosts/kleber|-1|1",
          "Réseau|mnet||https://mnet.example.org|mariadb|db.internal|moodle|h0st-Secret-Value|" +
              ws.db("mnet") + "|mdl_|0|" + ws.moodledata() + "/vhosts/mnet|0|1"}));

  auto again = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << all_output(again);
  EXPECT_NE(again.out.find("No changes."), std::string::npos);

  // Then: name and enabled of one host change, and nothing else does.
  const auto before =
      ws.rows("SELECT * FROM `" + ws.master_db() + "`.`mdl_local_vmoodle` ORDER BY shortname");
  const auto edited = ws.write_manifest(three_hosts("Collège Renamed", false));
  auto update_plan = ws.cli({"plan", "-f", edited, "--detailed-exitcode", "--format", "json"});
  ASSERT_EQ(update_plan.exit_code, 2) << all_output(update_plan);
  EXPECT_NE(update_plan.out.find("\"action\": \"update\""), std::string::npos);
  auto text_plan = ws.cli({"plan", "-f", edited});
  EXPECT_NE(text_plan.out.find("~ name    = \"Collège Ézanville\" -> \"Collège Renamed\""),
            std::string::npos)
      << text_plan.out;
  EXPECT_NE(text_plan.out.find("~ enabled = \"1\" -> \"0\""), std::string::npos);
  EXPECT_NE(text_plan.out.find("Plan: 0 to create, 1 to update"), std::string::npos);

  auto update = ws.cli({"apply", "-f", edited, "--auto-approve"});
  ASSERT_EQ(update.exit_code, 0) << all_output(update);
  const auto after =
      ws.rows("SELECT * FROM `" + ws.master_db() + "`.`mdl_local_vmoodle` ORDER BY shortname");
  ASSERT_EQ(after.size(), before.size());
  // Sorted by shortname: ezanville (edited), kleber, mnet.
  EXPECT_EQ(after[1], before[1]);
  EXPECT_EQ(after[2], before[2]);
  std::string expected = before[0];
  expected.replace(expected.find("Collège Ézanville"), std::string("Collège Ézanville").size(),
                   "Collège Renamed");
  // `enabled` is the 15th column of SELECT *, after mnet.
  auto field_start = [](const std::string& row, int index) {
    std::size_t pos = 0;
    for (int i = 0; i < index; ++i) {
      pos = row.find('|', pos) + 1;
    }
    return pos;
  };
  const auto enabled_at = field_start(expected, 14);
  expected.replace(enabled_at, 1, "0");
  EXPECT_EQ(after[0], expected);

  auto converged = ws.cli({"plan", "-f", edited, "--detailed-exitcode"});
  EXPECT_EQ(converged.exit_code, 0) << all_output(converged);

  // No secret from the environment in anything the tool printed.
  for (const auto* run : {&plan, &apply, &again, &update_plan, &text_plan, &update, &converged}) {
    EXPECT_EQ(all_output(*run).find(FleetWorkspace::k_host_password), std::string::npos);
    EXPECT_EQ(all_output(*run).find(ws.sandbox().password()), std::string::npos);
  }
}

TEST_F(CreateUpdateTest, ApplyRefusesToPromptWithoutATerminal) {
  auto& ws = *s_ws;
  const auto manifest =
      ws.write_manifest(ws.manifest_head() + "hosts:\n  - vhostname: https://prompt.example.org\n"
                                             "    shortname: prompt\n",
                        "prompt.yaml");
  auto apply = ws.cli({"apply", "-f", manifest});
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE(apply.err.find("stdin is not a terminal"), std::string::npos) << apply.err;
  EXPECT_TRUE(ws.rows("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" +
                      ws.db("prompt") + "'")
                  .empty());
}

TEST_F(CreateUpdateTest, UnknownHostIsAnError) {
  auto& ws = *s_ws;
  const auto manifest = ws.write_manifest(three_hosts(), "unknown.yaml");
  auto plan = ws.cli({"plan", "-f", manifest, "--host", "https://nope.example.org"});
  EXPECT_EQ(plan.exit_code, 1);
  EXPECT_NE(plan.err.find("unknown host https://nope.example.org"), std::string::npos) << plan.err;
}

} // namespace
} // namespace vmoodle::testing
