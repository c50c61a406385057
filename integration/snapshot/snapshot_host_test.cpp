// snapshot_host with the real adapters against the sandbox: the dump must load with the
// stock client into another database with identical checksums, the files must follow
// VMoodle's exclusions, and a host created from the snapshot must match its source.
#include "vmoodle/apply/snapshot_host.hpp"

#include <atomic>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "integration/snapshot/snapshot_fixture.hpp"
#include "tests/fakes/fake_effects.hpp"
#include "vmoodle/db/mysql_connector.hpp"
#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/platform/env_secret_source.hpp"
#include "vmoodle/platform/posix_filesystem.hpp"
#include "vmoodle/platform/system_clock.hpp"
#include "vmoodle/sql/fixup.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_source_vhost = "https://src.example.org";

class SnapshotHostTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_ws = new FleetWorkspace("snapint");
    auto& ws = *s_ws;
    auto created = ws.cli({"apply", "-f", ws.write_manifest(manifest_text()), "--auto-approve"});
    if (created.exit_code != 0) {
      FAIL() << created.out << created.err;
    }
    execute_all(ws, ws.db("src"), edge_case_table("sx_snapshot_edge"));
    execute_all(ws, ws.db("src"), {"CREATE TABLE sx_snapshot_empty (id INT) ENGINE=InnoDB"});

    const std::string root = ws.moodledata() + "/vhosts/src";
    for (const char* dir : {"sessions", "temp/x", "cache/y", "vmoodle/base_sql", "lang/vmoodle",
                            "localcache/vmoodle", "filedir/ab/cd"}) {
      fs::create_directories(root + "/" + dir);
    }
    for (const char* file :
         {"sessions/sess_abc", "temp/x/t", "cache/y/c", "vmoodle/base_sql/x", "lang/vmoodle/x",
          "filedir/ab/vmoodle", "filedir/ab/cd/abcd", "lang/sessions", "localcache/temp"}) {
      std::ofstream(root + "/" + file) << "content of " << file;
    }
    fs::create_symlink("filedir/ab/cd/abcd", root + "/link");
  }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  static std::string manifest_text(const std::string& extra_hosts = "") {
    return s_ws->manifest_head() +
           "hosts:\n"
           "  - vhostname: https://src.example.org\n"
           "    shortname: src\n"
           "    prefix: sx_\n" +
           extra_hosts;
  }

  Status snapshot(const std::string& name, bool replace = false) {
    auto fleet = manifest::load(manifest_text(), s_ws->dir() + "/fleet.yaml");
    EXPECT_TRUE(fleet) << fleet.error().render();
    if (!fleet) {
      return fail(ErrorKind::manifest, "manifest");
    }
    plan::HostChange change;
    change.vhostname = k_source_vhost;
    change.action = plan::Action::snapshot;
    change.snapshot = name;
    change.replace = replace;
    model::LiveState live;
    apply::ActionContext ctx{*fleet, live,
                             apply::Effects{m_connector, m_files, m_secrets, m_clock, m_reporter}};
    return apply::snapshot_host(change, ctx);
  }

  std::string templates() const { return s_ws->moodledata() + "/vmoodle"; }

  static FleetWorkspace* s_ws;
  db::MysqlConnector m_connector;
  platform::PosixFileSystem m_files;
  platform::EnvSecretSource m_secrets;
  platform::SystemClock m_clock;
  RecordingReporter m_reporter;
};

FleetWorkspace* SnapshotHostTest::s_ws = nullptr;

TEST_F(SnapshotHostTest, DumpLoadsWithTheStockClientIntoAnyDatabaseUnchanged) {
  auto& ws = *s_ws;
  auto taken = snapshot("snapint_a");
  ASSERT_TRUE(taken) << taken.error().render();
  EXPECT_EQ(m_reporter.events, (std::vector<std::string>{"snapshot.snapint_a|dump|done",
                                                         "snapshot.snapint_a|files|done",
                                                         "snapshot.snapint_a|publish|done"}));

  ws.load_reference("snapint_a", ws.db("copy_a"));
  const auto source = ws.checksums(ws.db("src"));
  ASSERT_GT(source.size(), 40u);
  ASSERT_TRUE(source.count("sx_snapshot_edge"));
  EXPECT_EQ(ws.checksums(ws.db("copy_a")), source);
  // Checksums cover stored bytes; the visible values agree too.
  const std::string columns =
      "SELECT id, HEX(txt), HEX(bin), HEX(fixed), HEX(vb), amount, f, d, "
      "neg, b + 0, UNIX_TIMESTAMP(ts), dt, y, HEX(l1), js, e, ST_AsText(g), "
      "len, digest FROM ";
  EXPECT_EQ(ws.rows(columns + "`" + ws.db("copy_a") + "`.sx_snapshot_edge ORDER BY id"),
            ws.rows(columns + "`" + ws.db("src") + "`.sx_snapshot_edge ORDER BY id"));
  EXPECT_EQ(ws.rows("SELECT COUNT(*), SUM(txt IS NULL), SUM(txt = ''), SUM(id = 0) FROM `" +
                    ws.db("copy_a") + "`.sx_snapshot_edge"),
            (std::vector<std::string>{"9|5|1|1"}));
  const std::string comment = "SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE "
                              "TABLE_NAME = 'sx_snapshot_edge' AND TABLE_SCHEMA = '";
  EXPECT_EQ(ws.rows(comment + ws.db("copy_a") + "'"), ws.rows(comment + ws.db("src") + "'"));

  const std::string sql_dir = templates() + "/snapint_a_sql";
  const std::string dump = read_file(sql_dir + "/vmoodle_master.sql");
  EXPECT_EQ(dump.find("CREATE DATABASE"), std::string::npos);
  EXPECT_EQ(dump.find("\nUSE "), std::string::npos);
  EXPECT_EQ(dump.find(ws.db("src") + "`."), std::string::npos) << "no qualified names";
  EXPECT_NE(dump.find("\n-- Dump completed on "), std::string::npos);
  EXPECT_EQ(read_file(sql_dir + "/manifest.php"),
            "<?php\n $templatewwwroot = 'https://src.example.org';\n"
            "$templatevdbprefix = 'sx_';\n ?>");
  EXPECT_EQ(mode_of(sql_dir + "/vmoodle_master.sql"), 0600u);
  EXPECT_EQ(mode_of(sql_dir + "/manifest.php"), 0600u);
  EXPECT_EQ(mode_of(sql_dir), 0700u);
  EXPECT_EQ(fs::exists(sql_dir + "/cmd.log"), false);

  // Neither the server's nor the host's password is in any file written.
  for (const auto& entry : fs::recursive_directory_iterator(templates())) {
    if (entry.is_regular_file() && entry.path().string().find("snapint_a") != std::string::npos) {
      const std::string text = read_file(entry.path());
      EXPECT_EQ(text.find(ws.sandbox().password()), std::string::npos) << entry.path();
      EXPECT_EQ(text.find(FleetWorkspace::k_host_password), std::string::npos) << entry.path();
    }
  }
  // Nothing temporary is left beside the template.
  for (const auto& entry : fs::directory_iterator(templates())) {
    EXPECT_NE(entry.path().filename().string().rfind(".snapint_a", 0), 0u) << entry.path();
  }
}

TEST_F(SnapshotHostTest, DatarootCopyLeavesOutWhatVmoodleLeavesOut) {
  ASSERT_TRUE(snapshot("snapint_b"));
  const std::string root = s_ws->moodledata() + "/vhosts/src";
  std::set<std::string> expected;
  for (const auto& entry : tree_of(root)) {
    const std::string path = entry.substr(0, entry.find(' '));
    const std::string top = path.substr(0, path.find('/'));
    const bool dropped = top == "sessions" || top == "sessions/" || top == "temp" ||
                         top == "temp/" || top == "cache" || top == "cache/" ||
                         ("/" + path + "/").find("/vmoodle/") != std::string::npos;
    if (!dropped) {
      expected.insert(entry);
    }
  }
  const std::string copy = templates() + "/snapint_b_vmoodledata";
  const auto copied = tree_of(copy);
  EXPECT_EQ(copied, expected);
  for (const char* kept : {"lang/sessions", "localcache/temp", "filedir/ab/cd/abcd",
                           "link -> "
                           "filedir/ab/"
                           "cd/abcd"}) {
    EXPECT_TRUE(copied.count(kept)) << kept;
  }
  EXPECT_EQ(read_file(copy + "/filedir/ab/cd/abcd"), "content of filedir/ab/cd/abcd");
  EXPECT_TRUE(fs::is_symlink(copy + "/link"));
}

TEST_F(SnapshotHostTest, ReplaceSwapsAndPlainRetakeIsRefused) {
  ASSERT_TRUE(snapshot("snapint_c"));
  const std::string dump = templates() + "/snapint_c_sql/vmoodle_master.sql";
  std::ofstream(dump) << "old";
  auto again = snapshot("snapint_c");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().kind, ErrorKind::conflict);
  EXPECT_EQ(read_file(dump), "old");
  auto replaced = snapshot("snapint_c", true);
  ASSERT_TRUE(replaced) << replaced.error().render();
  EXPECT_NE(read_file(dump).find("CREATE TABLE `sx_config`"), std::string::npos);
  for (const auto& entry : fs::directory_iterator(templates())) {
    EXPECT_NE(entry.path().filename().string().rfind(".snapint_c", 0), 0u) << entry.path();
  }
}

TEST_F(SnapshotHostTest, WritesDuringTheDumpDoNotTearIt) {
  auto& ws = *s_ws;
  // A database of its own, so the dump and the reload stay small. Read in name order:
  // c1, then the big table (which keeps the dump busy), then c3; each transaction of
  // the writer adds one row to c1 and one to c3.
  const std::string db = ws.db("busy");
  execute_all(ws, "",
              {"CREATE DATABASE `" + db + "`", "USE `" + db + "`",
               "CREATE TABLE c1 (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
               "CREATE TABLE c2_big (id INT PRIMARY KEY, pad LONGTEXT)",
               "CREATE TABLE c3 (id INT AUTO_INCREMENT PRIMARY KEY, v INT)",
               "INSERT INTO c2_big SELECT seq, REPEAT(MD5(seq), 50) FROM seq_1_to_2000"});
  const std::string dataroot = ws.dir() + "/busy-data";
  fs::create_directories(dataroot + "/filedir");

  std::atomic<bool> stop = false;
  std::atomic<int> commits = 0;
  std::thread writer([&] {
    auto conn = ws.sandbox().connect(db);
    while (!stop) {
      bool ok = conn->execute("START TRANSACTION") &&
                conn->execute("INSERT INTO c1 (v) VALUES (1)") &&
                conn->execute("INSERT INTO c3 (v) VALUES (1)") && conn->execute("COMMIT");
      if (!ok) {
        break;
      }
      ++commits;
    }
  });
  while (commits < 20) {
    std::this_thread::yield();
  }

  auto fleet = manifest::load(manifest_text(), ws.dir() + "/fleet.yaml");
  ASSERT_TRUE(fleet) << fleet.error().render();
  model::LiveState live;
  apply::ActionContext ctx{*fleet, live,
                           apply::Effects{m_connector, m_files, m_secrets, m_clock, m_reporter}};
  apply::SnapshotSource source{"local", db, "", "https://busy.example.org", dataroot};
  const int before = commits;
  auto taken = apply::take_snapshot(source, "snapint_d", false, ctx);
  const int after = commits;
  stop = true;
  writer.join();
  ASSERT_TRUE(taken) << taken.error().render();
  EXPECT_GT(after, before) << "the writer must have committed while the dump ran";

  ws.load_reference("snapint_d", ws.db("copy_d"));
  const auto c1 = ws.rows("SELECT COUNT(*) FROM `" + ws.db("copy_d") + "`.c1");
  const auto c3 = ws.rows("SELECT COUNT(*) FROM `" + ws.db("copy_d") + "`.c3");
  EXPECT_EQ(c1, c3);
  EXPECT_GE(std::stoi(c1.front()), before);
  EXPECT_LE(std::stoi(c1.front()), after);
}

TEST_F(SnapshotHostTest, HostCreatedFromTheSnapshotMatchesItsSource) {
  auto& ws = *s_ws;
  ASSERT_TRUE(snapshot("snapint_e"));
  const std::string manifest =
      ws.write_manifest(manifest_text("  - vhostname: https://clone.example.org\n"
                                      "    shortname: clone\n"
                                      "    prefix: cl_\n"
                                      "    template: snapint_e\n"),
                        "clone.yaml");
  auto created = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;

  const auto source = ws.checksums(ws.db("src"));
  const auto clone = ws.checksums(ws.db("clone"));
  ASSERT_EQ(clone.size(), source.size());
  const auto changed = sql::fixup_changed_tables("sx_");
  for (const auto& [table, sum] : source) {
    const std::string renamed = "cl_" + table.substr(3);
    ASSERT_TRUE(clone.count(renamed)) << renamed;
    if (std::find(changed.begin(), changed.end(), table) == changed.end()) {
      EXPECT_EQ(clone.at(renamed), sum) << table;
    }
  }
  EXPECT_TRUE(fs::exists(ws.moodledata() + "/vhosts/clone/filedir/ab/cd/abcd"));
  EXPECT_FALSE(fs::exists(ws.moodledata() + "/vhosts/clone/sessions"));
}

// Through the built binary: a declared snapshot, a host created from it, then --replace.
TEST_F(SnapshotHostTest, EndToEndSnapshotThenCreateFromItThenReplace) {
  auto& ws = *s_ws;
  execute_all(ws, ws.db("src"),
              {"INSERT INTO sx_config (name, value) VALUES ('snapshot_marker', 'first 🏫')"});
  const std::string manifest =
      ws.write_manifest(s_ws->manifest_head() +
                            "snapshots:\n"
                            "  - name: snapint_t2\n"
                            "    from: https://src.example.org\n" +
                            manifest_text("  - vhostname: https://clone2.example.org\n"
                                          "    shortname: clone2\n"
                                          "    prefix: c2_\n"
                                          "    template: snapint_t2\n")
                                .substr(s_ws->manifest_head().size()),
                        "e2e.yaml");
  auto plan = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  ASSERT_EQ(plan.exit_code, 2) << output_of(plan);
  EXPECT_NE(plan.out.find("Plan: 1 to create, 0 to update, 0 to migrate, 1 to snapshot"),
            std::string::npos)
      << plan.out;

  auto apply = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << output_of(apply);
  for (const char* step : {"dump", "files", "publish"}) {
    EXPECT_NE(apply.out.find(std::string("snapshot.snapint_t2: ") + step + " done"),
              std::string::npos)
        << apply.out;
  }
  EXPECT_LT(apply.out.find("snapshot.snapint_t2: publish done"),
            apply.out.find("https://clone2.example.org: database done"))
      << "the snapshot comes before the create that uses it";
  EXPECT_EQ(apply.out.find(ws.sandbox().password()), std::string::npos);

  const std::string sql_dir = templates() + "/snapint_t2_sql";
  EXPECT_EQ(read_file(sql_dir + "/manifest.php"),
            "<?php\n $templatewwwroot = 'https://src.example.org';\n"
            "$templatevdbprefix = 'sx_';\n ?>");
  EXPECT_EQ(ws.rows("SELECT value FROM `" + ws.db("clone2") +
                    "`.c2_config WHERE name = 'snapshot_marker'"),
            (std::vector<std::string>{"first 🏫"}));
  const auto source = ws.checksums(ws.db("src"));
  const auto clone = ws.checksums(ws.db("clone2"));
  ASSERT_EQ(clone.size(), source.size());
  const auto changed = sql::fixup_changed_tables("sx_");
  for (const auto& [table, sum] : source) {
    if (std::find(changed.begin(), changed.end(), table) == changed.end()) {
      EXPECT_EQ(clone.at("c2_" + table.substr(3)), sum) << table;
    }
  }

  auto again = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << output_of(again);

  // --replace retakes it: the new dump has what the source holds now.
  execute_all(ws, ws.db("src"),
              {"UPDATE sx_config SET value = 'second' WHERE name = 'snapshot_marker'"});
  auto replace =
      ws.cli({"apply", "-f", manifest, "--auto-approve", "--replace", "snapshot.snapint_t2"});
  ASSERT_EQ(replace.exit_code, 0) << output_of(replace);
  EXPECT_NE(replace.out.find("snapshot.snapint_t2: publish done"), std::string::npos)
      << replace.out;
  const std::string dump = read_file(sql_dir + "/vmoodle_master.sql");
  EXPECT_NE(dump.find("'snapshot_marker','second'"), std::string::npos);
  EXPECT_EQ(dump.find("'snapshot_marker','first"), std::string::npos);
  for (const auto& entry : fs::directory_iterator(templates())) {
    EXPECT_NE(entry.path().filename().string().rfind(".snapint_t2", 0), 0u) << entry.path();
  }
  execute_all(ws, ws.db("src"), {"DELETE FROM sx_config WHERE name = 'snapshot_marker'"});
}

} // namespace
} // namespace vmoodle::testing
