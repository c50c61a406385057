// A destroy killed (SIGKILL) right after each of its steps, then applied again: the
// host ends fully gone — database, dataroot, registry row, the master's MNet rows — and
// its final snapshot is there once, whole and loadable.
#include <algorithm>
#include <filesystem>
#include <map>

#include <gtest/gtest.h>

#include "integration/destroy/destroy_fixture.hpp"
#include "vmoodle/model/markers.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

class DestroyCrashTest : public ::testing::TestWithParam<std::string> {
protected:
  static void SetUpTestSuite() { s_ws = new FleetWorkspace("dcrash"); }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  static std::string manifest_for(const std::string& shortname, bool absent) {
    return s_ws->write_manifest(s_ws->manifest_head() + "hosts:\n" +
                                    host_entry(shortname, absent ? "    state: absent\n" : ""),
                                shortname + (absent ? "-absent.yaml" : ".yaml"));
  }

  static RunResult apply_crashing_after(const std::string& manifest, const std::string& crash) {
    return run_command({VMOODLE_APPLY_BINARY, "apply", "-f", manifest, "--auto-approve"},
                       {{"VMOODLE_APPLY_CRASH_AFTER", crash},
                        {"E2E_HOST_PASSWORD", FleetWorkspace::k_host_password},
                        {"VMOODLE_SANDBOX_PASSWORD", s_ws->sandbox().password()}});
  }

  static FleetWorkspace* s_ws;
};

FleetWorkspace* DestroyCrashTest::s_ws = nullptr;

TEST_P(DestroyCrashTest, RerunAfterAKillFinishesTheDestroy) {
  auto& ws = *s_ws;
  const std::string step = GetParam();
  std::string shortname = "d" + step;
  shortname.erase(std::remove(shortname.begin(), shortname.end(), ' '), shortname.end());
  const std::string vhost = vhost_of(shortname);

  auto created = ws.cli({"apply", "-f", manifest_for(shortname, false), "--auto-approve"});
  ASSERT_EQ(created.exit_code, 0) << output_of(created);
  const std::string mnet_id = seed_master_mnet(ws, vhost);
  const auto rows = registry_rows(ws, vhost);
  ASSERT_EQ(rows.size(), 1u);
  const std::string snapshot =
      "final_" + shortname + "_" + rows.front().substr(0, rows.front().find('|'));
  const auto before = ws.checksums(ws.db(shortname));
  ASSERT_GT(before.size(), 20u);

  const auto absent = manifest_for(shortname, true);
  auto killed = apply_crashing_after(absent, vhost + "|" + step);
  ASSERT_EQ(killed.exit_code, 137) << output_of(killed);
  EXPECT_NE(killed.out.find(vhost + ": " + step + " done"), std::string::npos) << killed.out;
  if (step != "final snapshot" && step != "registry") {
    EXPECT_EQ(registry_rows(ws, vhost),
              (std::vector<std::string>{rows.front().substr(0, rows.front().find('|')) + "|0|" +
                                        model::destroying_mark(snapshot)}))
        << "disabled and marked from `disable` on";
    auto resumed = ws.cli({"plan", "-f", absent, "--detailed-exitcode"});
    EXPECT_EQ(resumed.exit_code, 2) << output_of(resumed);
    EXPECT_NE(resumed.out.find("finishes an interrupted destroy"), std::string::npos)
        << resumed.out;
  }

  auto again = ws.cli({"apply", "-f", absent, "--auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << output_of(again);
  auto converged = ws.cli({"plan", "-f", absent, "--detailed-exitcode"});
  EXPECT_EQ(converged.exit_code, 0) << output_of(converged);

  EXPECT_FALSE(database_exists(ws, ws.db(shortname)));
  EXPECT_FALSE(fs::exists(dataroot_of(ws, shortname)));
  EXPECT_FALSE(fs::exists(dataroot_of(ws, shortname) + ".vmoodle-apply-partial"));
  EXPECT_TRUE(registry_rows(ws, vhost).empty());
  EXPECT_EQ(master_mnet_rows(ws, mnet_id), 0);
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.master_db() + "`.mdl_mnet_host WHERE id = 1"),
            (std::vector<std::string>{"1"}))
      << "the master's own MNet row stays";

  // One final snapshot, whole: it loads with the stock client into the host as it was.
  EXPECT_EQ(template_entries(ws, "final_" + shortname),
            (std::vector<std::string>{snapshot + "_sql", snapshot + "_vmoodledata"}));
  ws.load_reference(snapshot, ws.db(shortname + "load"));
  EXPECT_EQ(ws.checksums(ws.db(shortname + "load")), before);
  EXPECT_TRUE(fs::is_directory(ws.moodledata() + "/vmoodle/" + snapshot + "_vmoodledata/filedir"));
}

INSTANTIATE_TEST_SUITE_P(EveryStep, DestroyCrashTest,
                         ::testing::Values("final snapshot", "disable", "database", "dataroot",
                                           "mnet", "registry"),
                         [](const auto& info) {
                           std::string name = info.param;
                           name.erase(std::remove(name.begin(), name.end(), ' '), name.end());
                           return name;
                         });

} // namespace
} // namespace vmoodle::testing
