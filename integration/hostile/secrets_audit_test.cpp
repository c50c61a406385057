// Passwords never leave the places they belong to (the environment, and the registry's
// vdbpass column by VMoodle's design): a full create → password change + migration +
// snapshot → destroy cycle through the CLI, then every byte the tool wrote — stdout,
// stderr, saved plans, templates, snapshots, dataroots — is searched for them.
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

std::string random_secret(std::size_t length) {
  static const std::string k_alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device device;
  std::uniform_int_distribution<std::size_t> pick(0, k_alphabet.size() - 1);
  std::string out;
  for (std::size_t i = 0; i < length; ++i) {
    out += k_alphabet[pick(device)];
  }
  return out;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  const auto pos = text.find(from);
  if (pos == std::string::npos) {
    throw std::runtime_error("test bug: `" + from + "` not in the manifest head");
  }
  return text.replace(pos, from.size(), to);
}

class SecretsAudit : public ::testing::Test {
protected:
  SecretsAudit()
      : m_ws("audit"), m_server_password(random_secret(64)),
        // vdbpass is char(32): the longest host password VMoodle can hold.
        m_host_passwords{random_secret(32), random_secret(32)} {}

  void SetUp() override {
    // A dedicated account, so that the server password is one this test chose.
    auto conn = m_ws.sandbox().connect();
    (void)conn->execute("DROP USER IF EXISTS 'audit_admin'@'localhost'");
    ASSERT_TRUE(conn->execute("CREATE USER 'audit_admin'@'localhost' IDENTIFIED BY '" +
                              m_server_password + "'"));
    ASSERT_TRUE(conn->execute("GRANT ALL ON *.* TO 'audit_admin'@'localhost' WITH GRANT OPTION"));
  }

  void TearDown() override {
    (void)m_ws.sandbox().connect()->execute("DROP USER IF EXISTS 'audit_admin'@'localhost'");
  }

  std::string head() const {
    std::string text = m_ws.manifest_head();
    text = replaced(text, "user: vmoodle_admin", "user: audit_admin");
    text = replaced(text, "{env: VMOODLE_SANDBOX_PASSWORD}", "{env: AUDIT_SERVER_PASSWORD}");
    text = replaced(text, "{env: E2E_HOST_PASSWORD}", "{env: AUDIT_HOST_PASSWORD}");
    return text;
  }

  /// Runs the CLI with host password number `generation`; keeps everything it printed.
  RunResult cli(std::vector<std::string> args, int generation) {
    const std::string label = args.front();
    args.insert(args.begin(), VMOODLE_APPLY_BINARY);
    auto run = run_command(args, {{"AUDIT_SERVER_PASSWORD", m_server_password},
                                  {"AUDIT_HOST_PASSWORD", m_host_passwords.at(generation)}});
    m_outputs.push_back({label + " (stdout)", run.out});
    m_outputs.push_back({label + " (stderr)", run.err});
    return run;
  }

  /// plan --out FILE, then apply FILE; both must succeed.
  void plan_and_apply(const std::string& manifest, const std::string& plan_file, int generation,
                      const std::string& summary) {
    auto plan = cli({"plan", "-f", manifest, "--out", plan_file}, generation);
    ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
    ASSERT_NE(plan.out.find(summary), std::string::npos) << plan.out;
    auto show = cli({"show", plan_file}, generation);
    ASSERT_EQ(show.exit_code, 0) << show.err;
    auto apply = cli({"apply", plan_file}, generation);
    ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
    auto drift = cli({"drift", "-f", manifest}, generation);
    EXPECT_NE(drift.exit_code, 1) << drift.out << drift.err;
  }

  /// Every secret found in anything the tool wrote so far: `where: which secret`.
  std::vector<std::string> leaks() const {
    std::vector<std::pair<std::string, std::string>> secrets = {
        {"server password", m_server_password},
        {"first host password", m_host_passwords[0]},
        {"second host password", m_host_passwords[1]}};
    std::vector<std::string> found;
    auto search = [&](const std::string& where, const std::string& bytes) {
      for (const auto& [name, secret] : secrets) {
        if (bytes.find(secret) != std::string::npos) {
          found.push_back(where + ": " + name);
        }
      }
    };
    for (const auto& [label, text] : m_outputs) {
      search(label, text);
    }
    for (const auto& entry : fs::recursive_directory_iterator(m_ws.dir())) {
      if (entry.is_regular_file() && !entry.is_symlink()) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        search(entry.path().string(), bytes.str());
      }
    }
    return found;
  }

  std::size_t files_under(const std::string& dir) const {
    std::size_t count = 0;
    if (fs::exists(dir)) {
      for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        count += entry.is_regular_file() ? 1 : 0;
      }
    }
    return count;
  }

  FleetWorkspace m_ws;
  std::string m_server_password;
  std::vector<std::string> m_host_passwords;
  std::vector<std::pair<std::string, std::string>> m_outputs;
};

TEST_F(SecretsAudit, NoPasswordInAnyOutputPlanTemplateSnapshotOrDataroot) {
  const std::string host = "hosts:\n"
                           "  - vhostname: https://audited.example.org\n"
                           "    shortname: audited\n"
                           "    name: Audited\n";
  plan_and_apply(m_ws.write_manifest(head() + host, "create.yaml"), m_ws.dir() + "/create.plan", 0,
                 "Plan: 1 to create, 0 to update, 0 to migrate, 0 to snapshot, 0 to destroy.");

  // New password, a collation change (a migration) and a snapshot of the host.
  const std::string changed = host + "    charset: utf8mb4\n"
                                     "    collation: utf8mb4_general_ci\n"
                                     "snapshots:\n"
                                     "  - name: audited_tpl\n"
                                     "    from: https://audited.example.org\n";
  plan_and_apply(m_ws.write_manifest(head() + changed, "change.yaml"), m_ws.dir() + "/change.plan",
                 1, "Plan: 0 to create, 1 to update, 1 to migrate, 1 to snapshot, 0 to destroy.");
  // Drift while the environment still holds the old password: reported, not shown.
  auto drift = cli({"drift", "-f", m_ws.dir() + "/change.yaml"}, 0);
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("vdbpass"), std::string::npos) << drift.out;
  // The secrets really went through the tool: the registry (and only it) holds one.
  EXPECT_EQ(m_ws.rows("SELECT vdbpass FROM `" + m_ws.master_db() + "`.mdl_local_vmoodle"),
            std::vector<std::string>{m_host_passwords[1]});
  const std::string templates = m_ws.moodledata() + "/vmoodle";
  EXPECT_TRUE(fs::exists(templates + "/audited_tpl_sql/vmoodle_master.sql"));
  EXPECT_GT(files_under(m_ws.moodledata() + "/vhosts/audited"), 0u);
  EXPECT_EQ(leaks(), std::vector<std::string>{}) << "after create, update, migrate, snapshot";

  // Destroy, with its final snapshot (the dataroots are gone afterwards: checked above).
  const std::string absent = "hosts:\n"
                             "  - vhostname: https://audited.example.org\n"
                             "    shortname: audited\n"
                             "    state: absent\n";
  plan_and_apply(m_ws.write_manifest(head() + absent, "destroy.yaml"), m_ws.dir() + "/destroy.plan",
                 1, "Plan: 0 to create, 0 to update, 0 to migrate, 0 to snapshot, 1 to destroy.");
  EXPECT_EQ(m_ws.rows("SELECT COUNT(*) FROM `" + m_ws.master_db() + "`.mdl_local_vmoodle"),
            std::vector<std::string>{"0"});
  EXPECT_EQ(leaks(), std::vector<std::string>{}) << "after destroy";
  EXPECT_GE(m_outputs.size(), 26u);
}

} // namespace
} // namespace vmoodle::testing
