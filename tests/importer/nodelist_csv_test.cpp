#include "vmoodle/importer/nodelist_csv.hpp"

#include <gtest/gtest.h>

#include "tests/importer/import_test_util.hpp"

namespace vmoodle::importer {
namespace {

const std::string k_header = "vhostname;vtemplate;name;shortname;description;vdbtype;vdbhost;"
                             "vdblogin;vdbpass;vdbname;vdbpersist;vdbprefix;vdatapath;mnet;"
                             "services\n";

std::vector<std::string> messages(const Error& error) {
  std::vector<std::string> out;
  for (const auto& cause : error.causes) {
    out.push_back(cause.where + ": " + cause.message);
  }
  return out;
}

TEST(NodelistCsv, ReadsVMoodlesFormatWithItsDefaults) {
  const std::string text =
      "\xEF\xBB\xBF# nodes for the 2024 rollout\r\n"
      "\r\n" +
      k_header +
      "/ a comment\n"
      "https://kleber.example.org;base45;Lycée Kléber&#44 Strasbourg;kleber;;;;moodle;pw1;vmdl_"
      "kleber;;;/var/moodledata/vhosts/kleber;;default\r\n"
      " indented lines are skipped too\n"
      "(skipped\n"
      "[skipped\n"
      "-skipped\n"
      "https://annexe.example.org ; base45 ; Annexe ; annexe ; An annexe ; mysqli ; db2.internal ; "
      "moodle ; pw2 ; vmdl_annexe ; 1 ; ax_ ; /var/moodledata/vhosts/annexe ; NEW ; default\n";
  auto list = parse_nodelist_csv(text, "nodes.csv");
  ASSERT_TRUE(list) << list.error().render();
  ASSERT_EQ(list->nodes.size(), 2u);
  const auto& kleber = list->nodes[0];
  EXPECT_EQ(kleber.line, 5);
  EXPECT_EQ(kleber.name, "Lycée Kléber; Strasbourg");
  EXPECT_EQ(kleber.vtemplate, "base45");
  EXPECT_EQ(kleber.vdbtype, "mariadb");
  EXPECT_EQ(kleber.vdbprefix, "mdl_");
  EXPECT_EQ(kleber.vdbhost, "");
  EXPECT_EQ(kleber.mnet, (model::Mnet{false, 1})) << "VMoodle's default mnet is 1";
  EXPECT_TRUE(kleber.enabled);
  EXPECT_FALSE(kleber.vdbpersist);
  EXPECT_EQ(kleber.vdbpass.reveal(), "pw1");
  const auto& annexe = list->nodes[1];
  EXPECT_EQ(annexe.line, 10);
  EXPECT_EQ(annexe.vhostname, "https://annexe.example.org");
  EXPECT_EQ(annexe.description, "An annexe");
  EXPECT_EQ(annexe.vdbtype, "mysqli");
  EXPECT_EQ(annexe.vdbhost, "db2.internal");
  EXPECT_TRUE(annexe.vdbpersist);
  EXPECT_EQ(annexe.vdbprefix, "ax_");
  EXPECT_TRUE(annexe.mnet.allocate_new);
  ASSERT_EQ(list->warnings.size(), 1u);
  EXPECT_NE(list->warnings[0].find("nodes.csv:3: services: column `services` is not imported"),
            std::string::npos)
      << list->warnings[0];
}

TEST(NodelistCsv, ReportsEveryProblemWithItsLine) {
  const std::string text =
      "vhostname;name;shortname;vdatapath;vdbname;vdbpass;colour;config_theme\n"
      "https://a.example.org;A;a;/v/a;vmdl_a;pw\n";
  auto list = parse_nodelist_csv(text, "nodes.csv");
  ASSERT_FALSE(list);
  const auto all = messages(list.error());
  ASSERT_EQ(all.size(), 2u) << list.error().render();
  EXPECT_EQ(all[0], "nodes.csv:1: colour: unknown column `colour`");
  EXPECT_EQ(all[1], "nodes.csv:1: vdblogin: required column `vdblogin` is missing");

  const std::string rows = "vhostname;name;shortname;vdatapath;vdbname;vdblogin;vdbpass;mnet;"
                           "enabled\n"
                           "https://a.example.org;A;a;/v/a;vmdl_a;moodle;secret-pw;-2;1\n"
                           "https://b.example.org;B;b;/v/b;vmdl_b;moodle;;0;yes\n"
                           "https://c.example.org;C;c;/v/c\n";
  auto bad = parse_nodelist_csv(rows, "nodes.csv");
  ASSERT_FALSE(bad);
  const auto found = messages(bad.error());
  ASSERT_EQ(found.size(), 4u) << bad.error().render();
  EXPECT_EQ(found[0], "nodes.csv:2: mnet: mnet `-2` is not -1, 0, a sub-network number or NEW");
  EXPECT_EQ(found[1], "nodes.csv:3: vdbpass: empty vdbpass");
  EXPECT_EQ(found[2], "nodes.csv:3: enabled: enabled `yes` is not 0 or 1");
  EXPECT_EQ(found[3], "nodes.csv:4: 4 value(s) for 9 column(s)");
  EXPECT_EQ(bad.error().render().find("secret-pw"), std::string::npos);
}

TEST(NodelistCsv, PerHostSettingColumnsAreReadButNotImported) {
  const std::string text = "vhostname;name;shortname;vdatapath;vdbname;vdblogin;vdbpass;"
                           "vdbpersist;config_theme;auth_cas|host;forcedns\n"
                           "https://a.example.org;A;a;/v/a;vmdl_a;moodle;pw;0;boost;cas;1\n";
  auto list = parse_nodelist_csv(text, "nodes.csv");
  ASSERT_TRUE(list) << list.error().render();
  ASSERT_EQ(list->warnings.size(), 3u);
  EXPECT_NE(list->warnings[0].find("config_theme"), std::string::npos);
  EXPECT_NE(list->warnings[1].find("auth_cas|host"), std::string::npos);
  EXPECT_NE(list->warnings[2].find("forcedns"), std::string::npos);
}

TEST(NodelistCsv, AFileWithoutHeaderIsAnError) {
  auto list = parse_nodelist_csv("# only comments\n\n", "nodes.csv");
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().render().find("no header line"), std::string::npos);
}

TEST(NodelistImport, MakesAManifestWithTemplatesAndMappedServers) {
  std::string text = k_header;
  for (const char* name : {"a", "b", "c"}) {
    text += std::string("https://") + name + ".example.org;base45;School " + name + ";" + name +
            ";;;;moodle;pw;vmdl_" + name + ";0;;/var/moodledata/vhosts/" + name + ";-1;\n";
  }
  text += "https://d.example.org;;D;d;;;db2.internal;moodle;pw-d-unique;vmdl_d;0;;/srv/other/d;;\n";
  auto list = parse_nodelist_csv(text, "nodes.csv");
  ASSERT_TRUE(list) << list.error().render();
  auto imported = manifest_from_nodelist(*list, testing::import_base(), {});
  ASSERT_TRUE(imported) << imported.error().render();
  const auto& yaml = imported->yaml;
  EXPECT_NE(yaml.find("from nodes.csv (VMoodle's bulkcreatenodes format): 4 host(s)"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("nodes.csv (column vdbpass) holds them"), std::string::npos);
  EXPECT_EQ(yaml.find("pw-d-unique"), std::string::npos) << "no password in the output";
  auto fleet = manifest::load(yaml, "x.yaml");
  ASSERT_TRUE(fleet) << fleet.error().render() << yaml;
  ASSERT_EQ(fleet->hosts.size(), 4u);
  EXPECT_EQ(fleet->hosts[0].template_name.value_or(""), "base45");
  EXPECT_FALSE(fleet->hosts[3].template_name.has_value());
  EXPECT_EQ(fleet->hosts[3].server, "db2");
  EXPECT_EQ(fleet->hosts[3].mnet, (model::Mnet{false, 1}));
  EXPECT_EQ(fleet->hosts[0].mnet, (model::Mnet{false, -1}));
  EXPECT_EQ(fleet->hosts[3].db_password->name, "MOODLE_DB_PASSWORD_D");
  ASSERT_FALSE(imported->warnings.empty());
  EXPECT_NE(imported->warnings.back().find("nodes.csv:5: vtemplate: no vtemplate"),
            std::string::npos)
      << imported->warnings.back();
}

TEST(NodelistImport, NodesTheManifestCannotHoldAreErrorsAtTheirLine) {
  std::string text = k_header;
  text += "https://a.example.org;base45;A;a;;;;moodle;pw;vmdl_a;0;;/var/moodledata/vhosts/a;;\n";
  text += "https://b.example.org/;base45;B;b;;;;moodle;pw;vmdl_b;0;;/var/moodledata/vhosts/b;;\n";
  text += "https://c.example.org;base45;C;c;;;db9;moodle;pw;vmdl_c;0;;/var/moodledata/vhosts/c;;\n";
  text += "https://e.example.org;base45;E;e;;;;moodle;pw;vmdl-e;0;;/var/moodledata/vhosts/e;;\n";
  auto list = parse_nodelist_csv(text, "nodes.csv");
  ASSERT_TRUE(list) << list.error().render();
  auto unknown_server = manifest_from_nodelist(*list, testing::import_base(), {});
  ASSERT_FALSE(unknown_server);
  const auto first = messages(unknown_server.error());
  ASSERT_EQ(first.size(), 1u) << unknown_server.error().render();
  EXPECT_NE(first[0].find("nodes.csv:4: vdbhost: vdbhost `db9`"), std::string::npos) << first[0];

  list->nodes.erase(list->nodes.begin() + 2);
  auto invalid = manifest_from_nodelist(*list, testing::import_base(), {});
  ASSERT_FALSE(invalid);
  const auto all = messages(invalid.error());
  ASSERT_EQ(all.size(), 2u) << invalid.error().render();
  EXPECT_NE(all[0].find("nodes.csv:3: vhostname:"), std::string::npos) << all[0];
  EXPECT_NE(all[1].find("nodes.csv:5: database:"), std::string::npos) << all[1];
}

} // namespace
} // namespace vmoodle::importer
