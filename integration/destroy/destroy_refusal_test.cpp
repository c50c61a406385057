// Destroys the CLI refuses: a protected host, more hosts than --max-destroy. Nothing
// may be removed or even marked.
#include <filesystem>

#include <gtest/gtest.h>

#include "integration/destroy/destroy_fixture.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

class DestroyRefusalTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_ws = new FleetWorkspace("drefuse");
    auto created =
        s_ws->cli({"apply", "-f",
                   s_ws->write_manifest(s_ws->manifest_head() + "hosts:\n" + host_entry("guarded") +
                                            host_entry("md1") + host_entry("md2"),
                                        "present.yaml"),
                   "--auto-approve"});
    if (created.exit_code != 0) {
      FAIL() << output_of(created);
    }
  }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  // The host is as created: database, dataroot, one enabled registry row, no mark.
  static void expect_untouched(const std::string& shortname) {
    auto& ws = *s_ws;
    EXPECT_TRUE(database_exists(ws, ws.db(shortname))) << shortname;
    EXPECT_TRUE(fs::is_directory(dataroot_of(ws, shortname))) << shortname;
    const auto rows = registry_rows(ws, vhost_of(shortname));
    ASSERT_EQ(rows.size(), 1u) << shortname;
    EXPECT_EQ(rows.front().substr(rows.front().find('|')), "|1|NULL") << shortname;
  }

  static FleetWorkspace* s_ws;
};

FleetWorkspace* DestroyRefusalTest::s_ws = nullptr;

TEST_F(DestroyRefusalTest, ProtectedHostIsRefusedWithAClearMessage) {
  auto& ws = *s_ws;
  const auto manifest =
      ws.write_manifest(ws.manifest_head() + "hosts:\n" +
                            host_entry("guarded", "    state: absent\n    protect: true\n") +
                            host_entry("md1") + host_entry("md2"),
                        "protected.yaml");

  auto plan = ws.cli({"plan", "-f", manifest});
  EXPECT_EQ(plan.exit_code, 1) << output_of(plan);
  auto apply = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  EXPECT_EQ(apply.exit_code, 1) << output_of(apply);
  const std::string out = apply.out + apply.err;
  EXPECT_NE(out.find("host is protected: `protect: true` refuses its destroy"), std::string::npos)
      << out;
  EXPECT_NE(out.find("https://guarded.example.org"), std::string::npos) << out;
  EXPECT_NE(out.find("protected.yaml:"), std::string::npos) << "names where: " << out;
  expect_untouched("guarded");
}

TEST_F(DestroyRefusalTest, MoreDestroysThanMaxDestroyAreRefused) {
  auto& ws = *s_ws;
  const auto manifest = ws.write_manifest(ws.manifest_head() + "hosts:\n" + host_entry("guarded") +
                                              host_entry("md1", "    state: absent\n") +
                                              host_entry("md2", "    state: absent\n"),
                                          "two-absent.yaml");

  auto apply = ws.cli({"apply", "-f", manifest, "--auto-approve", "--max-destroy", "1"});
  EXPECT_EQ(apply.exit_code, 1) << output_of(apply);
  const std::string out = apply.out + apply.err;
  EXPECT_NE(out.find("the plan destroys 2 hosts, more than --max-destroy 1"), std::string::npos)
      << out;
  EXPECT_NE(out.find("raise --max-destroy"), std::string::npos) << out;
  expect_untouched("md1");
  expect_untouched("md2");

  // Within the limit the same manifest plans both destroys, each with its final snapshot.
  auto plan = ws.cli({"plan", "-f", manifest, "--max-destroy", "2", "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 2) << output_of(plan);
  EXPECT_NE(plan.out.find("2 to destroy"), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("final_md1_"), std::string::npos) << plan.out;
  expect_untouched("md1");
}

TEST_F(DestroyRefusalTest, WithinTheLimitBothAreDestroyed) {
  auto& ws = *s_ws;
  const auto manifest =
      ws.write_manifest(ws.manifest_head() + "hosts:\n" + host_entry("guarded") +
                            host_entry("md1", "    state: absent\n") +
                            host_entry("md2", "    state: absent\n    final_snapshot: false\n"),
                        "within.yaml");
  const std::string md1_row = registry_rows(ws, vhost_of("md1")).front();
  const std::string md1_id = md1_row.substr(0, md1_row.find('|'));

  auto plan = ws.cli({"plan", "-f", manifest, "--max-destroy", "2"});
  ASSERT_EQ(plan.exit_code, 0) << output_of(plan);
  EXPECT_NE(plan.out.find("- host \"https://md1.example.org\""), std::string::npos) << plan.out;
  EXPECT_NE(plan.out.find("2 to destroy."), std::string::npos) << plan.out;

  auto apply = ws.cli({"apply", "-f", manifest, "--auto-approve", "--max-destroy", "2"});
  ASSERT_EQ(apply.exit_code, 0) << output_of(apply);
  for (const char* step :
       {"final snapshot", "disable", "database", "dataroot", "mnet", "registry"}) {
    EXPECT_NE(apply.out.find(std::string("https://md1.example.org: ") + step + " done"),
              std::string::npos)
        << step << "\n"
        << apply.out;
  }
  EXPECT_EQ(apply.out.find("https://md2.example.org: final snapshot"), std::string::npos)
      << "final_snapshot: false";
  for (const char* shortname : {"md1", "md2"}) {
    EXPECT_FALSE(database_exists(ws, ws.db(shortname))) << shortname;
    EXPECT_FALSE(fs::exists(dataroot_of(ws, shortname))) << shortname;
    EXPECT_TRUE(registry_rows(ws, vhost_of(shortname)).empty()) << shortname;
  }
  EXPECT_EQ(template_entries(ws, "final_md"),
            (std::vector<std::string>{"final_md1_" + md1_id + "_sql",
                                      "final_md1_" + md1_id + "_vmoodledata"}));
  expect_untouched("guarded");
  for (const auto* run : {&plan, &apply}) {
    EXPECT_EQ(output_of(*run).find(FleetWorkspace::k_host_password), std::string::npos);
    EXPECT_EQ(output_of(*run).find(ws.sandbox().password()), std::string::npos);
  }

  auto converged = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  EXPECT_EQ(converged.exit_code, 0) << output_of(converged);
}

} // namespace
} // namespace vmoodle::testing
