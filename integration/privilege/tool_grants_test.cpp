// The tool's own account with only the grants docs/install.md lists: a whole life cycle
// (create, update, settings, snapshot, create from it, migration, destroy) and a plan that
// converges. Without SELECT on the mysql schema, refresh reads sizes from the tablespaces.
#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"

namespace vmoodle::testing {
namespace {

// The documented grants, for an account `vm_tool` on the master database and on the
// databases named `<workspace>_h…`.
void make_tool_account(FleetWorkspace& ws) {
  // `_` is a wildcard in a grant's database name: `\_` is the underscore itself.
  std::string prefix = ws.db("");
  prefix.pop_back();
  const std::string hosts = "`" + prefix + "\\_h%`";
  const std::string password = FleetWorkspace::k_host_password;
  for (const std::string& sql : {
           std::string("DROP USER IF EXISTS 'vm_tool'@'localhost'"),
           "CREATE USER 'vm_tool'@'localhost' IDENTIFIED BY '" + password + "'",
           std::string("GRANT PROCESS ON *.* TO 'vm_tool'@'localhost'"),
           "GRANT SELECT, INSERT, UPDATE, DELETE ON `" + ws.master_db() +
               "`.* TO 'vm_tool'@'localhost'",
           "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, LOCK TABLES, "
           "CREATE VIEW, SHOW VIEW, TRIGGER, REFERENCES ON " +
               hosts + ".* TO 'vm_tool'@'localhost'",
       }) {
    auto conn = ws.sandbox().connect();
    auto done = conn->execute(sql);
    ASSERT_TRUE(done) << sql << ": " << done.error().render();
  }
}

std::string head_for_tool(FleetWorkspace& ws) {
  std::string text = ws.manifest_head();
  text.replace(text.find("user: vmoodle_admin"), 19, "user: vm_tool");
  const std::string sandbox_password = "password: {env: VMOODLE_SANDBOX_PASSWORD}";
  text.replace(text.find(sandbox_password), sandbox_password.size(),
               "password: {env: E2E_HOST_PASSWORD}");
  return text;
}

std::string host(const std::string& shortname, const std::string& extra = "") {
  return "  - vhostname: https://" + shortname + ".example.org\n    shortname: " + shortname +
         "\n" + extra;
}

TEST(ToolGrants, AWholeLifeCycleNeedsNoMoreThanTheDocumentedGrants) {
  FleetWorkspace ws("e2egr");
  make_tool_account(ws);
  const std::string head = head_for_tool(ws);
  const auto apply = [&](const std::string& body, const std::string& step) {
    auto result = ws.cli(
        {"apply", "-f", ws.write_manifest(head + body), "--auto-approve", "--max-destroy", "1"});
    EXPECT_EQ(result.exit_code, 0) << step << "\n" << output_of(result);
    return result;
  };

  apply("hosts:\n" + host("ha") + host("hb"), "create");
  apply("snapshots:\n  - name: gold\n    from: https://ha.example.org\nhosts:\n" +
            host("ha", "    description: Changed\n    config:\n      theme: classic\n") +
            host("hb"),
        "update, settings and snapshot");
  const std::string converged =
      "snapshots:\n  - name: gold\n    from: https://ha.example.org\nhosts:\n" +
      host("ha", "    description: Changed\n    config:\n      theme: classic\n"
                 "    collation: utf8mb4_general_ci\n") +
      host("hb", "    state: absent\n") + host("hc", "    template: gold\n");
  apply(converged, "migration, destroy and create from the snapshot");

  auto plan = ws.cli({"plan", "-f", ws.write_manifest(head + converged), "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << output_of(plan);
  EXPECT_NE(plan.out.find("No changes."), std::string::npos) << output_of(plan);
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" +
                    ws.db("hb") + "'"),
            (std::vector<std::string>{"0"}));
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" +
                    ws.db("ha") + "' AND TABLE_COLLATION <> 'utf8mb4_general_ci'"),
            (std::vector<std::string>{"0"}));
  // The account could not read the persistent statistics: the plan did not need them.
  auto conn = ws.sandbox().connect();
  auto grants = conn->query("SHOW GRANTS FOR 'vm_tool'@'localhost'");
  ASSERT_TRUE(grants);
  for (const auto& row : grants->rows) {
    EXPECT_EQ(row.at(0)->find("`mysql`"), std::string::npos) << *row.at(0);
  }
  (void)conn->execute("DROP USER IF EXISTS 'vm_tool'@'localhost'");
}

} // namespace
} // namespace vmoodle::testing
