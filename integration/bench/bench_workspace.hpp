#pragma once

#include <memory>
#include <string>
#include <vector>

#include "integration/bench/measure.hpp"
#include "integration/support/sandbox.hpp"
#include "vmoodle/db/connection.hpp"

namespace vmoodle::bench {

/// The password every benchmark host gets, through `{env: BENCH_HOST_PASSWORD}`.
inline constexpr const char* k_host_password_env = "BENCH_HOST_PASSWORD";

/// A temporary directory with a master and template `base` made by scripts/seed-fleet.sh
/// on the benchmark's sandbox; manifests written there; the CLI and the stock clients
/// run against them. Databases are named `<name>_…`; all of it goes with the object.
class BenchWorkspace {
public:
  BenchWorkspace(testing::MariadbSandbox& sandbox, std::string name, int seed_files = 20);
  ~BenchWorkspace();
  BenchWorkspace(const BenchWorkspace&) = delete;
  BenchWorkspace& operator=(const BenchWorkspace&) = delete;

  std::string dir() const { return m_dir; }
  std::string moodledata() const { return m_dir + "/moodledata"; }
  std::string templates_dir() const { return moodledata() + "/vmoodle"; }
  std::string master_db() const { return m_name + "_master"; }
  std::string db(const std::string& shortname) const { return m_name + "_" + shortname; }
  std::string dataroot(const std::string& shortname) const {
    return moodledata() + "/vhosts/" + shortname;
  }
  std::string vhostname(const std::string& shortname) const {
    return "https://" + shortname + ".bench.example.org";
  }

  /// Server, master, roots and defaults (template `base`); `hosts:` follows.
  std::string manifest_head() const;
  /// One `hosts:` entry.
  std::string host_entry(const std::string& shortname, const std::string& tpl = "") const;
  std::string write_manifest(const std::string& text, const std::string& file = "fleet.yaml");

  /// vmoodle-apply with `args`, timed.
  Measure cli(const std::vector<std::string>& args) const;
  /// The stock `mariadb` client on the sandbox (`database` selected when not empty):
  /// argv ready for extra options.
  std::vector<std::string> client(const std::string& database = "") const;
  /// Runs the SQL file `path` in `database` with the stock client, timed; throws on error.
  Measure load_file(const std::string& database, const std::string& path) const;

  /// A new session on the sandbox.
  std::unique_ptr<db::Connection> connect() const { return m_sandbox.connect(); }
  /// Runs `sql`; throws std::runtime_error on error.
  void execute(const std::string& sql) const;
  /// First column of the first row of `sql` ("" when none); throws on error.
  std::string scalar(const std::string& sql) const;

  /// Waits (at most `timeout_s`) until InnoDB has written its dirty pages and purged its
  /// undo history: a fleet just built keeps the server busy for minutes, which a nightly
  /// plan never meets. Returns what it waited for, for the report.
  std::string settle(int timeout_s = 300) const;

  /// Removes hosts `shortnames`: databases, registry rows and dataroots, straight away.
  void forget_hosts(const std::vector<std::string>& shortnames) const;

  testing::MariadbSandbox& sandbox() const { return m_sandbox; }

private:
  testing::MariadbSandbox& m_sandbox;
  std::string m_name;
  std::string m_dir;
};

} // namespace vmoodle::bench
