// PosixFileSystem on a real disk: reading, copying trees faithfully, and above all
// refusing to remove anything it must not.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "integration/support/files.hpp"
#include "vmoodle/platform/posix_filesystem.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;
using platform::PosixFileSystem;

unsigned mode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

class PosixFileSystemTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "vmoodle-fs-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    // Resolved, so that expectations compare with canonical paths.
    m_tmp = fs::canonical(pattern);
    m_root = m_tmp / "roots" / "vhosts";
    m_outside = m_tmp / "outside";
    fs::create_directories(m_root);
    write_file(m_outside / "sentinel.txt", "keep me");
    write_file(m_outside / "dir" / "inner.txt", "keep me too");
  }
  void TearDown() override {
    std::error_code ec;
    // Undo read-only test directories so that cleanup can proceed.
    for (auto it = fs::recursive_directory_iterator(m_tmp, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (it->is_directory(ec) && !it->is_symlink(ec)) {
        fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ec);
      }
    }
    fs::remove_all(m_tmp, ec);
  }

  void expect_outside_intact() {
    EXPECT_EQ(read_file(m_outside / "sentinel.txt"), "keep me");
    EXPECT_EQ(read_file(m_outside / "dir" / "inner.txt"), "keep me too");
  }

  Status remove(const fs::path& path) { return m_fs.remove_tree(path.string(), roots()); }
  std::vector<std::string> roots() const { return {m_root.string()}; }

  PosixFileSystem m_fs;
  fs::path m_tmp;
  fs::path m_root;
  fs::path m_outside;
};

TEST_F(PosixFileSystemTest, StatDoesNotFollowSymlinks) {
  fs::create_directory_symlink(m_outside / "dir", m_tmp / "link");
  auto link = m_fs.stat((m_tmp / "link").string());
  ASSERT_TRUE(link) << link.error().render();
  EXPECT_TRUE(link->exists);
  EXPECT_TRUE(link->is_symlink);
  EXPECT_FALSE(link->is_dir);

  auto dir = m_fs.stat((m_outside / "dir").string());
  ASSERT_TRUE(dir);
  EXPECT_TRUE(dir->exists && dir->is_dir && !dir->is_symlink);

  auto missing = m_fs.stat((m_tmp / "missing" / "deeper").string());
  ASSERT_TRUE(missing) << missing.error().render();
  EXPECT_FALSE(missing->exists);
}

TEST_F(PosixFileSystemTest, ReadsWholeFilesAndStreamsLargeOnes) {
  std::string big;
  for (int i = 0; big.size() < 3 * 1024 * 1024 + 17; ++i) {
    big += std::to_string(i) + std::string(1, static_cast<char>(i % 256));
  }
  write_file(m_tmp / "big.bin", big);
  auto whole = m_fs.read_file((m_tmp / "big.bin").string());
  ASSERT_TRUE(whole) << whole.error().render();
  EXPECT_EQ(*whole, big);

  auto stream = m_fs.open((m_tmp / "big.bin").string());
  ASSERT_TRUE(stream) << stream.error().render();
  std::string streamed;
  std::vector<char> buffer(100000);
  for (;;) {
    auto count = (*stream)->read(buffer.data(), buffer.size());
    ASSERT_TRUE(count) << count.error().render();
    if (*count == 0) {
      break;
    }
    streamed.append(buffer.data(), *count);
  }
  EXPECT_EQ(streamed, big);

  auto missing = m_fs.read_file((m_tmp / "nope.txt").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::io);
  EXPECT_NE(missing.error().render().find((m_tmp / "nope.txt").string()), std::string::npos);
  EXPECT_FALSE(m_fs.open((m_tmp / "nope.txt").string()));
  EXPECT_FALSE(m_fs.open(m_outside.string())) << "a directory is not a stream";
}

TEST_F(PosixFileSystemTest, ListsNamesSorted) {
  for (const char* name : {"b", "a", ".hidden", "C"}) {
    write_file(m_tmp / "list" / name, "x");
  }
  auto names = m_fs.list_dir((m_tmp / "list").string());
  ASSERT_TRUE(names) << names.error().render();
  EXPECT_EQ(*names, (std::vector<std::string>{".hidden", "C", "a", "b"}));
  EXPECT_FALSE(m_fs.list_dir((m_tmp / "absent").string()));
}

TEST_F(PosixFileSystemTest, WritesReplaceAtomicallyAndLeaveNoTemporaryFile) {
  std::string path = (m_tmp / "out" / "manifest.php").string();
  ASSERT_TRUE(m_fs.make_dirs((m_tmp / "out").string()));
  ASSERT_TRUE(m_fs.write_file(path, "first"));
  ASSERT_TRUE(m_fs.write_file(path, std::string("second\0with nul", 15)));
  EXPECT_EQ(read_file(path), std::string("second\0with nul", 15));
  auto names = m_fs.list_dir((m_tmp / "out").string());
  ASSERT_TRUE(names);
  EXPECT_EQ(*names, std::vector<std::string>{"manifest.php"});
  EXPECT_FALSE(m_fs.write_file((m_tmp / "no-dir" / "x").string(), "x"));
}

TEST_F(PosixFileSystemTest, MakeDirsCreatesParentsAndAcceptsExisting) {
  std::string deep = (m_tmp / "a" / "b" / "c").string();
  ASSERT_TRUE(m_fs.make_dirs(deep));
  EXPECT_TRUE(fs::is_directory(deep));
  EXPECT_TRUE(m_fs.make_dirs(deep));
  auto blocked = m_fs.make_dirs((m_outside / "sentinel.txt").string());
  EXPECT_FALSE(blocked);
}

TEST_F(PosixFileSystemTest, SyncsTheFileSystemOfADirectoryOrSaysWhy) {
  ASSERT_TRUE(m_fs.make_dirs((m_tmp / "copied").string()));
  write_file(m_tmp / "copied" / "file", "data");
  EXPECT_TRUE(m_fs.sync_file_system((m_tmp / "copied").string()));
  auto missing = m_fs.sync_file_system((m_tmp / "absent").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::io);
  EXPECT_NE(missing.error().render().find("absent"), std::string::npos);
}

TEST_F(PosixFileSystemTest, RenameAndRemoveFile) {
  write_file(m_tmp / "one", "1");
  ASSERT_TRUE(m_fs.rename((m_tmp / "one").string(), (m_tmp / "two").string()));
  EXPECT_FALSE(fs::exists(m_tmp / "one"));
  EXPECT_EQ(read_file(m_tmp / "two"), "1");
  ASSERT_TRUE(m_fs.remove_file((m_tmp / "two").string()));
  EXPECT_FALSE(fs::exists(m_tmp / "two"));
  EXPECT_TRUE(m_fs.remove_file((m_tmp / "two").string())) << "already gone is success";
  EXPECT_FALSE(m_fs.remove_file((m_outside / "dir").string())) << "not for directories";
  EXPECT_TRUE(fs::exists(m_outside / "dir" / "inner.txt"));
}

TEST_F(PosixFileSystemTest, CanonicalResolvesSymlinks) {
  fs::create_directory_symlink(m_outside, m_tmp / "alias");
  auto resolved = m_fs.canonical((m_tmp / "alias" / "dir").string());
  ASSERT_TRUE(resolved) << resolved.error().render();
  EXPECT_EQ(*resolved, (m_outside / "dir").string());
  EXPECT_FALSE(m_fs.canonical((m_tmp / "alias" / "missing").string()));
}

TEST_F(PosixFileSystemTest, CopyTreeKeepsStructurePermissionsAndSymlinks) {
  fs::path from = m_tmp / "template";
  write_file(from / "filedir" / "ab" / "cd" / "abcdef", "content");
  write_file(from / ".hidden", "dot file");
  write_file(from / "run.sh", "#!/bin/sh\n");
  write_file(from / "private.txt", "private");
  fs::create_directories(from / "empty");
  fs::create_directories(from / "readonly");
  write_file(from / "readonly" / "inside.txt", "ro");
  fs::create_directory_symlink("filedir/ab", from / "relative-link");
  fs::create_symlink(m_outside / "sentinel.txt", from / "absolute-link");
  fs::create_symlink("does-not-exist", from / "dangling-link");
  ::chmod((from / "run.sh").c_str(), 0755);
  ::chmod((from / "private.txt").c_str(), 0600);
  ::chmod((from / "filedir").c_str(), 02750);
  ::chmod((from / "readonly").c_str(), 0555);

  fs::path to = m_tmp / "copy";
  auto copied = m_fs.copy_tree(from.string(), to.string());
  ASSERT_TRUE(copied) << copied.error().render();

  EXPECT_EQ(read_file(to / "filedir" / "ab" / "cd" / "abcdef"), "content");
  EXPECT_EQ(read_file(to / ".hidden"), "dot file");
  EXPECT_EQ(read_file(to / "readonly" / "inside.txt"), "ro");
  EXPECT_TRUE(fs::is_directory(to / "empty"));
  EXPECT_EQ(mode_of(to / "run.sh"), 0755u);
  EXPECT_EQ(mode_of(to / "private.txt"), 0600u);
  EXPECT_EQ(mode_of(to / "filedir"), 02750u);
  EXPECT_EQ(mode_of(to / "readonly"), 0555u);
  EXPECT_EQ(mode_of(to), mode_of(from));
  for (const char* link : {"relative-link", "absolute-link", "dangling-link"}) {
    EXPECT_TRUE(fs::is_symlink(to / link)) << link;
    EXPECT_EQ(fs::read_symlink(to / link), fs::read_symlink(from / link)) << link;
  }
  // Copied as a link, the outside file was neither read into the copy nor touched.
  expect_outside_intact();
}

TEST_F(PosixFileSystemTest, CopyTreeRefusesAnExistingTargetAndItself) {
  fs::path from = m_tmp / "template";
  write_file(from / "file", "new");
  write_file(m_tmp / "existing" / "file", "old");
  auto onto = m_fs.copy_tree(from.string(), (m_tmp / "existing").string());
  ASSERT_FALSE(onto);
  EXPECT_NE(onto.error().message.find("already exists"), std::string::npos);
  EXPECT_EQ(read_file(m_tmp / "existing" / "file"), "old");

  auto inside = m_fs.copy_tree(from.string(), (from / "sub").string());
  ASSERT_FALSE(inside);
  EXPECT_FALSE(fs::exists(from / "sub"));
  EXPECT_FALSE(m_fs.copy_tree((m_tmp / "absent").string(), (m_tmp / "x").string()));
  EXPECT_FALSE(fs::exists(m_tmp / "x"));
}

TEST_F(PosixFileSystemTest, CopyTreeRemovesItsPartialCopyOnError) {
  fs::path from = m_tmp / "template";
  write_file(from / "a" / "file", "x");
  ASSERT_EQ(::mkfifo((from / "z-fifo").c_str(), 0600), 0);
  auto copied = m_fs.copy_tree(from.string(), (m_tmp / "copy").string());
  ASSERT_FALSE(copied);
  EXPECT_NE(copied.error().message.find("z-fifo"), std::string::npos);
  EXPECT_FALSE(fs::exists(m_tmp / "copy"));
}

TEST_F(PosixFileSystemTest, RemoveTreeRemovesAndUnlinksSymlinksWithoutFollowing) {
  fs::path host = m_root / "kleber";
  write_file(host / "filedir" / "ab" / "file", "data");
  write_file(host / ".hidden", "x");
  fs::create_directory_symlink(m_outside / "dir", host / "link-to-dir");
  fs::create_symlink(m_outside / "sentinel.txt", host / "filedir" / "link-to-file");
  fs::create_directory_symlink(m_outside, host / "link-to-outside");
  fs::create_directories(host / "readonly");
  write_file(host / "readonly" / "f", "x");
  ::chmod((host / "readonly").c_str(), 0555);

  auto removed = remove(host);
  ASSERT_TRUE(removed) << removed.error().render();
  EXPECT_FALSE(fs::exists(fs::symlink_status(host)));
  EXPECT_TRUE(fs::is_directory(m_root)) << "the root itself stays";
  expect_outside_intact();

  EXPECT_TRUE(remove(host)) << "removing again is success";
  EXPECT_TRUE(remove(m_root / "never-existed"));
}

TEST_F(PosixFileSystemTest, RemoveTreeAcceptsSymlinksThatStayInsideTheRoot) {
  write_file(m_root / "real" / "host" / "file", "x");
  fs::create_directory_symlink(m_root / "real", m_root / "alias");
  ASSERT_TRUE(remove(m_root / "alias" / "host"));
  EXPECT_FALSE(fs::exists(m_root / "real" / "host"));

  // A root reached through a symlink is compared by where it leads.
  write_file(m_root / "other" / "file", "x");
  fs::create_directory_symlink(m_root, m_tmp / "root-link");
  auto removed =
      m_fs.remove_tree((m_tmp / "root-link" / "other").string(), {(m_tmp / "root-link").string()});
  ASSERT_TRUE(removed) << removed.error().render();
  EXPECT_FALSE(fs::exists(m_root / "other"));
}

TEST_F(PosixFileSystemTest, RemoveTreeRefusesUnsafePathsAndRemovesNothing) {
  write_file(m_root / "host" / "file", "x");
  fs::create_directory_symlink(m_outside, m_root / "escape");
  fs::create_directory_symlink(m_outside / "dir", m_root / "link-host");
  fs::create_directories(m_tmp / "roots" / "vhosts2" / "lookalike");

  struct Case {
    std::string path;
    std::string why;
  };
  const std::vector<Case> cases = {
      {m_outside.string(), "outside every root"},
      {(m_outside / "dir").string(), "outside every root"},
      {m_root.string(), "the root itself"},
      {m_root.string() + "/", "the root with a trailing slash"},
      {m_root.parent_path().string(), "above the root"},
      {(m_root / "host" / ".." / ".." / ".." / "outside").string(), "escapes with .."},
      {(m_root / "host" / "..").string(), "not normal"},
      {(m_root / "." / "host").string(), "not normal"},
      {m_root.string() + "//host", "not normal"},
      {(m_root / "host").string() + "/", "trailing slash"},
      {"roots/vhosts/host", "relative"},
      {"", "empty"},
      {(m_tmp / "roots" / "vhosts2" / "lookalike").string(), "a sibling sharing the prefix"},
      {(m_root / "escape" / "dir").string(), "a symlinked parent leads out"},
      {(m_root / "escape" / "sentinel.txt").string(), "a symlinked parent leads out"},
      {(m_root / "link-host").string(), "the path is a symlink"},
      {(m_root / "escape").string(), "the path is a symlink"},
  };
  for (const auto& c : cases) {
    auto removed = remove(c.path);
    ASSERT_FALSE(removed) << c.path << " (" << c.why << ") was accepted";
    EXPECT_EQ(removed.error().kind, ErrorKind::unsafe)
        << c.path << ": " << removed.error().render();
    EXPECT_NE(removed.error().message.find(c.path), std::string::npos) << removed.error().render();
  }
  expect_outside_intact();
  EXPECT_EQ(read_file(m_root / "host" / "file"), "x");
  EXPECT_TRUE(fs::is_symlink(m_root / "escape"));
  EXPECT_TRUE(fs::is_symlink(m_root / "link-host"));
  EXPECT_TRUE(fs::is_directory(m_tmp / "roots" / "vhosts2" / "lookalike"));

  // The refusal names the allowed roots, so that the operator sees the rule.
  auto outside = remove(m_outside);
  ASSERT_FALSE(outside);
  EXPECT_NE(outside.error().message.find(m_root.string()), std::string::npos);
  // No roots at all: nothing may be removed.
  EXPECT_FALSE(m_fs.remove_tree((m_root / "host").string(), {}));
  EXPECT_FALSE(m_fs.remove_tree((m_root / "host").string(), {"/"}));
  EXPECT_FALSE(m_fs.remove_tree((m_root / "host").string(), {"roots/vhosts"}));
  EXPECT_EQ(read_file(m_root / "host" / "file"), "x");
}

// copy_tree cleans up with std::filesystem::remove_all: it must unlink symlinks to
// directories, not descend into them.
TEST_F(PosixFileSystemTest, StdRemoveAllDoesNotFollowSymlinks) {
  fs::path tree = m_tmp / "tree";
  fs::create_directories(tree / "sub");
  fs::create_directory_symlink(m_outside, tree / "sub" / "to-outside");
  fs::create_symlink(m_outside / "sentinel.txt", tree / "to-file");
  std::error_code ec;
  fs::remove_all(tree, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_FALSE(fs::exists(tree));
  expect_outside_intact();
}

} // namespace
} // namespace vmoodle::testing
