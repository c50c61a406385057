#include "vmoodle/apply/configure_host.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/fake_connection.hpp"
#include "tests/fakes/fake_effects.hpp"
#include "tests/fakes/fake_world.hpp"
#include "tests/fakes/memory_file_system.hpp"
#include "tests/fakes/sample_fleet.hpp"

namespace vmoodle::apply {
namespace {

using namespace vmoodle::testing;

constexpr const char* k_theme_read = "FROM `vmdl_h1`.`mdl_config` WHERE name = 'theme' FOR UPDATE";
constexpr const char* k_lang_read = "FROM `vmdl_h1`.`mdl_config` WHERE name = 'lang' FOR UPDATE";

db::ResultSet value(const std::string& text) {
  return {{"value"}, {{text}}};
}

class ConfigureHostTest : public ::testing::Test, public vmoodle::testing::FakeWorld {
protected:
  void SetUp() override {
    fleet = sample_fleet(1);
    live = empty_live();
    secrets.values = {{"DB1_PASSWORD", "admin-pw"}};
    files.add_file(std::string(k_h1_dataroot) + "/cache/cachestore_file/default/config.cache", "x");
    files.add_file(std::string(k_h1_dataroot) + "/localcache/theme/1/boost/css/all.css", "css");
    files.add_file(std::string(k_h1_dataroot) + "/filedir/ab/cd/abcd", "keep");
    files.add_file(std::string(k_h1_dataroot) + "/muc/config.php", "keep");
    change.vhostname = "https://h1.example.org";
    change.action = plan::Action::configure;
    change.server = "db1";
    change.database = "vmdl_h1";
    change.dataroot = k_h1_dataroot;
    change.settings = {{"", "theme", "classic", "boost"},
                       {"", "lang", std::nullopt, "fr"},
                       {"mod_forum", "maxbytes", "0", "it's"}};
  }

  Status run() {
    ActionContext ctx{fleet, live, effects()};
    return configure_host(change, ctx);
  }

  std::vector<std::string> writes() const {
    std::vector<std::string> out;
    for (const auto& [server, sql] : db.log) {
      if (sql.rfind("UPDATE", 0) == 0 || sql.rfind("INSERT", 0) == 0 ||
          sql.rfind("DELETE", 0) == 0) {
        out.push_back(sql);
      }
    }
    return out;
  }

  model::Fleet fleet;
  model::LiveState live;
  plan::HostChange change;
};

TEST(SettingStatements, UpdateInsertOrNothing) {
  const plan::SettingChange theme{"", "theme", "classic", "boost"};
  EXPECT_EQ(setting_statements("db", "mdl_", theme, std::string("classic")),
            std::vector<std::string>{
                "UPDATE `db`.`mdl_config` SET value = 'boost' WHERE name = 'theme'"});
  EXPECT_EQ(setting_statements("db", "mdl_", theme, std::nullopt),
            std::vector<std::string>{
                "INSERT INTO `db`.`mdl_config` (name, value) VALUES ('theme', 'boost')"});
  EXPECT_TRUE(setting_statements("db", "mdl_", theme, std::string("boost")).empty());
  const plan::SettingChange quote{"mod_x", "a'b", std::nullopt, "c\\'d"};
  EXPECT_EQ(setting_statements("db", "p_", quote, std::nullopt),
            std::vector<std::string>{"INSERT INTO `db`.`p_config_plugins` (plugin, name, value) "
                                     "VALUES ('mod_x', 'a\\'b', 'c\\\\\\'d')"});
  EXPECT_EQ(setting_statements("db", "p_", quote, std::string("")),
            std::vector<std::string>{"UPDATE `db`.`p_config_plugins` SET value = 'c\\\\\\'d' "
                                     "WHERE plugin = 'mod_x' AND name = 'a\\'b'"});
}

TEST_F(ConfigureHostTest, WritesOnlyWhatStillDiffersInOneTransaction) {
  db.answer(k_theme_read, value("classic"));
  db.answer("WHERE plugin = 'mod_forum' AND name = 'maxbytes' FOR UPDATE", value("it's"));
  ASSERT_TRUE(run()) << reporter.errors.front();
  EXPECT_EQ(writes(), (std::vector<std::string>{
                          "UPDATE `vmdl_h1`.`mdl_config` SET value = 'boost' WHERE name = 'theme'",
                          "INSERT INTO `vmdl_h1`.`mdl_config` (name, value) VALUES ('lang', 'fr')",
                      }));
  ASSERT_GE(db.log.size(), 2u);
  EXPECT_EQ(db.log.front().second, "START TRANSACTION");
  EXPECT_EQ(db.log.back().second, "COMMIT");
  EXPECT_EQ(reporter.events,
            (std::vector<std::string>{"https://h1.example.org|settings|done",
                                      "https://h1.example.org|purge caches|done"}));
}

TEST_F(ConfigureHostTest, PurgeEmptiesTheCacheFoldersOnly) {
  ASSERT_TRUE(run());
  EXPECT_FALSE(files.has(std::string(k_h1_dataroot) + "/cache/cachestore_file"));
  EXPECT_FALSE(files.has(std::string(k_h1_dataroot) + "/localcache/theme"));
  EXPECT_TRUE(files.has(std::string(k_h1_dataroot) + "/cache"));
  EXPECT_TRUE(files.has(std::string(k_h1_dataroot) + "/localcache"));
  EXPECT_TRUE(files.has(std::string(k_h1_dataroot) + "/filedir/ab/cd/abcd"));
  EXPECT_TRUE(files.has(std::string(k_h1_dataroot) + "/muc/config.php"));
}

TEST_F(ConfigureHostTest, NothingWrittenMeansNoPurge) {
  db.answer(k_theme_read, value("boost"));
  db.answer(k_lang_read, value("fr"));
  db.answer("WHERE plugin = 'mod_forum' AND name = 'maxbytes' FOR UPDATE", value("it's"));
  ASSERT_TRUE(run());
  EXPECT_TRUE(writes().empty());
  EXPECT_TRUE(
      files.has(std::string(k_h1_dataroot) + "/cache/cachestore_file/default/config.cache"));
  EXPECT_EQ(reporter.events, std::vector<std::string>{"https://h1.example.org|settings|done"});
}

TEST_F(ConfigureHostTest, AFailedWriteRollsBackAndNamesTheKey) {
  db.answer(k_theme_read, value("classic"));
  db.failing.push_back("INSERT INTO `vmdl_h1`.`mdl_config`");
  auto status = run();
  ASSERT_FALSE(status);
  EXPECT_EQ(db.log.back().second, "ROLLBACK");
  EXPECT_EQ(db.statements_matching("COMMIT").size(), 0u);
  const std::string rendered = status.error().render();
  EXPECT_NE(rendered.find("config.lang"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("https://h1.example.org (settings)"), std::string::npos) << rendered;
  EXPECT_TRUE(
      files.has(std::string(k_h1_dataroot) + "/cache/cachestore_file/default/config.cache"));
}

TEST_F(ConfigureHostTest, SymlinkedCacheFolderIsNotFollowed) {
  files.add_file("/elsewhere/precious", "data");
  files.remove_file(std::string(k_h1_dataroot) + "/localcache/theme/1/boost/css/all.css");
  files.add_symlink(std::string(k_h1_dataroot) + "/localcache/link", "/elsewhere");
  ASSERT_TRUE(run());
  EXPECT_TRUE(files.has("/elsewhere/precious"));
  EXPECT_FALSE(files.has(std::string(k_h1_dataroot) + "/localcache/link"));
}

} // namespace
} // namespace vmoodle::apply
