#include "integration/bench/bench_workspace.hpp"

#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "integration/support/fleet_manifest.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::bench {

namespace fs = std::filesystem;

BenchWorkspace::BenchWorkspace(testing::MariadbSandbox& sandbox, std::string name, int seed_files)
    : m_sandbox(sandbox), m_name(std::move(name)) {
  std::string pattern = "/tmp/vmoodle-bench-" + m_name + "-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  m_dir = pattern;
  fs::create_directories(moodledata() + "/vhosts");
  require_ok(measure({std::string(VMOODLE_SOURCE_DIR) + "/scripts/seed-fleet.sh", "--socket",
                      m_sandbox.socket(), "--user", testing::k_sandbox_user, "--master-db",
                      master_db(), "--master-wwwroot", "https://moodle.bench.example.org",
                      "--master-dataroot", moodledata(), "--template", "base", "--template-wwwroot",
                      "https://template.bench.example.org", "--files", std::to_string(seed_files)}),
             "seed-fleet.sh");
}

BenchWorkspace::~BenchWorkspace() {
  try {
    auto conn = connect();
    auto dbs = conn->query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE "
                           "SCHEMA_NAME LIKE " +
                           sql::literal(m_name + "\\_%"));
    if (dbs) {
      for (const auto& row : dbs->rows) {
        (void)conn->execute("DROP DATABASE " + sql::ident(*row[0]));
      }
    }
  } catch (const std::exception&) {
    // The sandbox is going away with everything in it anyway.
  }
  std::error_code ec;
  fs::remove_all(m_dir, ec);
}

std::string BenchWorkspace::manifest_head() const {
  return vmoodle::testing::manifest_head({m_sandbox.socket(), m_name, moodledata(),
                                          "https://moodle.bench.example.org", k_host_password_env,
                                          4});
}

std::string BenchWorkspace::host_entry(const std::string& shortname, const std::string& tpl) const {
  std::string entry = "  - vhostname: " + vhostname(shortname) + "\n    shortname: " + shortname +
                      "\n    name: \"Établissement " + shortname + "\"\n";
  if (!tpl.empty()) {
    entry += "    template: " + tpl + "\n";
  }
  return entry;
}

std::string BenchWorkspace::write_manifest(const std::string& text, const std::string& file) {
  const std::string path = m_dir + "/" + file;
  std::ofstream(path) << text;
  return path;
}

Measure BenchWorkspace::cli(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{VMOODLE_APPLY_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return measure(argv);
}

std::vector<std::string> BenchWorkspace::client(const std::string& database) const {
  // The password comes from MYSQL_PWD (set by the benchmark), never the command line.
  std::vector<std::string> argv{"mariadb",
                                "--no-defaults",
                                "--protocol=socket",
                                "--socket=" + m_sandbox.socket(),
                                "--user=" + std::string(testing::k_sandbox_user),
                                "--default-character-set=utf8mb4",
                                "--batch"};
  if (!database.empty()) {
    argv.push_back("--database=" + database);
  }
  return argv;
}

Measure BenchWorkspace::load_file(const std::string& database, const std::string& path) const {
  return require_ok(measure(client(database), path, "/dev/null"), "loading " + path);
}

void BenchWorkspace::execute(const std::string& sql) const {
  auto conn = connect();
  if (auto done = conn->execute(sql); !done) {
    throw std::runtime_error(done.error().render());
  }
}

std::string BenchWorkspace::scalar(const std::string& sql) const {
  auto conn = connect();
  auto result = conn->query(sql);
  if (!result) {
    throw std::runtime_error(result.error().render());
  }
  if (result->rows.empty() || result->rows.front().empty() || !result->rows.front()[0]) {
    return "";
  }
  return *result->rows.front()[0];
}

std::string BenchWorkspace::settle(int timeout_s) const {
  auto status = [this](const char* name) {
    return std::stoll(
        scalar(std::string("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE "
                           "VARIABLE_NAME = '") +
               name + "'"));
  };
  const auto start = std::chrono::steady_clock::now();
  const long long dirty_before = status("INNODB_BUFFER_POOL_PAGES_DIRTY");
  const long long history_before = status("INNODB_HISTORY_LIST_LENGTH");
  const std::string pct = scalar("SELECT @@GLOBAL.innodb_max_dirty_pages_pct");
  // The page cleaner writes at innodb_io_capacity unless told the pool is over its limit.
  execute("SET GLOBAL innodb_max_dirty_pages_pct = 0");
  long long dirty = dirty_before;
  long long history = history_before;
  double waited = 0;
  while ((dirty > 16 || history > 16) && waited < timeout_s) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    dirty = status("INNODB_BUFFER_POOL_PAGES_DIRTY");
    history = status("INNODB_HISTORY_LIST_LENGTH");
    waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  execute("SET GLOBAL innodb_max_dirty_pages_pct = " + pct);
  return "settled in " + seconds_text(waited) + " (dirty pages " + std::to_string(dirty_before) +
         " → " + std::to_string(dirty) + ", undo history " + std::to_string(history_before) +
         " → " + std::to_string(history) + ")";
}

void BenchWorkspace::forget_hosts(const std::vector<std::string>& shortnames) const {
  auto conn = connect();
  for (const auto& shortname : shortnames) {
    for (const std::string& sql :
         {"DROP DATABASE IF EXISTS " + sql::ident(db(shortname)),
          "DELETE FROM " + sql::ident(master_db(), "mdl_local_vmoodle") +
              " WHERE vhostname = " + sql::literal(vhostname(shortname))}) {
      if (auto done = conn->execute(sql); !done) {
        throw std::runtime_error(done.error().render());
      }
    }
    std::error_code ec;
    fs::remove_all(dataroot(shortname), ec);
  }
}

} // namespace vmoodle::bench
