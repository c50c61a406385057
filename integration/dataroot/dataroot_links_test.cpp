// A created host's filedir/ shares the template's files (hard links) when both sit on one
// file system; everything else in the dataroot is a copy of its own.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"
#include "integration/support/files.hpp"
#include "vmoodle/platform/posix_filesystem.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

struct stat stat_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st;
}

bool same_inode(const fs::path& a, const fs::path& b) {
  const auto sa = stat_of(a);
  const auto sb = stat_of(b);
  return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

class LinkingCopyTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "vmoodle-links-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_tmp = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(m_tmp, ec);
  }

  // A small dataroot: filedir files, a nested directory that is merely named filedir,
  // and ordinary files.
  fs::path make_source(const fs::path& root) {
    write_file(root / "filedir/ab/cd/abcd1234", "content one");
    write_file(root / "filedir/warning.txt", "do not touch");
    write_file(root / "lang/fr/langconfig.php", "<?php");
    write_file(root / "lang/filedir/x.txt", "not the file store");
    write_file(root / ".htaccess", "deny from all");
    fs::create_symlink("ab/cd/abcd1234", root / "filedir/alias");
    ::chmod((root / "filedir/ab/cd/abcd1234").c_str(), 0640);
    return root;
  }

  fs::path m_tmp;
  platform::PosixFileSystem m_fs;
};

TEST_F(LinkingCopyTest, LinksFiledirFilesAndCopiesTheRest) {
  const fs::path from = make_source(m_tmp / "template");
  const fs::path to = m_tmp / "host";
  auto copied = m_fs.copy_tree_linking(from.string(), to.string(), {"filedir"});
  ASSERT_TRUE(copied) << copied.error().render();

  for (const char* name : {"filedir/ab/cd/abcd1234", "filedir/warning.txt"}) {
    EXPECT_TRUE(same_inode(from / name, to / name)) << name;
    EXPECT_EQ(stat_of(to / name).st_nlink, 2u) << name;
  }
  EXPECT_EQ(stat_of(to / "filedir/ab/cd/abcd1234").st_mode & 07777, 0640u);
  for (const char* name : {"lang/fr/langconfig.php", "lang/filedir/x.txt", ".htaccess"}) {
    EXPECT_FALSE(same_inode(from / name, to / name)) << name;
    EXPECT_EQ(stat_of(to / name).st_nlink, 1u) << name;
  }
  EXPECT_TRUE(fs::is_symlink(to / "filedir/alias"));
  EXPECT_EQ(fs::read_symlink(to / "filedir/alias"), "ab/cd/abcd1234");
  // Directories are never shared: the host's tree is its own.
  EXPECT_FALSE(same_inode(from / "filedir/ab", to / "filedir/ab"));

  // Deleting the host's name leaves the template's file whole.
  fs::remove(to / "filedir/ab/cd/abcd1234");
  EXPECT_EQ(stat_of(from / "filedir/ab/cd/abcd1234").st_nlink, 1u);
  std::ifstream in(from / "filedir/ab/cd/abcd1234");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "content one");
}

TEST_F(LinkingCopyTest, CopiesWhenTheTargetIsOnAnotherFileSystem) {
  // /dev/shm is a tmpfs on Linux; when the temporary directory is elsewhere, the two
  // differ in st_dev and nothing may be linked.
  std::string pattern = "/dev/shm/vmoodle-links-XXXXXX";
  if (!fs::is_directory("/dev/shm") || ::mkdtemp(pattern.data()) == nullptr) {
    GTEST_SKIP() << "no /dev/shm to copy across file systems";
  }
  const fs::path other = pattern;
  if (stat_of(other).st_dev == stat_of(m_tmp).st_dev) {
    fs::remove_all(other);
    GTEST_SKIP() << "/dev/shm and " << m_tmp << " are one file system";
  }
  const fs::path from = make_source(other / "template");
  auto copied = m_fs.copy_tree_linking(from.string(), (m_tmp / "host").string(), {"filedir"});
  const auto nlink = stat_of(m_tmp / "host/filedir/ab/cd/abcd1234").st_nlink;
  std::ifstream in(m_tmp / "host/filedir/ab/cd/abcd1234");
  const std::string content(std::istreambuf_iterator<char>(in), {});
  fs::remove_all(other);
  ASSERT_TRUE(copied) << copied.error().render();
  EXPECT_EQ(nlink, 1u);
  EXPECT_EQ(content, "content one");
}

TEST_F(LinkingCopyTest, ExistingTargetIsRefusedAndNothingIsLinked) {
  const fs::path from = make_source(m_tmp / "template");
  fs::create_directories(m_tmp / "host");
  EXPECT_FALSE(m_fs.copy_tree_linking(from.string(), (m_tmp / "host").string(), {"filedir"}));
  EXPECT_EQ(stat_of(from / "filedir/ab/cd/abcd1234").st_nlink, 1u);
}

TEST(DatarootLinksE2e, CreatedHostSharesTheTemplatesFiledirOnly) {
  FleetWorkspace ws("e2elinks");
  const auto manifest =
      ws.write_manifest(ws.manifest_head() + "hosts:\n"
                                             "  - vhostname: https://linked.example.org\n"
                                             "    shortname: linked\n"
                                             "    name: Linked\n");
  auto apply = ws.cli({"apply", "-f", manifest, "--auto-approve", "--allow-dirty"});
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;

  const fs::path tpl = ws.moodledata() + "/vmoodle/base_vmoodledata";
  const fs::path host = ws.moodledata() + "/vhosts/linked";
  int linked = 0;
  int copied = 0;
  for (const auto& entry : fs::recursive_directory_iterator(tpl)) {
    if (!entry.is_regular_file() || entry.is_symlink()) {
      continue;
    }
    const fs::path relative = fs::relative(entry.path(), tpl);
    const fs::path twin = host / relative;
    ASSERT_TRUE(fs::exists(twin)) << relative;
    if (*relative.begin() == "filedir") {
      EXPECT_TRUE(same_inode(entry.path(), twin)) << relative;
      EXPECT_EQ(stat_of(twin).st_nlink, 2u) << relative;
      ++linked;
    } else {
      EXPECT_FALSE(same_inode(entry.path(), twin)) << relative;
      EXPECT_EQ(stat_of(twin).st_nlink, 1u) << relative;
      ++copied;
    }
  }
  // seed-fleet.sh writes 20 generated files, the programme and warning.txt in filedir/,
  // and .htaccess, lang/, muc/ and localcache/ files elsewhere.
  EXPECT_GE(linked, 20);
  EXPECT_GE(copied, 4);
}

} // namespace
} // namespace vmoodle::testing
