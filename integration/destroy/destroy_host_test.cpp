// destroy_host with the real adapters: a host on a second MariaDB server, whose
// database must be dropped there and nowhere else; a dataroot symlinked out of its
// root, which must stop the destroy before anything is touched.
#include "vmoodle/apply/destroy_host.hpp"

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "integration/destroy/destroy_fixture.hpp"
#include "tests/fakes/fake_effects.hpp"
#include "vmoodle/db/mysql_connector.hpp"
#include "vmoodle/live/refresh.hpp"
#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/platform/env_secret_source.hpp"
#include "vmoodle/platform/posix_filesystem.hpp"
#include "vmoodle/platform/system_clock.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

class DestroyHostTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_ws = new FleetWorkspace("dhost");
    s_other = new MariadbSandbox();
    auto created = s_ws->cli({"apply", "-f", write(present()), "--auto-approve"});
    if (created.exit_code != 0) {
      FAIL() << output_of(created);
    }
  }
  static void TearDownTestSuite() {
    delete s_other;
    s_other = nullptr;
    delete s_ws;
    s_ws = nullptr;
  }

  /// The workspace's head with a second server, `other`: the second sandbox.
  static std::string head() {
    std::string text = s_ws->manifest_head();
    const std::string servers = "servers:\n";
    text.insert(text.find(servers) + servers.size(),
                "  other:\n    socket: " + s_other->socket() +
                    "\n    user: vmoodle_admin\n    password: {env: VMOODLE_SANDBOX_PASSWORD}\n"
                    "    registry_host: db2.internal\n");
    return text;
  }
  static std::string present() {
    return head() + "hosts:\n" + host_entry("far", "    server: other\n") + host_entry("linked");
  }
  static std::string write(const std::string& text) { return s_ws->write_manifest(text); }

  /// Loads `text` and refreshes live state, as apply does before acting.
  void load(const std::string& text) {
    auto fleet = manifest::load(text, s_ws->dir() + "/fleet.yaml");
    ASSERT_TRUE(fleet) << fleet.error().render();
    m_fleet = std::move(*fleet);
    auto live = live::refresh(m_fleet, {m_connector, m_files, m_secrets});
    ASSERT_TRUE(live) << live.error().render();
    m_live = std::move(*live);
  }

  plan::HostChange destroy_change(const std::string& shortname, const std::string& snapshot) {
    const model::Host* host = m_fleet.find_host(vhost_of(shortname));
    plan::HostChange change;
    change.vhostname = host->vhostname;
    change.action = plan::Action::destroy;
    change.server = host->server;
    change.database = host->database;
    change.dataroot = host->dataroot;
    change.snapshot = snapshot;
    return change;
  }

  Status destroy(const plan::HostChange& change) {
    apply::ActionContext ctx{m_fleet, m_live,
                             apply::Effects{m_connector, m_files, m_secrets, m_clock, m_reporter}};
    return apply::destroy_host(change, ctx);
  }

  std::string registry_id(const std::string& shortname) {
    const auto rows = registry_rows(*s_ws, vhost_of(shortname));
    return rows.empty() ? "" : rows.front().substr(0, rows.front().find('|'));
  }

  static FleetWorkspace* s_ws;
  static MariadbSandbox* s_other;
  model::Fleet m_fleet;
  model::LiveState m_live;
  db::MysqlConnector m_connector;
  platform::PosixFileSystem m_files;
  platform::EnvSecretSource m_secrets;
  platform::SystemClock m_clock;
  RecordingReporter m_reporter;
};

FleetWorkspace* DestroyHostTest::s_ws = nullptr;
MariadbSandbox* DestroyHostTest::s_other = nullptr;

std::vector<std::string> rows_on(MariadbSandbox& sandbox, const std::string& sql) {
  auto result = sandbox.connect()->query(sql);
  if (!result) {
    throw std::runtime_error(result.error().render());
  }
  std::vector<std::string> out;
  for (const auto& row : result->rows) {
    out.push_back(row.front().value_or("NULL") + (row.size() > 1 ? "|" + row[1].value_or("") : ""));
  }
  return out;
}

TEST_F(DestroyHostTest, DropsOnTheHostsOwnServerOnlyAndCleansTheMaster) {
  auto& ws = *s_ws;
  const std::string db = ws.db("far");
  ASSERT_EQ(rows_on(*s_other, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
                              "SCHEMA_NAME = '" +
                                  db + "'"),
            (std::vector<std::string>{db}))
      << "created on the second server";
  // A database of the same name on the master's server: VMoodle would drop this one.
  master_execute(ws, "CREATE DATABASE `" + db + "`");
  master_execute(ws, "CREATE TABLE `" + db + "`.sentinel (id INT)");
  master_execute(ws, "INSERT INTO `" + db + "`.sentinel VALUES (42)");
  const std::string far_mnet = seed_master_mnet(ws, vhost_of("far"));
  const std::string other_mnet = seed_master_mnet(ws, "https://peer.example.org");
  ASSERT_EQ(master_mnet_rows(ws, far_mnet), 7);
  std::map<std::string, std::string> before;
  for (const auto& line : rows_on(*s_other, "SELECT TABLE_NAME, 0 FROM information_schema.TABLES "
                                            "WHERE TABLE_SCHEMA = '" +
                                                db + "'")) {
    const std::string table = line.substr(0, line.find('|'));
    const auto sum = rows_on(*s_other, "CHECKSUM TABLE `" + db + "`.`" + table + "`");
    before[table] = sum.front().substr(sum.front().find('|') + 1);
  }
  ASSERT_GT(before.size(), 20u);

  load(head() + "hosts:\n" + host_entry("far", "    server: other\n    state: absent\n") +
       host_entry("linked"));
  const std::string snapshot = "final_far_" + registry_id("far");
  auto status = destroy(destroy_change("far", snapshot));
  ASSERT_TRUE(status) << status.error().render();

  const std::string host = vhost_of("far");
  for (const char* step :
       {"final snapshot", "disable", "database", "dataroot", "mnet", "registry"}) {
    EXPECT_NE(
        std::find(m_reporter.events.begin(), m_reporter.events.end(), host + "|" + step + "|done"),
        m_reporter.events.end())
        << step;
  }
  EXPECT_TRUE(rows_on(*s_other, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
                                "SCHEMA_NAME = '" +
                                    db + "'")
                  .empty());
  EXPECT_EQ(ws.rows("SELECT id FROM `" + db + "`.sentinel"), (std::vector<std::string>{"42"}));
  EXPECT_FALSE(fs::exists(dataroot_of(ws, "far")));
  EXPECT_TRUE(registry_rows(ws, host).empty());
  EXPECT_EQ(master_mnet_rows(ws, far_mnet), 0);
  EXPECT_EQ(master_mnet_rows(ws, other_mnet), 7) << "another peer's rows stay";
  EXPECT_EQ(ws.rows("SELECT wwwroot FROM `" + ws.master_db() + "`.mdl_mnet_host WHERE id = 1"),
            (std::vector<std::string>{"https://moodle.example.org"}));
  // The untouched neighbour.
  EXPECT_EQ(registry_rows(ws, vhost_of("linked")).size(), 1u);
  EXPECT_TRUE(fs::is_directory(dataroot_of(ws, "linked")));

  // The final snapshot holds the host as it was and loads with the stock client.
  EXPECT_EQ(template_entries(ws, "final_far"),
            (std::vector<std::string>{snapshot + "_sql", snapshot + "_vmoodledata"}));
  ws.load_reference(snapshot, ws.db("farloaded"));
  const auto loaded = ws.checksums(ws.db("farloaded"));
  EXPECT_EQ(loaded.size(), before.size());
  for (const auto& [table, sum] : before) {
    EXPECT_EQ(loaded.count(table) ? loaded.at(table) : "missing", sum) << table;
  }
  EXPECT_TRUE(fs::exists(ws.moodledata() + "/vmoodle/" + snapshot + "_vmoodledata/filedir"));
}

TEST_F(DestroyHostTest, DatarootSymlinkedOutOfItsRootIsRefusedAndNothingIsTouched) {
  auto& ws = *s_ws;
  const std::string root = dataroot_of(ws, "linked");
  const std::string outside = ws.dir() + "/outside";
  fs::create_directories(outside);
  fs::rename(root, outside + "/linked");
  { std::ofstream(outside + "/linked/sentinel") << "must survive"; }
  fs::create_directory_symlink(outside + "/linked", root);
  const std::string sentinel = outside + "/linked/sentinel";

  load(head() + "hosts:\n" + host_entry("far", "    server: other\n") +
       host_entry("linked", "    state: absent\n"));
  auto status = destroy(destroy_change("linked", "final_linked_" + registry_id("linked")));
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::unsafe);
  const std::string rendered = status.error().render();
  EXPECT_NE(rendered.find("https://linked.example.org (prepare)"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("dataroot " + root + " is a symlink"), std::string::npos) << rendered;
  EXPECT_NE(rendered.find("nothing was removed"), std::string::npos) << rendered;

  EXPECT_TRUE(fs::exists(sentinel));
  EXPECT_TRUE(fs::is_symlink(root));
  EXPECT_TRUE(database_exists(ws, ws.db("linked")));
  EXPECT_EQ(registry_rows(ws, vhost_of("linked")),
            (std::vector<std::string>{registry_id("linked") + "|1|NULL"}));
  EXPECT_TRUE(template_entries(ws, "final_linked").empty());

  // Defence in depth: the file system adapter refuses the symlink on its own too.
  auto removed = m_files.remove_tree(root, m_fleet.dataroot_roots);
  ASSERT_FALSE(removed);
  EXPECT_EQ(removed.error().kind, ErrorKind::unsafe);
  EXPECT_TRUE(fs::exists(sentinel));

  fs::remove(root);
  fs::rename(outside + "/linked", root);
}

} // namespace
} // namespace vmoodle::testing
