// `manage_db_user: true` end to end on the shared sandbox: the account create makes has
// privileges on its host's database only, its password lives only in the registry, and
// destroy drops it. Also the modes of the files a snapshot and `plan --out` write.

#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"
#include "integration/support/files.hpp"
#include "vmoodle/db/mysql_connector.hpp"
#include "vmoodle/db/mysql_errors.hpp"

namespace vmoodle::testing {
namespace {

unsigned mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    ADD_FAILURE() << "cannot stat " << path;
    return 0;
  }
  return st.st_mode & 07777;
}

class ManagedAccountTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() { s_ws = new FleetWorkspace("priv"); }
  static void TearDownTestSuite() {
    drop_accounts();
    delete s_ws;
    s_ws = nullptr;
  }
  void SetUp() override { drop_accounts(); }

  static void drop_accounts() {
    auto conn = shared_sandbox().connect();
    for (const char* user : {"pv_alpha", "pv_beta", "pv_gamma", "pv_epsilon"}) {
      (void)conn->execute(std::string("DROP USER IF EXISTS '") + user + "'@'%'");
    }
  }

  // The workspace's head with managed accounts as the default and no db_password.
  static std::string head() {
    std::string text = s_ws->manifest_head();
    const std::string shared = "  db_user: moodle\n  db_password: {env: E2E_HOST_PASSWORD}\n";
    text.replace(text.find(shared), shared.size(),
                 "  db_user: \"pv_{shortname}\"\n  manage_db_user: true\n");
    return text;
  }

  static std::string host(const std::string& shortname, const std::string& extra = "") {
    return "  - vhostname: https://" + shortname +
           ".priv.example.org\n    shortname: " + shortname + "\n" + extra;
  }

  static std::string registry_password(const std::string& shortname) {
    auto rows = s_ws->rows("SELECT vdbpass FROM `" + s_ws->master_db() +
                           "`.mdl_local_vmoodle WHERE vhostname = 'https://" + shortname +
                           ".priv.example.org'");
    return rows.size() == 1 ? rows.front() : std::string();
  }

  static int account_count(const std::string& user) {
    auto rows =
        s_ws->rows("SELECT COUNT(*) FROM mysql.user WHERE User = '" + user + "' AND Host = '%'");
    return rows.empty() ? -1 : std::stoi(rows.front());
  }

  // A session as `user` over TCP (the account's host part is `%`).
  static Result<std::unique_ptr<db::Connection>>
  connect_as(const std::string& user, const std::string& password, const std::string& database) {
    model::Server server = shared_sandbox().tcp_server("sandbox");
    server.user = user;
    server.password.reset();
    db::MysqlConnector connector;
    return connector.connect(server, Secret(password), database);
  }

  static FleetWorkspace* s_ws;
};

FleetWorkspace* ManagedAccountTest::s_ws = nullptr;

TEST_F(ManagedAccountTest, CreateMakesAnAccountLimitedToItsDatabaseAndDestroyDropsIt) {
  auto& ws = *s_ws;
  const auto manifest = ws.write_manifest(head() + "hosts:\n" + host("alpha") + host("beta"));
  const std::string plan_file = ws.dir() + "/create.plan";
  auto plan = ws.cli({"plan", "-f", manifest, "--out", plan_file});
  ASSERT_EQ(plan.exit_code, 0) << all_output(plan);
  EXPECT_NE(plan.out.find("+ account 'pv_alpha'@'%' (password generated, stored in the registry)"),
            std::string::npos)
      << plan.out;
  EXPECT_EQ(mode_of(plan_file), 0600u);

  auto apply = ws.cli({"apply", plan_file});
  ASSERT_EQ(apply.exit_code, 0) << all_output(apply);
  EXPECT_NE(apply.out.find("https://alpha.priv.example.org: account done"), std::string::npos)
      << apply.out;

  const std::string alpha_password = registry_password("alpha");
  const std::string beta_password = registry_password("beta");
  ASSERT_EQ(alpha_password.size(), 32u);
  EXPECT_EQ(alpha_password.find_first_not_of(
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            std::string::npos);
  EXPECT_NE(alpha_password, beta_password);
  EXPECT_EQ(ws.rows("SELECT vdblogin FROM `" + ws.master_db() +
                    "`.mdl_local_vmoodle WHERE shortname = 'alpha'"),
            std::vector<std::string>{"pv_alpha"});
  // The password is in the registry only: not in any output nor in the plan file.
  for (const std::string* text : {&plan.out, &plan.err, &apply.out, &apply.err}) {
    EXPECT_EQ(text->find(alpha_password), std::string::npos);
    EXPECT_EQ(text->find(beta_password), std::string::npos);
  }
  EXPECT_EQ(read_file(plan_file).find(alpha_password), std::string::npos);

  // The account works on its own database...
  auto own = connect_as("pv_alpha", alpha_password, ws.db("alpha"));
  ASSERT_TRUE(own) << own.error().render();
  ASSERT_TRUE((*own)->execute("CREATE TABLE pv_probe (id INT)"));
  ASSERT_TRUE((*own)->execute("INSERT INTO pv_probe VALUES (1)"));
  auto count = (*own)->query("SELECT COUNT(*) FROM mdl_config");
  ASSERT_TRUE(count) << count.error().render();
  // ...and nowhere else: not the other host's database, not the master's, nothing global.
  for (const std::string& other : {ws.db("beta"), ws.master_db()}) {
    auto denied = connect_as("pv_alpha", alpha_password, other);
    ASSERT_FALSE(denied) << "pv_alpha reached " << other;
    EXPECT_TRUE(db::has_errno(denied.error(), db::mysql_code::dbaccess_denied))
        << denied.error().render();
    auto read = (*own)->query("SELECT COUNT(*) FROM `" + other + "`.mdl_config");
    EXPECT_FALSE(read) << "pv_alpha read " << other;
  }
  EXPECT_FALSE((*own)->execute("CREATE DATABASE pv_alpha_extra"));
  // `_` in `priv_alpha` is a GRANT wildcard: the grant must not cover `privXalpha`.
  EXPECT_EQ(ws.rows("SHOW GRANTS FOR 'pv_alpha'@'%'").size(), 2u);
  auto wildcard = (*own)->execute("CREATE DATABASE `privXalpha`");
  EXPECT_FALSE(wildcard) << "the grant on priv_alpha also covered privXalpha";
  if (wildcard) {
    (void)ws.sandbox().connect()->execute("DROP DATABASE `privXalpha`");
  }
  own->reset();

  // The generated password is not compared: the fleet has converged.
  auto again = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  EXPECT_EQ(again.exit_code, 0) << all_output(again);

  // A snapshot's files are private: directory 0700, files 0600.
  const auto snap = ws.write_manifest(head() + "hosts:\n" + host("alpha") + host("beta") +
                                      "snapshots:\n  - name: privsnap\n    from: "
                                      "https://beta.priv.example.org\n");
  ::umask(0);
  auto snapped = ws.cli({"apply", "-f", snap, "--auto-approve"});
  ::umask(022);
  ASSERT_EQ(snapped.exit_code, 0) << all_output(snapped);
  const std::string sql_dir = ws.moodledata() + "/vmoodle/privsnap_sql";
  EXPECT_EQ(mode_of(sql_dir), 0700u);
  EXPECT_EQ(mode_of(sql_dir + "/vmoodle_master.sql"), 0600u);
  EXPECT_EQ(mode_of(sql_dir + "/manifest.php"), 0600u);
  EXPECT_EQ(read_file(sql_dir + "/vmoodle_master.sql").find(beta_password), std::string::npos);

  // Destroy drops alpha's account, and only it.
  const auto gone = ws.write_manifest(
      head() + "hosts:\n" + host("alpha", "    state: absent\n    final_snapshot: false\n") +
      host("beta") + "snapshots:\n  - name: privsnap\n    from: https://beta.priv.example.org\n");
  auto destroy_plan = ws.cli({"plan", "-f", gone});
  EXPECT_NE(destroy_plan.out.find("- account 'pv_alpha'@'%'"), std::string::npos)
      << destroy_plan.out;
  auto destroyed = ws.cli({"apply", "-f", gone, "--auto-approve"});
  ASSERT_EQ(destroyed.exit_code, 0) << all_output(destroyed);
  EXPECT_EQ(account_count("pv_alpha"), 0);
  EXPECT_EQ(account_count("pv_beta"), 1);
  EXPECT_FALSE(connect_as("pv_alpha", alpha_password, ""));
}

TEST_F(ManagedAccountTest, AnAccountThatAlreadyExistsIsNeverTakenOver) {
  auto& ws = *s_ws;
  auto admin = ws.sandbox().connect();
  ASSERT_TRUE(admin->execute("CREATE USER 'pv_gamma'@'%' IDENTIFIED BY 'their-own-password'"));
  const auto manifest = ws.write_manifest(head() + "hosts:\n" + host("gamma"));
  auto apply = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  EXPECT_NE(apply.exit_code, 0);
  EXPECT_NE(all_output(apply).find("account 'pv_gamma'@'%' already exists"), std::string::npos)
      << all_output(apply);
  // Its password is unchanged, and no registry row names it.
  auto theirs = connect_as("pv_gamma", "their-own-password", "");
  EXPECT_TRUE(theirs) << theirs.error().render();
  EXPECT_EQ(registry_password("gamma"), "");
}

TEST_F(ManagedAccountTest, ACreateKilledAfterTheAccountStepConvergesOnRerun) {
  auto& ws = *s_ws;
  const std::string vhost = "https://epsilon.priv.example.org";
  const auto manifest = ws.write_manifest(head() + "hosts:\n" + host("epsilon"), "crash.yaml");
  auto killed = run_command({VMOODLE_APPLY_BINARY, "apply", "-f", manifest, "--auto-approve"},
                            {{"VMOODLE_APPLY_CRASH_AFTER", vhost + "|account"},
                             {"VMOODLE_SANDBOX_PASSWORD", ws.sandbox().password()}});
  ASSERT_EQ(killed.exit_code, 137) << all_output(killed);
  EXPECT_EQ(account_count("pv_epsilon"), 1);
  EXPECT_EQ(registry_password("epsilon"), "");

  auto again = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << all_output(again);
  const std::string password = registry_password("epsilon");
  ASSERT_EQ(password.size(), 32u);
  auto own = connect_as("pv_epsilon", password, ws.db("epsilon"));
  ASSERT_TRUE(own) << own.error().render();
  EXPECT_EQ(ws.rows("SHOW GRANTS FOR 'pv_epsilon'@'%'").size(), 2u);
  auto converged = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  EXPECT_EQ(converged.exit_code, 0) << all_output(converged);

  // Leave the shared workspace as it was for the other tests.
  const auto gone = ws.write_manifest(
      head() + "hosts:\n" + host("epsilon", "    state: absent\n    final_snapshot: false\n"),
      "crash.yaml");
  auto destroyed = ws.cli({"apply", "-f", gone, "--auto-approve"});
  EXPECT_EQ(destroyed.exit_code, 0) << all_output(destroyed);
  EXPECT_EQ(account_count("pv_epsilon"), 0);
}

TEST_F(ManagedAccountTest, ManagedHostWithADbPasswordIsRefusedWhereItIsWritten) {
  auto& ws = *s_ws;
  const auto manifest = ws.write_manifest(
      head() + "hosts:\n" + host("delta", "    db_password: {env: E2E_HOST_PASSWORD}\n"));
  auto result = ws.cli({"validate", "-f", manifest});
  EXPECT_NE(result.exit_code, 0);
  const std::string text = all_output(result);
  EXPECT_NE(text.find("hosts[0].db_password"), std::string::npos) << text;
  EXPECT_NE(text.find("manage_db_user: true and a db_password"), std::string::npos) << text;
}

} // namespace
} // namespace vmoodle::testing
