// The streaming additions to the adapters that snapshots rely on: query_each on a real
// server, and PosixFileSystem::create / make_private_dir / copy_tree_filtered.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>

#include "integration/snapshot/snapshot_fixture.hpp"
#include "integration/support/sandbox.hpp"
#include "vmoodle/platform/posix_filesystem.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

class QueryEachTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_conn = shared_sandbox().connect();
    ASSERT_TRUE(m_conn->execute("CREATE DATABASE IF NOT EXISTS vm_it_query_each"));
    ASSERT_TRUE(m_conn->execute("USE vm_it_query_each"));
  }
  void TearDown() override { (void)m_conn->execute("DROP DATABASE IF EXISTS vm_it_query_each"); }
  std::unique_ptr<db::Connection> m_conn;
};

TEST_F(QueryEachTest, StreamsRowsWithColumnKinds) {
  ASSERT_TRUE(m_conn->execute(
      "CREATE TABLE t (i INT, big BIGINT, dec_ DECIMAL(10,2), f DOUBLE, y YEAR, b BIT(3), "
      "vb VARBINARY(8), bl BLOB, tx TEXT, vc VARCHAR(8), ts TIMESTAMP NULL, dt DATETIME, "
      "js JSON, g POINT)"));
  ASSERT_TRUE(m_conn->execute("INSERT INTO t SELECT seq, -seq, 1.5, 0.25, 2000, b'101', "
                              "0x00FF, '', 'text', NULL, NULL, NULL, NULL, NULL "
                              "FROM seq_1_to_5000"));
  std::vector<db::ColumnMeta> meta;
  std::size_t rows = 0;
  std::optional<std::string> last_vb, first_vc = "unset";
  auto done = m_conn->query_each(
      "SELECT * FROM t ORDER BY i",
      [&](const db::Row& row) -> Status {
        EXPECT_EQ(meta.size(), 14u) << "meta is filled before the first row";
        if (rows == 0) {
          first_vc = row[9];
        }
        last_vb = row[6];
        ++rows;
        return {};
      },
      &meta);
  ASSERT_TRUE(done) << done.error().render();
  EXPECT_EQ(rows, 5000u);
  EXPECT_EQ(last_vb, "\x00\xff"s);
  EXPECT_EQ(first_vc, std::nullopt);
  std::vector<std::string> numeric, binary;
  for (const auto& column : meta) {
    if (column.is_numeric) {
      numeric.push_back(column.name);
    }
    if (column.is_binary) {
      binary.push_back(column.name);
    }
  }
  EXPECT_EQ(numeric, (std::vector<std::string>{"i", "big", "dec_", "f", "y"}));
  EXPECT_EQ(binary, (std::vector<std::string>{"b", "vb", "bl", "g"}));
}

TEST_F(QueryEachTest, AStopFromTheCallbackLeavesTheSessionUsable) {
  ASSERT_TRUE(m_conn->execute("CREATE TABLE t (i INT)"));
  ASSERT_TRUE(m_conn->execute("INSERT INTO t SELECT seq FROM seq_1_to_10000"));
  int seen = 0;
  auto stopped = m_conn->query_each(
      "SELECT i FROM t",
      [&](const db::Row&) -> Status {
        return ++seen == 3 ? Status(fail(ErrorKind::io, "disk full")) : Status();
      },
      nullptr);
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error().message, "disk full");
  EXPECT_EQ(seen, 3);
  auto count = m_conn->query("SELECT COUNT(*) FROM t");
  ASSERT_TRUE(count) << count.error().render();
  EXPECT_EQ(count->rows[0][0], "10000");
}

TEST_F(QueryEachTest, StatementErrorsAndRowlessStatements) {
  auto bad = m_conn->query_each(
      "SELECT * FROM missing_table", [](const db::Row&) -> Status { return {}; }, nullptr);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::db);
  std::vector<db::ColumnMeta> meta{{"stale", false, false}};
  auto rowless = m_conn->query_each(
      "DO 1", [](const db::Row&) -> Status { return {}; }, &meta);
  ASSERT_TRUE(rowless) << rowless.error().render();
  EXPECT_TRUE(meta.empty());
}

class PosixStreamingTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = "/tmp/vmoodle-stream-XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    m_dir = pattern;
  }
  void TearDown() override { fs::remove_all(m_dir); }
  std::string m_dir;
  platform::PosixFileSystem m_files;
};

TEST_F(PosixStreamingTest, CreateWritesPrivateFilesOfAnySize) {
  const std::string path = m_dir + "/out.sql";
  auto out = m_files.create(path);
  ASSERT_TRUE(out) << out.error().render();
  std::string expected;
  for (std::size_t size : {10ul, 3ul << 20, 1ul, (1ul << 20) - 1, 0ul, 700000ul}) {
    std::string piece(size, static_cast<char>('a' + expected.size() % 26));
    ASSERT_TRUE((*out)->write(piece));
    expected += piece;
  }
  ASSERT_TRUE((*out)->close());
  EXPECT_EQ(read_file(path), expected);
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_FALSE((*out)->write("late"));
}

TEST_F(PosixStreamingTest, CreateRefusesExistingFilesAndSymlinks) {
  std::ofstream(m_dir + "/exists") << "keep";
  EXPECT_FALSE(m_files.create(m_dir + "/exists"));
  EXPECT_EQ(read_file(m_dir + "/exists"), "keep");
  fs::create_symlink(m_dir + "/elsewhere", m_dir + "/link");
  auto through = m_files.create(m_dir + "/link");
  ASSERT_FALSE(through);
  EXPECT_NE(through.error().message.find(m_dir + "/link"), std::string::npos);
  EXPECT_FALSE(fs::exists(m_dir + "/elsewhere"));
}

TEST_F(PosixStreamingTest, PrivateDirIsOwnerOnlyAndNew) {
  ASSERT_TRUE(m_files.make_private_dir(m_dir + "/p"));
  EXPECT_EQ(mode_of(m_dir + "/p"), 0700u);
  EXPECT_FALSE(m_files.make_private_dir(m_dir + "/p"));
  EXPECT_FALSE(m_files.make_private_dir(m_dir + "/no/parent"));
}

TEST_F(PosixStreamingTest, FilteredCopyAsksWithRelativePathsAndSkipsRejectedTrees) {
  for (const char* dir : {"src/a/b", "src/skip/deep"}) {
    fs::create_directories(m_dir + "/" + dir);
  }
  for (const char* file : {"src/top", "src/a/b/f", "src/skip/deep/f", "src/a/skip"}) {
    std::ofstream(m_dir + "/" + file) << file;
  }
  std::set<std::string> asked;
  auto copied =
      m_files.copy_tree_filtered(m_dir + "/src", m_dir + "/dst", [&](const std::string& relative) {
        asked.insert(relative);
        return relative != "skip" && relative != "a/skip";
      });
  ASSERT_TRUE(copied) << copied.error().render();
  EXPECT_EQ(asked, (std::set<std::string>{"a", "a/b", "a/b/f", "a/skip", "skip", "top"}));
  EXPECT_EQ(tree_of(m_dir + "/dst"), (std::set<std::string>{"a/", "a/b/", "a/b/f", "top"}));
}

} // namespace
} // namespace vmoodle::testing
