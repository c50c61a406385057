#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "integration/support/fleet_manifest.hpp"
#include "integration/support/run.hpp"
#include "integration/support/sandbox.hpp"

namespace vmoodle::testing {

/// A master, a template and a moodledata folder made by scripts/seed-fleet.sh on
/// the shared sandbox, in a temporary directory; manifests written there; the CLI
/// run against them. Everything is named after `name` so suites do not collide.
class FleetWorkspace {
public:
  static constexpr const char* k_host_password = "h0st-Secret-Value";

  explicit FleetWorkspace(const std::string& name) : FleetWorkspace(name, shared_sandbox()) {}

  /// The same on `sandbox`, e.g. a private one a test restarts; it must outlive this.
  FleetWorkspace(const std::string& name, MariadbSandbox& sandbox)
      : m_name(name), m_sandbox(sandbox) {
    std::string pattern = "/tmp/vmoodle-e2e-" + name + "-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    m_dir = pattern;
    std::filesystem::create_directories(moodledata() + "/vhosts");
    seed("base", "https://template.example.org", "mdl_");
  }

  ~FleetWorkspace() {
    auto conn = m_sandbox.connect();
    auto dbs = conn->query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
                           "SCHEMA_NAME LIKE '" +
                           m_name + "\\_%'");
    if (dbs) {
      for (const auto& row : dbs->rows) {
        (void)conn->execute("DROP DATABASE `" + *row[0] + "`");
      }
    }
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }

  /// Makes template `name` (and, the first time, the master) with seed-fleet.sh.
  void seed(const std::string& tpl, const std::string& wwwroot, const std::string& prefix) {
    auto result = run_command(
        {std::string(VMOODLE_SOURCE_DIR) + "/scripts/seed-fleet.sh", "--socket", m_sandbox.socket(),
         "--user", k_sandbox_user, "--master-db", master_db(), "--master-wwwroot",
         "https://moodle.example.org", "--master-dataroot", moodledata(), "--template", tpl,
         "--template-wwwroot", wwwroot, "--template-prefix", prefix},
        {{"MYSQL_PWD", m_sandbox.password()}});
    if (result.exit_code != 0) {
      throw std::runtime_error("seed-fleet.sh failed: " + result.out + result.err);
    }
  }

  std::string dir() const { return m_dir; }
  std::string moodledata() const { return m_dir + "/moodledata"; }
  std::string master_db() const { return m_name + "_master"; }
  std::string db(const std::string& shortname) const { return m_name + "_" + shortname; }
  MariadbSandbox& sandbox() { return m_sandbox; }

  /// The manifest head: server, master, roots and defaults for this workspace.
  std::string manifest_head() const {
    return vmoodle::testing::manifest_head({m_sandbox.socket(), m_name, moodledata(),
                                            "https://moodle.example.org", "E2E_HOST_PASSWORD"});
  }

  std::string write_manifest(const std::string& text, const std::string& file = "fleet.yaml") {
    const std::string path = m_dir + "/" + file;
    std::ofstream(path) << text;
    return path;
  }

  RunResult cli(std::vector<std::string> args) {
    args.insert(args.begin(), VMOODLE_APPLY_BINARY);
    return run_command(args, {{"E2E_HOST_PASSWORD", k_host_password},
                              {"VMOODLE_SANDBOX_PASSWORD", m_sandbox.password()}});
  }

  /// All rows of `sql` as text, NULL as "NULL", fields joined by '|'.
  std::vector<std::string> rows(const std::string& sql) {
    auto conn = m_sandbox.connect();
    auto result = conn->query(sql);
    if (!result) {
      throw std::runtime_error(result.error().render());
    }
    std::vector<std::string> out;
    for (const auto& row : result->rows) {
      std::string line;
      for (std::size_t i = 0; i < row.size(); ++i) {
        line += (i ? "|" : "") + row[i].value_or("NULL");
      }
      out.push_back(line);
    }
    return out;
  }

  /// Table → CHECKSUM TABLE value for every table of `database`.
  std::map<std::string, std::string> checksums(const std::string& database) {
    std::map<std::string, std::string> out;
    for (const auto& table : rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                                  "TABLE_SCHEMA = '" +
                                  database + "' ORDER BY TABLE_NAME")) {
      auto sums = rows("CHECKSUM TABLE `" + database + "`.`" + table + "`");
      out[table] = sums.empty() ? "" : sums.front().substr(sums.front().rfind('|') + 1);
    }
    return out;
  }

  /// A copy of template `tpl` loaded with the stock client into database `target`:
  /// the reference the tool's creations are compared with.
  void load_reference(const std::string& tpl, const std::string& target) {
    auto conn = m_sandbox.connect();
    (void)conn->execute("DROP DATABASE IF EXISTS `" + target + "`");
    (void)conn->execute("CREATE DATABASE `" + target + "`");
    const std::string dump = moodledata() + "/vmoodle/" + tpl + "_sql/vmoodle_master.sql";
    auto result = run_command({"sh", "-c",
                               "exec mariadb --no-defaults --socket=\"$1\" -u vmoodle_admin \"$2\" "
                               "< \"$3\"",
                               "sh", m_sandbox.socket(), target, dump},
                              {{"MYSQL_PWD", m_sandbox.password()}});
    if (result.exit_code != 0) {
      throw std::runtime_error("loading the reference failed: " + result.err);
    }
  }

private:
  std::string m_name;
  MariadbSandbox& m_sandbox;
  std::string m_dir;
};

} // namespace vmoodle::testing
