// The template load on several sessions against the stock client, on the real server.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"
#include "vmoodle/apply/parallel_load.hpp"
#include "vmoodle/platform/posix_filesystem.hpp"

namespace vmoodle::testing {
namespace {

class ParallelLoadTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() { s_ws = new FleetWorkspace("pload"); }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  static void execute(const std::string& sql) {
    auto conn = s_ws->sandbox().connect();
    if (auto done = conn->execute(sql); !done) {
      throw std::runtime_error(done.error().render());
    }
  }

  static void client(const std::string& command, const std::string& database,
                     const std::string& file) {
    auto result = run_command({"sh", "-c", command, "sh", s_ws->sandbox().socket(), database, file},
                              {{"MYSQL_PWD", s_ws->sandbox().password()}});
    if (result.exit_code != 0) {
      throw std::runtime_error(command + ": " + result.err);
    }
  }

  static Result<apply::LoadStats> load(const std::string& database, const std::string& dump,
                                       const std::string& from, const std::string& to) {
    auto& sandbox = s_ws->sandbox();
    auto main = sandbox.connect(database);
    apply::ConnectionFactory connect = [&]() -> Result<std::unique_ptr<db::Connection>> {
      return sandbox.connect(database);
    };
    apply::ParallelLoadOptions options;
    options.workers = 4;
    options.queue_bytes = 64 * 1024; // the reader often waits for the workers
    // Every InnoDB table with rows gets its indexes after them: the definitions compared
    // below must still be the stock client's.
    options.defer_keys_bytes = 1;
    // As a create loads: into a database made empty for it, drops finding nothing left out.
    options.new_database = true;
    platform::PosixFileSystem files;
    return apply::load_template_parallel(files, dump, *main, connect, from, to, nullptr, options);
  }

  static std::string one(const std::string& sql) {
    auto rows = s_ws->rows(sql);
    return rows.empty() ? "" : rows.front();
  }

  static FleetWorkspace* s_ws;
};

FleetWorkspace* ParallelLoadTest::s_ws = nullptr;

TEST_F(ParallelLoadTest, GivesTheSameTablesAsTheStockClient) {
  auto& ws = *s_ws;
  const std::string src = ws.db("src");
  execute("CREATE DATABASE `" + src + "` CHARACTER SET utf8mb4");
  const std::string in = "`" + src + "`.";
  execute("CREATE TABLE " + in +
          "mdl_a (id BIGINT AUTO_INCREMENT PRIMARY KEY, txt VARCHAR(100), n INT, KEY (n)) "
          "ENGINE=InnoDB");
  execute("INSERT INTO " + in +
          "mdl_a (txt, n) SELECT CONCAT('Élève ', seq, ' — mdl_a ''q'' \\\\ 🏫'), seq % 97 FROM " +
          in + "seq_1_to_20000");
  execute("CREATE TABLE " + in +
          "mdl_b (id INT PRIMARY KEY, data BLOB, d DATETIME, KEY (d)) ENGINE=MyISAM");
  execute("INSERT INTO " + in +
          "mdl_b SELECT seq, UNHEX(SHA2(seq, 256)), FROM_UNIXTIME(1700000000 + seq) FROM " + in +
          "seq_1_to_3000");
  execute("CREATE TABLE " + in + "mdl_c (id INT PRIMARY KEY) ENGINE=InnoDB");
  execute("CREATE TABLE " + in +
          "mdl_d (id INT PRIMARY KEY, u VARCHAR(40), UNIQUE KEY mdl_d_u_uix (u)) ENGINE=InnoDB");
  execute("INSERT INTO " + in + "mdl_d SELECT seq, MD5(seq) FROM " + in + "seq_1_to_10000");
  execute("CREATE VIEW " + in + "mdl_v AS SELECT COUNT(*) AS c FROM " + in + "mdl_a");

  // Small INSERTs: each table's rows go in on several sessions at once.
  const std::string dump = ws.dir() + "/pload.sql";
  client("exec mariadb-dump --no-defaults --socket=\"$1\" -u vmoodle_admin --single-transaction "
         "--net-buffer-length=16384 \"$2\" > \"$3\"",
         src, dump);
  const std::string par = ws.db("par");
  const std::string ref = ws.db("ref");
  execute("CREATE DATABASE `" + par + "`");
  execute("CREATE DATABASE `" + ref + "`");
  client("exec mariadb --no-defaults --socket=\"$1\" -u vmoodle_admin \"$2\" < \"$3\"", ref, dump);

  auto loaded = load(par, dump, "mdl_", "x_");
  ASSERT_TRUE(loaded) << loaded.error().render();
  EXPECT_EQ(loaded->tables, (std::set<std::string>{"x_a", "x_b", "x_c", "x_d"}));

  for (const char* table : {"a", "b", "c", "d"}) {
    const std::string theirs = "`" + ref + "`.`mdl_" + table + "`";
    const std::string ours = "`" + par + "`.`x_" + table + "`";
    EXPECT_EQ(one("SELECT COUNT(*) FROM " + ours), one("SELECT COUNT(*) FROM " + theirs)) << table;
    const std::string sum_theirs = one("CHECKSUM TABLE " + theirs);
    const std::string sum_ours = one("CHECKSUM TABLE " + ours);
    EXPECT_EQ(sum_ours.substr(sum_ours.rfind('|')), sum_theirs.substr(sum_theirs.rfind('|')))
        << table;
    // The definitions, from the column list on (the names differ by prefix).
    const std::string create_ours = one("SHOW CREATE TABLE " + ours);
    std::string create_theirs = one("SHOW CREATE TABLE " + theirs);
    for (std::size_t at; (at = create_theirs.find("`mdl_")) != std::string::npos;) {
      create_theirs.replace(at, 5, "`x_"); // index names carry the prefix too
    }
    EXPECT_EQ(create_ours.substr(create_ours.find(" (")),
              create_theirs.substr(create_theirs.find(" (")))
        << table;
  }
  EXPECT_EQ(one("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + par +
                "' AND TABLE_NAME = 'x_b'"),
            "MyISAM");
  EXPECT_EQ(one("SELECT c FROM `" + par + "`.`x_v`"), "20000") << "the view, renamed, after rows";
}

TEST_F(ParallelLoadTest, AFailingRowNamesItsLineAndTheCreateResumesOnceTheDumpIsFixed) {
  auto& ws = *s_ws;
  const std::string dump = ws.moodledata() + "/vmoodle/base_sql/vmoodle_master.sql";
  std::vector<std::string> lines;
  {
    std::ifstream in(dump);
    for (std::string line; std::getline(in, line);) {
      lines.push_back(line);
    }
  }
  std::size_t at = 0;
  while (at < lines.size() && lines[at].rfind("INSERT INTO `mdl_config`", 0) != 0) {
    ++at;
  }
  ASSERT_LT(at, lines.size()) << "the seeded template has configuration rows";
  const std::filesystem::path good = dump + ".good";
  std::filesystem::copy_file(dump, good);
  {
    std::ofstream out(dump, std::ios::trunc);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (i == at) {
        out << "INSERT INTO `mdl_config` VALUES (1);\n"; // wrong column count
      }
      out << lines[i] << "\n";
    }
  }
  const std::string where = "vmoodle_master.sql:" + std::to_string(at + 1);

  const auto manifest =
      ws.write_manifest(ws.manifest_head() + "hosts:\n  - vhostname: https://broken.example.org\n"
                                             "    shortname: broken\n");
  auto failed = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  EXPECT_NE(failed.exit_code, 0);
  EXPECT_NE((failed.out + failed.err).find(where), std::string::npos) << failed.out << failed.err;
  EXPECT_NE((failed.out + failed.err).find("Column count"), std::string::npos) << failed.err;
  EXPECT_EQ(one("SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" +
                ws.db("broken") + "'"),
            "vmoodle-apply: creating https://broken.example.org");

  std::filesystem::rename(good, dump);
  auto again = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  auto plan = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  ws.load_reference("base", ws.db("brokenref"));
  EXPECT_EQ(one("SELECT COUNT(*) FROM `" + ws.db("broken") + "`.`mdl_config`"),
            one("SELECT COUNT(*) FROM `" + ws.db("brokenref") + "`.`mdl_config`"));
  EXPECT_EQ(one("SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" +
                ws.db("broken") + "'"),
            "vmoodle-apply: managed");
}

} // namespace
} // namespace vmoodle::testing
