// Bad input exits 1 with located messages and touches nothing, in MariaDB or on disk.
#include <filesystem>

#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

class BadInputTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() { s_ws = new FleetWorkspace("e2ebad"); }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  // Everything an apply could have touched, as one comparable value.
  static std::vector<std::string> footprint() {
    auto state = s_ws->rows("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY 1");
    for (const auto& row :
         s_ws->rows("SELECT * FROM `" + s_ws->master_db() + "`.`mdl_local_vmoodle`")) {
      state.push_back(row);
    }
    for (const auto& entry : fs::recursive_directory_iterator(s_ws->dir())) {
      state.push_back(entry.path().string());
    }
    return state;
  }

  struct Case {
    std::string name;
    std::string manifest;
    std::vector<std::string> expected; ///< substrings of stderr
  };

  static std::string host(const std::string& extra) {
    return "hosts:\n  - vhostname: https://bad.example.org\n    shortname: bad\n" + extra;
  }

  static FleetWorkspace* s_ws;
};

FleetWorkspace* BadInputTest::s_ws = nullptr;

TEST_F(BadInputTest, EveryBadManifestExitsOneLocatedAndChangesNothing) {
  const std::string head = s_ws->manifest_head();
  const std::vector<Case> cases = {
      {"yaml syntax", head + host("    name: [unclosed\n"), {"bad.yaml:"}},
      {"schema violation", head + host("    enabled: maybe\n"), {"hosts[0].enabled"}},
      {"unknown key", head + host("    databse: x\n"), {"hosts[0]", "databse"}},
      {"duplicate vhostname",
       head + host("") + "  - vhostname: https://bad.example.org\n    shortname: bad2\n",
       {"hosts[1].vhostname"}},
      {"injection in database",
       head + host("    database: \"x`; DROP DATABASE y\"\n"),
       {"hosts[0].database"}},
      {"dataroot traversal",
       head + host("    dataroot: " + s_ws->moodledata() + "/vhosts/../../etc\n"),
       {"hosts[0].dataroot"}},
      {"empty manifest", "", {"bad.yaml"}},
  };
  const auto before = footprint();
  for (const auto& c : cases) {
    const auto path = s_ws->write_manifest(c.manifest, "bad.yaml");
    for (const auto* command : {"validate", "plan", "apply"}) {
      std::vector<std::string> args = {command, "-f", path};
      if (std::string(command) == "apply") {
        args.push_back("--auto-approve");
      }
      auto run = s_ws->cli(args);
      EXPECT_EQ(run.exit_code, 1) << c.name << " / " << command << "\n" << run.out << run.err;
      for (const auto& needle : c.expected) {
        EXPECT_NE(run.err.find(needle), std::string::npos)
            << c.name << " / " << command << ": expected `" << needle << "` in\n"
            << run.err;
      }
      // A located message: file:line:column.
      if (!c.manifest.empty()) {
        EXPECT_NE(run.err.find("bad.yaml:"), std::string::npos) << c.name << "\n" << run.err;
      }
      EXPECT_EQ(run.err.find(FleetWorkspace::k_host_password), std::string::npos);
    }
    fs::remove(path);
    EXPECT_EQ(footprint(), before) << c.name;
  }
}

TEST_F(BadInputTest, MissingPasswordVariableIsNamedNotGuessed) {
  const auto path = s_ws->write_manifest(
      s_ws->manifest_head() + host("    db_password: {env: E2E_UNSET_VARIABLE}\n"), "unset.yaml");
  auto run = s_ws->cli({"plan", "-f", path});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("E2E_UNSET_VARIABLE"), std::string::npos) << run.err;
}

} // namespace
} // namespace vmoodle::testing
