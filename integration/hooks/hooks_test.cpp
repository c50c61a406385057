// Hooks end to end: the built binary runs manifest hooks around real actions against
// MariaDB; a failing hook fails its host and skips what depends on it.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"
#include "integration/support/files.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

std::string write_script(FleetWorkspace& ws, const std::string& name, const std::string& body) {
  const std::string path = ws.dir() + "/" + name;
  std::ofstream(path) << "#!/bin/sh\n" << body;
  ::chmod(path.c_str(), 0755);
  return path;
}

std::string replaced_name(std::string host) {
  const std::string from = "name: Kléber";
  host.replace(host.find(from), from.size(), "name: Kléber (renamed)");
  return host;
}

class HooksTest : public ::testing::Test {
protected:
  HooksTest() : m_ws("e2ehooks") {
    // Appends its arguments (after the log file) as one line to the log file.
    m_record =
        write_script(m_ws, "record.sh", "log=$1; shift; printf '%s\\n' \"$*\" >> \"$log\"\n");
  }

  std::string log(const std::string& shortname) const {
    return m_ws.dir() + "/" + shortname + ".log";
  }

  FleetWorkspace m_ws;
  std::string m_record;
};

TEST_F(HooksTest, HooksRunInOrderWithPlaceholdersAroundEachAction) {
  const std::string head =
      m_ws.manifest_head() +
      "  hooks:\n"
      "    after_create:\n"
      "      - [" +
      m_record + ", \"" + m_ws.dir() +
      "/{shortname}.log\", "
      "created, \"{vhostname}\", \"{shortname}\", \"{database}\", "
      "\"{dataroot}\"]\n"
      "      - {argv: [" +
      m_record + ", \"" + m_ws.dir() +
      "/{shortname}.log\", second], timeout: 30}\n"
      "    after_update: [[" +
      m_record + ", \"" + m_ws.dir() +
      "/{shortname}.log\", updated]]\n"
      "    before_destroy:\n"
      // The dataroot still exists when the hook runs: it is before the destroy.
      "      - [sh, -c, 'test -d \"$1\" && echo dataroot-present >> \"$2\"', sh, \"{dataroot}\", "
      "\"" +
      m_ws.dir() + "/{shortname}.log\"]\n";
  const std::string host = "hosts:\n"
                           "  - vhostname: https://kleber.example.org\n"
                           "    shortname: kleber\n"
                           "    name: Kléber\n";
  const auto manifest = m_ws.write_manifest(head + host);

  auto plan = m_ws.cli({"plan", "-f", manifest});
  ASSERT_EQ(plan.exit_code, 0) << all_output(plan);
  EXPECT_NE(plan.out.find("      hook after_create[1] = " + m_record + " " + log("kleber") +
                          " created https://kleber.example.org kleber " + m_ws.db("kleber")),
            std::string::npos)
      << plan.out;
  EXPECT_NE(plan.out.find("hook after_create[2] = " + m_record + " " + log("kleber") +
                          " second (timeout 30s)"),
            std::string::npos)
      << plan.out;

  auto apply = m_ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << all_output(apply);
  EXPECT_NE(apply.out.find("https://kleber.example.org: hook after_create[2] done"),
            std::string::npos)
      << apply.out;
  EXPECT_LT(apply.out.find("kleber.example.org: registry done"),
            apply.out.find("kleber.example.org: hook after_create[1] done"))
      << "hooks run after the action";
  EXPECT_EQ(read_file(log("kleber")), "created https://kleber.example.org kleber " +
                                          m_ws.db("kleber") + " " + m_ws.moodledata() +
                                          "/vhosts/kleber\nsecond\n");

  // Converged: nothing to do, no hook runs.
  auto again = m_ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << all_output(again);
  EXPECT_EQ(read_file(log("kleber")).find("updated"), std::string::npos);

  const auto renamed = m_ws.write_manifest(head + replaced_name(host), "renamed.yaml");
  auto update = m_ws.cli({"apply", "-f", renamed, "--auto-approve"});
  ASSERT_EQ(update.exit_code, 0) << all_output(update);
  EXPECT_NE(read_file(log("kleber")).find("second\nupdated\n"), std::string::npos);

  const auto absent = m_ws.write_manifest(head + "hosts:\n"
                                                 "  - vhostname: https://kleber.example.org\n"
                                                 "    shortname: kleber\n"
                                                 "    state: absent\n"
                                                 "    final_snapshot: false\n",
                                          "absent.yaml");
  auto destroy = m_ws.cli({"apply", "-f", absent, "--auto-approve"});
  ASSERT_EQ(destroy.exit_code, 0) << all_output(destroy);
  EXPECT_NE(read_file(log("kleber")).find("updated\ndataroot-present\n"), std::string::npos)
      << read_file(log("kleber"));
  EXPECT_FALSE(fs::exists(m_ws.moodledata() + "/vhosts/kleber"));
}

TEST_F(HooksTest, AFailingHookFailsItsHostAndSkipsItsDependents) {
  // As VMoodle's workers do for a vhostname with no registry row: die() exits 0.
  const std::string no_host = write_script(
      m_ws, "no-host.sh",
      "echo \"$1\" >> \"$0.calls\"\necho \"VMoodling (Mysql) : No configuration for this host : "
      "$1\"\nexit 0\n");
  const std::string manifest_text = m_ws.manifest_head() +
                                    "hosts:\n"
                                    "  - vhostname: https://alpha.example.org\n"
                                    "    shortname: alpha\n"
                                    "    hooks:\n"
                                    "      after_create: [[" +
                                    no_host +
                                    ", \"--host={vhostname}\"]]\n"
                                    "  - vhostname: https://beta.example.org\n"
                                    "    shortname: beta\n"
                                    "    template: fromalpha\n"
                                    "  - vhostname: https://gamma.example.org\n"
                                    "    shortname: gamma\n"
                                    "    hooks:\n"
                                    "      after_create:\n"
                                    "        - [sh, -c, 'echo upgrade broke; exit 3']\n"
                                    "        - [" +
                                    m_record + ", \"" + log("gamma") +
                                    "\", never]\n"
                                    "  - vhostname: https://delta.example.org\n"
                                    "    shortname: delta\n"
                                    "    hooks:\n"
                                    "      after_create: [[" +
                                    m_record + ", \"" + log("delta") +
                                    "\", \"{shortname}\"]]\n"
                                    "snapshots:\n"
                                    "  - name: fromalpha\n"
                                    "    from: https://alpha.example.org\n";
  const auto manifest = m_ws.write_manifest(manifest_text);

  auto apply = m_ws.cli({"apply", "-f", manifest, "--auto-approve"});
  EXPECT_EQ(apply.exit_code, 1) << all_output(apply);
  EXPECT_NE(apply.out.find("https://alpha.example.org: hook after_create[1] FAILED"),
            std::string::npos)
      << apply.out;
  EXPECT_NE(apply.err.find("No configuration for this host"), std::string::npos) << apply.err;
  // Indented under the error, not prefixed with `Error:` as an error line is.
  EXPECT_NE(apply.err.find("\n    | VMoodling (Mysql) : No configuration for this host : "
                           "--host=https://alpha.example.org"),
            std::string::npos)
      << apply.err;
  EXPECT_NE(apply.err.find("exited with status 3"), std::string::npos) << apply.err;
  EXPECT_NE(apply.err.find("\n    | upgrade broke\n"), std::string::npos) << apply.err;
  EXPECT_NE(apply.err.find("Skipped: snapshot.fromalpha"), std::string::npos) << apply.err;
  EXPECT_NE(apply.err.find("Skipped: https://beta.example.org"), std::string::npos) << apply.err;
  EXPECT_NE(apply.out.find("2 failed, 2 skipped"), std::string::npos) << apply.out;
  EXPECT_FALSE(fs::exists(log("gamma"))) << "a failed command stops the hook's next ones";
  EXPECT_EQ(read_file(log("delta")), "delta\n") << "independent hosts go on";
  EXPECT_FALSE(fs::exists(m_ws.moodledata() + "/vmoodle/fromalpha_sql"));
  EXPECT_EQ(m_ws.rows("SELECT vhostname FROM `" + m_ws.master_db() +
                      "`.mdl_local_vmoodle ORDER BY vhostname"),
            (std::vector<std::string>{"https://alpha.example.org", "https://delta.example.org",
                                      "https://gamma.example.org"}))
      << "the failed hosts' actions themselves completed";

  // The next apply finishes the skipped work; the failed hosts' actions are done, so
  // their after-hooks do not run again (documented in docs/manifest.md, Hooks).
  auto again = m_ws.cli({"apply", "-f", manifest, "--auto-approve"});
  EXPECT_EQ(again.exit_code, 0) << all_output(again);
  EXPECT_EQ(read_file(no_host + ".calls"), "--host=https://alpha.example.org\n");
  EXPECT_TRUE(fs::exists(m_ws.moodledata() + "/vhosts/beta"));
}

} // namespace
} // namespace vmoodle::testing
