// The git adapter against real repositories made with the git CLI.
#include "vmoodle/git/libgit2_repository.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <gtest/gtest.h>

#include "integration/support/run.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

class GitRepositoryTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = fs::temp_directory_path().string() + "/vmoodle-git-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_dir = fs::canonical(pattern).string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }

  // Runs git in the repository with a fixed identity and no user configuration.
  std::string git(std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", m_dir});
    auto result = run_command(args, {{"GIT_AUTHOR_NAME", "Test"},
                                     {"GIT_AUTHOR_EMAIL", "test@example.org"},
                                     {"GIT_COMMITTER_NAME", "Test"},
                                     {"GIT_COMMITTER_EMAIL", "test@example.org"},
                                     {"GIT_CONFIG_GLOBAL", "/dev/null"},
                                     {"GIT_CONFIG_NOSYSTEM", "1"}});
    if (result.exit_code != 0) {
      throw std::runtime_error("git failed: " + result.err);
    }
    const auto end = result.out.find_last_not_of('\n');
    return end == std::string::npos ? "" : result.out.substr(0, end + 1);
  }

  void write(const std::string& relative, const std::string& text) {
    fs::create_directories(fs::path(m_dir + "/" + relative).parent_path());
    std::ofstream(m_dir + "/" + relative) << text;
  }

  // main: c1 (fleet v1) → c2 (fleet v2, tagged v2) ; feature: from c1, c3.
  void make_history() {
    git({"init", "-q", "-b", "main"});
    write("infra/fleet.yaml", "version: 1 # first\n");
    git({"add", "infra/fleet.yaml"});
    git({"commit", "-q", "-m", "first"});
    write("infra/fleet.yaml", "version: 1 # second\n");
    git({"commit", "-q", "-am", "second"});
    git({"tag", "-a", "v2", "-m", "release two"});
    git({"checkout", "-q", "-b", "feature", "HEAD~1"});
    write("infra/other.yaml", "x\n");
    git({"add", "infra/other.yaml"});
    git({"commit", "-q", "-m", "feature work"});
  }

  std::unique_ptr<git::Libgit2Repository> open(const std::string& relative = "") {
    auto repo = git::Libgit2Repository::discover(m_dir + "/" + relative);
    if (!repo) {
      throw std::runtime_error(repo.error().render());
    }
    return std::move(*repo);
  }

  std::string m_dir;
};

TEST_F(GitRepositoryTest, DiscoversTheRepositoryFromAFileInASubdirectory) {
  make_history();
  auto repo = open("infra/fleet.yaml");
  EXPECT_EQ(repo->workdir(), m_dir);
  auto relative = repo->path_in_repository(m_dir + "/infra/../infra/fleet.yaml");
  ASSERT_TRUE(relative) << relative.error().render();
  EXPECT_EQ(*relative, "infra/fleet.yaml");

  auto outside = repo->path_in_repository("/etc/hostname");
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().kind, ErrorKind::usage);
  EXPECT_NE(outside.error().message.find("is not inside the git repository"), std::string::npos);
}

TEST_F(GitRepositoryTest, ADirectoryOutsideAnyRepositoryIsAUsageError) {
  auto repo = git::Libgit2Repository::discover(m_dir);
  ASSERT_FALSE(repo);
  EXPECT_EQ(repo.error().kind, ErrorKind::usage);
  EXPECT_NE(repo.error().message.find("not inside a git repository"), std::string::npos)
      << repo.error().render();
  EXPECT_FALSE(repo.error().hint.empty());
}

TEST_F(GitRepositoryTest, ResolvesBranchesTagsIdsAndExpressions) {
  make_history();
  auto repo = open();
  const std::string main_id = git({"rev-parse", "main"});
  const std::string first_id = git({"rev-parse", "main~1"});
  const std::string feature_id = git({"rev-parse", "feature"});

  EXPECT_EQ(repo->resolve("main").value_or(""), main_id);
  EXPECT_EQ(repo->resolve("HEAD").value_or(""), feature_id);
  EXPECT_EQ(repo->resolve("HEAD~1").value_or(""), first_id);
  EXPECT_EQ(repo->resolve("v2").value_or(""), main_id) << "an annotated tag peels to its commit";
  EXPECT_EQ(repo->resolve(main_id.substr(0, 8)).value_or(""), main_id);
  EXPECT_EQ(repo->resolve(main_id).value_or(""), main_id);

  auto unknown = repo->resolve("no-such-branch");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, ErrorKind::usage);
  EXPECT_NE(unknown.error().message.find("unknown git revision `no-such-branch`"),
            std::string::npos)
      << unknown.error().render();
}

TEST_F(GitRepositoryTest, AnEmptyRepositoryHasNoHead) {
  git({"init", "-q", "-b", "main"});
  auto repo = open();
  auto head = repo->resolve("HEAD");
  ASSERT_FALSE(head);
  EXPECT_NE(head.error().message.find("no commits yet"), std::string::npos)
      << head.error().render();
}

TEST_F(GitRepositoryTest, ReadsAFileAtACommitWithoutCheckingItOut) {
  make_history();
  auto repo = open();
  write("infra/fleet.yaml", "version: 1 # on disk, uncommitted\n");

  auto at_main = repo->read_blob(*repo->resolve("main"), "infra/fleet.yaml");
  ASSERT_TRUE(at_main) << at_main.error().render();
  EXPECT_EQ(*at_main, "version: 1 # second\n");
  auto at_first = repo->read_blob(*repo->resolve("main~1"), "infra/fleet.yaml");
  ASSERT_TRUE(at_first) << at_first.error().render();
  EXPECT_EQ(*at_first, "version: 1 # first\n");
  // Reading changed nothing on disk or in HEAD.
  EXPECT_EQ(git({"rev-parse", "--abbrev-ref", "HEAD"}), "feature");

  auto absent = repo->read_blob(*repo->resolve("main"), "infra/other.yaml");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().kind, ErrorKind::usage);
  EXPECT_NE(absent.error().message.find("does not exist at that commit"), std::string::npos);
  EXPECT_NE(absent.error().where.find("infra/other.yaml"), std::string::npos);

  auto directory = repo->read_blob(*repo->resolve("main"), "infra");
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().message.find("not a file"), std::string::npos);

  auto bad_id = repo->read_blob("1234", "infra/fleet.yaml");
  ASSERT_FALSE(bad_id);
  EXPECT_EQ(bad_id.error().kind, ErrorKind::usage);
}

TEST_F(GitRepositoryTest, TellsCleanModifiedStagedUntrackedAndIgnoredFiles) {
  make_history();
  write(".gitignore", "*.local.yaml\n");
  git({"add", ".gitignore"});
  git({"commit", "-q", "-m", "ignore"});
  auto repo = open();

  auto clean = repo->status("infra/fleet.yaml");
  ASSERT_TRUE(clean) << clean.error().render();
  EXPECT_TRUE(clean->tracked);
  EXPECT_FALSE(clean->dirty());
  EXPECT_EQ(clean->describe(), "clean");

  write("infra/fleet.yaml", "version: 1 # edited\n");
  auto modified = repo->status("infra/fleet.yaml");
  ASSERT_TRUE(modified);
  EXPECT_TRUE(modified->modified);
  EXPECT_FALSE(modified->staged);
  EXPECT_TRUE(modified->dirty());

  git({"add", "infra/fleet.yaml"});
  auto staged = repo->status("infra/fleet.yaml");
  ASSERT_TRUE(staged);
  EXPECT_TRUE(staged->staged);
  EXPECT_FALSE(staged->modified);
  EXPECT_EQ(staged->describe(), "staged");

  write("infra/new.yaml", "x\n");
  auto untracked = repo->status("infra/new.yaml");
  ASSERT_TRUE(untracked);
  EXPECT_TRUE(untracked->untracked);
  EXPECT_FALSE(untracked->tracked);
  EXPECT_TRUE(untracked->dirty());

  write("infra/mine.local.yaml", "x\n");
  auto ignored = repo->status("infra/mine.local.yaml");
  ASSERT_TRUE(ignored);
  EXPECT_TRUE(ignored->ignored);
  EXPECT_TRUE(ignored->dirty());

  auto missing = repo->status("infra/nothing.yaml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, ErrorKind::usage);
}

TEST_F(GitRepositoryTest, TellsWhetherACommitContainsAnother) {
  make_history();
  auto repo = open();
  const auto main_id = *repo->resolve("main");
  const auto first_id = *repo->resolve("main~1");
  const auto feature_id = *repo->resolve("feature");

  EXPECT_EQ(repo->contains(main_id, first_id).value_or(false), true);
  EXPECT_EQ(repo->contains(main_id, main_id).value_or(false), true);
  EXPECT_EQ(repo->contains(first_id, main_id).value_or(true), false);
  // feature forked before main's second commit: it is behind its base.
  EXPECT_EQ(repo->contains(feature_id, main_id).value_or(true), false);
  EXPECT_EQ(repo->contains(feature_id, first_id).value_or(false), true);

  git({"merge", "-q", "--no-edit", "main"});
  auto merged = repo->resolve("HEAD");
  ASSERT_TRUE(merged);
  EXPECT_EQ(repo->contains(*merged, main_id).value_or(false), true);
}

} // namespace
} // namespace vmoodle::testing
