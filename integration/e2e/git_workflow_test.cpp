// --rev, dirty manifests and --base, with a real git repository and the real server.
#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"

namespace vmoodle::testing {
namespace {

class GitWorkflowTest : public ::testing::Test {
protected:
  void SetUp() override {
    ws = std::make_unique<FleetWorkspace>("e2egit");
    git({"init", "-q", "-b", "main"});
  }

  void git(std::vector<std::string> args) {
    args.insert(args.begin(),
                {"git", "-C", ws->dir(), "-c", "user.name=t", "-c", "user.email=t@example.org"});
    auto result = run_command(args);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  std::string manifest(const std::string& names) {
    std::string out = ws->manifest_head() + "hosts:\n";
    for (char c : names) {
      const std::string s(1, c);
      out += "  - vhostname: https://" + s + ".example.org\n    shortname: " + s + "\n";
    }
    return out;
  }

  std::string commit(const std::string& names, const std::string& message) {
    const auto path = ws->write_manifest(manifest(names));
    git({"add", "fleet.yaml"});
    git({"commit", "-q", "-m", message});
    return path;
  }

  std::unique_ptr<FleetWorkspace> ws;
};

TEST_F(GitWorkflowTest, RevPlansTheCommittedManifestWhileTheTreeDiffers) {
  const auto path = commit("a", "one host");
  ws->write_manifest(manifest("ab")); // uncommitted second host
  auto at_head = ws->cli({"plan", "-f", path, "--rev", "HEAD"});
  ASSERT_EQ(at_head.exit_code, 0) << at_head.err;
  EXPECT_NE(at_head.out.find("Plan: 1 to create"), std::string::npos) << at_head.out;
  auto tree = ws->cli({"plan", "-f", path});
  EXPECT_NE(tree.out.find("Plan: 2 to create"), std::string::npos) << tree.out;
}

TEST_F(GitWorkflowTest, ApplyRefusesADirtyManifestUnlessAllowed) {
  const auto path = commit("a", "one host");
  ws->write_manifest(manifest("ab"));
  auto refused = ws->cli({"apply", "-f", path, "--auto-approve"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("the manifest has uncommitted changes (modified)"), std::string::npos)
      << refused.err;
  EXPECT_TRUE(ws->rows("SELECT id FROM `" + ws->master_db() + "`.`mdl_local_vmoodle`").empty());

  // A plan file made from a dirty manifest is refused the same way.
  const std::string plan_file = ws->dir() + "/dirty.plan.json";
  ASSERT_EQ(ws->cli({"plan", "-f", path, "--out", plan_file}).exit_code, 0);
  auto from_file = ws->cli({"apply", plan_file});
  EXPECT_EQ(from_file.exit_code, 1);
  EXPECT_NE(from_file.err.find("uncommitted changes"), std::string::npos) << from_file.err;

  auto allowed = ws->cli({"apply", "-f", path, "--auto-approve", "--allow-dirty"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.out << allowed.err;
}

TEST_F(GitWorkflowTest, BaseRefusesABranchBehindIt) {
  const auto path = commit("a", "one host");
  git({"checkout", "-q", "-b", "feature"});
  git({"checkout", "-q", "main"});
  commit("ab", "main adds b");
  git({"checkout", "-q", "feature"});
  auto behind = ws->cli({"plan", "-f", path, "--base", "main"});
  EXPECT_EQ(behind.exit_code, 1);
  EXPECT_NE(behind.err.find("does not contain main"), std::string::npos) << behind.err;
  git({"merge", "-q", "main"});
  auto merged = ws->cli({"plan", "-f", path, "--base", "main"});
  EXPECT_EQ(merged.exit_code, 0) << merged.err;
}

TEST_F(GitWorkflowTest, RevOutsideARepositoryIsAClearError) {
  auto outside = ws->cli(
      {"plan", "-f", "/tmp/nowhere-" + std::to_string(getpid()) + "/f.yaml", "--rev", "HEAD"});
  EXPECT_EQ(outside.exit_code, 1);
  EXPECT_NE(outside.err.find("git repository"), std::string::npos) << outside.err;
}

} // namespace
} // namespace vmoodle::testing
