#include "vmoodle/live/settings_queries.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/fake_connection.hpp"

namespace vmoodle::live {
namespace {

using namespace vmoodle::testing;

model::DatabaseFacts moodle_db(const std::string& prefix = "mdl_") {
  model::DatabaseFacts db;
  db.exists = true;
  for (const char* table : {"config", "config_plugins", "course"}) {
    model::TableFacts facts;
    facts.name = prefix + table;
    db.tables.push_back(facts);
  }
  return db;
}

SettingsRequest request(const std::string& database) {
  SettingsRequest out{database, "mdl_", {}};
  out.settings.config = {{"theme", "boost"}, {"stringfilters", ""}};
  out.settings.plugins = {{{"mod_forum", "maxbytes"}, "512000"}};
  return out;
}

db::Row row(const std::string& db, const std::string& plugin, const std::string& name,
            const std::string& value) {
  return {db, plugin, name, value};
}

TEST(ReadSettings, OneStatementReadsOnlyTheNamedKeysOfEveryHost) {
  FakeDatabase fake;
  fake.answer("UNION ALL",
              {{"db", "plugin", "name", "value"},
               {row("vmdl_a", "", "THEME", "classic"), row("vmdl_a", "mod_forum", "maxbytes", "0"),
                // Asked for plugins × names: a pair not asked for is dropped.
                row("vmdl_a", "mod_forum", "theme", "x"), row("vmdl_b", "", "stringfilters", "")}});
  FakeConnection conn(fake, "db1");
  const std::map<std::string, model::DatabaseFacts> dbs = {
      {"vmdl_a", moodle_db()}, {"vmdl_b", moodle_db()}, {"vmdl_c", {}}};
  auto facts = read_settings(conn, {request("vmdl_a"), request("vmdl_b"), request("vmdl_c")}, dbs);
  ASSERT_TRUE(facts) << facts.error().render();
  ASSERT_EQ(fake.log.size(), 1u);
  const std::string& sql = fake.log.front().second;
  EXPECT_NE(sql.find("FROM `vmdl_a`.`mdl_config` WHERE name IN ('stringfilters', 'theme')"),
            std::string::npos)
      << sql;
  EXPECT_NE(sql.find("FROM `vmdl_b`.`mdl_config_plugins` WHERE plugin IN ('mod_forum') AND "
                     "name IN ('maxbytes')"),
            std::string::npos)
      << sql;
  EXPECT_EQ(sql.find("vmdl_c"), std::string::npos) << "a database that does not exist is skipped";

  const auto& a = facts->at("vmdl_a");
  EXPECT_TRUE(a.read);
  EXPECT_EQ(a.config, (std::map<std::string, std::string>{{"theme", "classic"}}))
      << "matched ignoring case, filed under the manifest's spelling; absent stays absent";
  EXPECT_EQ(a.plugins,
            (std::map<model::PluginSettingKey, std::string>{{{"mod_forum", "maxbytes"}, "0"}}));
  const auto& b = facts->at("vmdl_b");
  EXPECT_EQ(b.config_value("stringfilters"), std::optional<std::string>(""));
  EXPECT_FALSE(b.config_value("theme").has_value());
  EXPECT_EQ(facts->count("vmdl_c"), 0u);
}

TEST(ReadSettings, DatabaseWithoutConfigTablesIsNotRead) {
  FakeDatabase fake;
  FakeConnection conn(fake, "db1");
  auto facts = read_settings(conn, {request("vmdl_a")}, {{"vmdl_a", moodle_db("other_")}});
  ASSERT_TRUE(facts);
  EXPECT_TRUE(fake.log.empty());
  EXPECT_TRUE(facts->empty());
}

TEST(ReadSettings, StatementsAreBoundedPerHostCount) {
  FakeDatabase fake;
  FakeConnection conn(fake, "db1");
  std::vector<SettingsRequest> requests;
  std::map<std::string, model::DatabaseFacts> dbs;
  for (std::size_t i = 0; i < k_settings_hosts_per_query * 2 + 1; ++i) {
    const std::string name = "vmdl_" + std::to_string(i);
    requests.push_back(request(name));
    dbs[name] = moodle_db();
  }
  auto facts = read_settings(conn, requests, dbs);
  ASSERT_TRUE(facts);
  EXPECT_EQ(fake.log.size(), 3u);
  EXPECT_EQ(facts->size(), requests.size());
}

TEST(ReadSettings, AFailedStatementSaysWhatWasRead) {
  FakeDatabase fake;
  fake.failing.push_back("mdl_config");
  FakeConnection conn(fake, "db1");
  auto facts = read_settings(conn, {request("vmdl_a")}, {{"vmdl_a", moodle_db()}});
  ASSERT_FALSE(facts);
  EXPECT_NE(facts.error().message.find("cannot read the managed site settings"), std::string::npos);
}

} // namespace
} // namespace vmoodle::live
