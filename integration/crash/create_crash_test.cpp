// A create killed (SIGKILL) right after each of its steps, then applied again: the
// host ends exactly as one created in a single run, with nothing duplicated.
#include <algorithm>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "integration/destroy/destroy_fixture.hpp"
#include "vmoodle/sql/fixup.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* k_crash_env = "VMOODLE_APPLY_CRASH_AFTER";

/// Relative path → size of every file below `root`, and every directory as -1.
std::map<std::string, std::intmax_t> tree(const fs::path& root) {
  std::map<std::string, std::intmax_t> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string relative = fs::relative(entry.path(), root).string();
    out[relative] = entry.is_directory() ? -1 : static_cast<std::intmax_t>(entry.file_size());
  }
  return out;
}

class CreateCrashTest : public ::testing::TestWithParam<std::string> {
protected:
  static void SetUpTestSuite() {
    s_ws = new FleetWorkspace("ccrash");
    // The reference: a host created in one uninterrupted run.
    auto created = s_ws->cli({"apply", "-f", manifest_for("cref"), "--auto-approve"});
    if (created.exit_code != 0) {
      FAIL() << output_of(created);
    }
  }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  static std::string manifest_for(const std::string& shortname) {
    return s_ws->write_manifest(s_ws->manifest_head() + "hosts:\n" +
                                    host_entry(shortname, "    name: \"Site " + shortname + "\"\n"),
                                shortname + ".yaml");
  }

  static RunResult apply_crashing_after(const std::string& manifest, const std::string& crash) {
    return run_command({VMOODLE_APPLY_BINARY, "apply", "-f", manifest, "--auto-approve"},
                       {{k_crash_env, crash},
                        {"E2E_HOST_PASSWORD", FleetWorkspace::k_host_password},
                        {"VMOODLE_SANDBOX_PASSWORD", s_ws->sandbox().password()}});
  }

  static FleetWorkspace* s_ws;
};

FleetWorkspace* CreateCrashTest::s_ws = nullptr;

TEST_P(CreateCrashTest, RerunAfterAKillConvergesToTheSameHost) {
  auto& ws = *s_ws;
  const std::string step = GetParam();
  std::string shortname = "c" + step;
  shortname.erase(std::remove(shortname.begin(), shortname.end(), '-'), shortname.end());
  const std::string vhost = vhost_of(shortname);
  const auto manifest = manifest_for(shortname);

  auto killed = apply_crashing_after(manifest, vhost + "|" + step);
  ASSERT_EQ(killed.exit_code, 137) << output_of(killed);
  EXPECT_NE(killed.out.find(vhost + ": " + step + " done"), std::string::npos) << killed.out;

  auto again = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << output_of(again);
  auto converged = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  EXPECT_EQ(converged.exit_code, 0) << output_of(converged);

  // Database: the same tables with the same number of rows as the reference; those
  // the fix-up leaves alone identical, those it changes made for this host.
  const auto reference = ws.checksums(ws.db("cref"));
  const auto created = ws.checksums(ws.db(shortname));
  ASSERT_GT(reference.size(), 20u);
  ASSERT_EQ(created.size(), reference.size());
  const auto changed = sql::fixup_changed_tables("mdl_");
  for (const auto& [table, sum] : reference) {
    ASSERT_TRUE(created.count(table)) << table;
    EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.db(shortname) + "`.`" + table + "`"),
              ws.rows("SELECT COUNT(*) FROM `" + ws.db("cref") + "`.`" + table + "`"))
        << table;
    if (std::find(changed.begin(), changed.end(), table) == changed.end()) {
      EXPECT_EQ(created.at(table), sum) << table;
    }
  }
  EXPECT_EQ(
      ws.rows("SELECT fullname, shortname FROM `" + ws.db(shortname) + "`.mdl_course WHERE id = 1"),
      (std::vector<std::string>{"Site " + shortname + "|" + shortname}));
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.db(shortname) +
                    "`.mdl_mnet_host WHERE wwwroot = '" + vhost + "'"),
            (std::vector<std::string>{"1"}));
  EXPECT_EQ(ws.rows("SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" +
                    ws.db(shortname) + "'"),
            (std::vector<std::string>{"vmoodle-apply: managed"}));

  // Dataroot: exactly the template's files, no marker, no partial copy left.
  EXPECT_EQ(tree(dataroot_of(ws, shortname)), tree(dataroot_of(ws, "cref")));
  EXPECT_FALSE(fs::exists(dataroot_of(ws, shortname) + ".vmoodle-apply-partial"));

  // Registry: exactly one row, equal to the reference's but for the host's own values.
  const std::string columns = "vdbtype, vdbhost, vdblogin, vdbpass, vdbprefix, vdbpersist, mnet, "
                              "enabled, metadata";
  const auto rows =
      ws.rows("SELECT name, vdbname, vdatapath, " + columns + " FROM `" + ws.master_db() +
              "`.mdl_local_vmoodle WHERE vhostname = '" + vhost + "'");
  const auto reference_row =
      ws.rows("SELECT " + columns + " FROM `" + ws.master_db() +
              "`.mdl_local_vmoodle WHERE vhostname = 'https://cref.example.org'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.front(), "Site " + shortname + "|" + ws.db(shortname) + "|" +
                              dataroot_of(ws, shortname) + "|" + reference_row.front());
}

INSTANTIATE_TEST_SUITE_P(EveryStep, CreateCrashTest,
                         ::testing::Values("database", "template", "fix-up", "dataroot",
                                           "registry"),
                         [](const auto& info) {
                           std::string name = info.param;
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

} // namespace
} // namespace vmoodle::testing
