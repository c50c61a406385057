#pragma once

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "integration/destroy/destroy_fixture.hpp"
#include "integration/support/background.hpp"
#include "vmoodle/sql/fixup.hpp"

namespace vmoodle::testing::faults {

namespace fs = std::filesystem;

/// The statement a gated template runs half-way through its load. While a test holds
/// the user lock, the load waits there: a deterministic "in the middle of the load".
inline std::string gate_statement(const std::string& lock) {
  return "DO GET_LOCK('" + lock + "', 600);";
}

/// Makes template `name` in `ws`: a copy of template `base` whose dump runs
/// gate_statement(lock) before the first `DROP TABLE IF EXISTS` past the middle of the
/// file: between two tables, outside any LOCK TABLES, and not inside the DROP/CREATE
/// group of one table (which the parallel load runs together on one session).
inline void make_gated_template(FleetWorkspace& ws, const std::string& name,
                                const std::string& lock) {
  const std::string dir = ws.moodledata() + "/vmoodle/";
  fs::copy(dir + "base_vmoodledata", dir + name + "_vmoodledata", fs::copy_options::recursive);
  fs::create_directories(dir + name + "_sql");
  fs::copy(dir + "base_sql/manifest.php", dir + name + "_sql/manifest.php");
  std::ifstream in(dir + "base_sql/vmoodle_master.sql", std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::string dump = text.str();
  const std::size_t at = dump.find("\nDROP TABLE IF EXISTS", dump.size() / 2);
  if (at == std::string::npos) {
    throw std::runtime_error("no DROP TABLE in the second half of the base template's dump");
  }
  dump.insert(at + 1, gate_statement(lock) + "\n");
  std::ofstream(dir + name + "_sql/vmoodle_master.sql", std::ios::binary) << dump;
}

/// A session of the test holding a user lock that gated templates wait for.
class Gate {
public:
  Gate(MariadbSandbox& sandbox, std::string lock) : m_conn(sandbox.connect()) {
    auto held = m_conn->query("SELECT GET_LOCK('" + lock + "', 10)");
    if (!held || held->rows.empty() || held->rows.front()[0].value_or("") != "1") {
      throw std::runtime_error("cannot take the gate lock " + lock);
    }
  }
  /// Lets waiting loads through (the session ends, and its lock with it).
  void open() { m_conn.reset(); }
  db::Connection& session() { return *m_conn; }

private:
  std::unique_ptr<db::Connection> m_conn;
};

/// Waits until a session other than the caller's runs a statement matching `like`
/// (and, when not empty, is in `state`); returns its id. Throws after `seconds`.
inline std::string wait_for_statement(MariadbSandbox& sandbox, const std::string& like,
                                      const std::string& state = "", int seconds = 120) {
  auto conn = sandbox.connect();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    auto found = conn->query("SELECT ID FROM information_schema.PROCESSLIST WHERE ID <> "
                             "CONNECTION_ID() AND INFO LIKE '" +
                             like + "'" + (state.empty() ? "" : " AND STATE = '" + state + "'"));
    if (found && !found->rows.empty()) {
      return found->rows.front()[0].value_or("");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("no session ran `" + like + "` within " + std::to_string(seconds) +
                           " s");
}

/// Waits until session `id` is gone (a killed client's statement can outlive it).
inline void wait_until_gone(MariadbSandbox& sandbox, const std::string& id, int seconds = 120) {
  auto conn = sandbox.connect();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    auto found = conn->query("SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = " + id);
    if (found && found->rows.empty()) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("session " + id + " still there after " + std::to_string(seconds) +
                           " s");
}

/// Starts `vmoodle-apply args...` in the background, as FleetWorkspace::cli does.
inline std::unique_ptr<BackgroundCommand> start_cli(FleetWorkspace& ws,
                                                    std::vector<std::string> args) {
  args.insert(args.begin(), VMOODLE_APPLY_BINARY);
  return std::make_unique<BackgroundCommand>(
      args,
      std::map<std::string, std::string>{{"E2E_HOST_PASSWORD", FleetWorkspace::k_host_password},
                                         {"VMOODLE_SANDBOX_PASSWORD", ws.sandbox().password()}});
}

/// A manifest of `ws` with one host per shortname, each from template `tpl`.
inline std::string hosts_manifest(FleetWorkspace& ws, const std::vector<std::string>& shortnames,
                                  const std::string& tpl, const std::string& file) {
  std::string text = ws.manifest_head() + "hosts:\n";
  for (const auto& shortname : shortnames) {
    text +=
        host_entry(shortname, "    name: \"Site " + shortname + "\"\n    template: " + tpl + "\n");
  }
  return ws.write_manifest(text, file);
}

/// Relative path → size of every file below `root`, and every directory as -1.
inline std::map<std::string, std::intmax_t> file_tree(const fs::path& root) {
  std::map<std::string, std::intmax_t> out;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const std::string relative = fs::relative(entry.path(), root).string();
    out[relative] = entry.is_directory() ? -1 : static_cast<std::intmax_t>(entry.file_size());
  }
  return out;
}

/// Asserts that `plan` has nothing left to do for `manifest`.
inline void expect_converged(FleetWorkspace& ws, const std::string& manifest) {
  auto plan = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << output_of(plan);
}

/// Asserts that host `shortname` is what host `reference` is (both created from the same
/// template, the reference without a fault): the same tables with the same rows, one
/// registry row, the same dataroot files, no creation marker and no partial copy left.
inline void expect_same_host(FleetWorkspace& ws, const std::string& shortname,
                             const std::string& reference) {
  const auto expected = ws.checksums(ws.db(reference));
  const auto actual = ws.checksums(ws.db(shortname));
  ASSERT_GT(expected.size(), 20u);
  ASSERT_EQ(actual.size(), expected.size());
  const auto changed = sql::fixup_changed_tables("mdl_");
  for (const auto& [table, sum] : expected) {
    ASSERT_TRUE(actual.count(table)) << table;
    EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.db(shortname) + "`.`" + table + "`"),
              ws.rows("SELECT COUNT(*) FROM `" + ws.db(reference) + "`.`" + table + "`"))
        << table;
    if (std::find(changed.begin(), changed.end(), table) == changed.end()) {
      EXPECT_EQ(actual.at(table), sum) << table;
    }
  }
  EXPECT_EQ(ws.rows("SELECT SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" +
                    ws.db(shortname) + "'"),
            (std::vector<std::string>{"vmoodle-apply: managed"}));
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.master_db() +
                    "`.mdl_local_vmoodle WHERE vhostname = '" + vhost_of(shortname) + "'"),
            (std::vector<std::string>{"1"}));
  EXPECT_EQ(file_tree(dataroot_of(ws, shortname)), file_tree(dataroot_of(ws, reference)));
  EXPECT_FALSE(fs::exists(dataroot_of(ws, shortname) + ".vmoodle-apply-partial"));
}

} // namespace vmoodle::testing::faults
