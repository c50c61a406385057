// Refresh and plan of a fleet of hosts, each with the whole Moodle schema.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "integration/bench/bench_data.hpp"
#include "integration/bench/bench_workspace.hpp"
#include "integration/bench/scenarios.hpp"
#include "vmoodle/apply/registry_sql.hpp"
#include "vmoodle/diff/registry_row.hpp"
#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::bench {

namespace fs = std::filesystem;

namespace {

std::string shortname_of(int i) {
  char text[16];
  std::snprintf(text, sizeof text, "h%03d", i);
  return text;
}

// Databases loaded with the stock client, registry rows written with the tool's own SQL
// (so that the fleet is converged and plan has nothing to do but read), dataroots made.
std::string build_fleet(BenchWorkspace& ws, int hosts, const std::string& schema) {
  std::string text = ws.manifest_head() + "hosts:\n";
  for (int i = 1; i <= hosts; ++i) {
    text += ws.host_entry(shortname_of(i));
  }
  const std::string path = ws.write_manifest(text);
  auto fleet = manifest::load(text, path);
  if (!fleet) {
    throw std::runtime_error(fleet.error().render());
  }
  const Secret password(std::getenv(k_host_password_env));
  for (const auto& host : fleet->hosts) {
    ws.execute("CREATE DATABASE " + sql::ident(host.database) +
               " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
    ws.load_file(host.database, schema);
    const auto row = diff::desired_row(host, *fleet->find_server(host.server), password);
    ws.execute(apply::insert_registry_row(fleet->master, row, std::time(nullptr)));
    fs::create_directories(host.dataroot);
  }
  return path;
}

std::string in_list(BenchWorkspace& ws, int hosts) {
  std::string names;
  for (int i = 1; i <= hosts; ++i) {
    names += (names.empty() ? "" : ", ") + sql::literal(ws.db(shortname_of(i)));
  }
  return names;
}

// The catalog reads a refresh needs, as refresh issues them (live/catalog_queries.cpp):
// the floor any tool that reads this much must pay.
std::string floor_sql(BenchWorkspace& ws, int hosts) {
  const std::string names = in_list(ws, hosts);
  return "SELECT @@version;\n"
         "SELECT * FROM " +
         sql::ident(ws.master_db(), "mdl_local_vmoodle") +
         ";\n"
         "SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME, "
         "SCHEMA_COMMENT FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (" +
         names +
         ");\n"
         "SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE, TABLE_COLLATION, DATA_LENGTH, INDEX_LENGTH "
         "FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN (" +
         names +
         ");\n"
         "SELECT NAME, ROW_FORMAT FROM information_schema.INNODB_SYS_TABLES WHERE "
         "SUBSTRING_INDEX(NAME, '/', 1) IN (" +
         names +
         ");\n"
         "SELECT TABLE_SCHEMA, TABLE_NAME, COLLATION_NAME, COUNT(*) FROM "
         "information_schema.COLUMNS WHERE TABLE_SCHEMA IN (" +
         names + ") AND COLLATION_NAME IS NOT NULL GROUP BY 1, 2, 3;\n";
}

// What a script that checks each site in turn would do: the full TABLES view per
// database, ROW_FORMAT included (which opens every table).
std::string naive_sql(BenchWorkspace& ws, int hosts) {
  std::string sql;
  for (int i = 1; i <= hosts; ++i) {
    sql += "SELECT TABLE_NAME, ENGINE, TABLE_COLLATION, ROW_FORMAT, DATA_LENGTH, INDEX_LENGTH "
           "FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
           sql::literal(ws.db(shortname_of(i))) + ";\n";
  }
  return sql;
}

std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

std::string plan_summary(const std::string& out) {
  for (const char* needle : {"Plan:", "No changes"}) {
    if (auto at = out.find(needle); at != std::string::npos) {
      return out.substr(at, out.find('\n', at) - at);
    }
  }
  return "(no summary line)";
}

} // namespace

void bench_refresh(testing::MariadbSandbox& sandbox, const Options& options, Report& report) {
  const std::string schema = moodle_schema_path();
  const int tables = count_tables(schema);
  const std::string scenario =
      "refresh " + std::to_string(options.hosts) + " hosts × " + std::to_string(tables) + " tables";
  std::printf("\n== %s\n", scenario.c_str());
  BenchWorkspace ws(sandbox, "bref");
  const auto start = std::chrono::steady_clock::now();
  const std::string manifest = build_fleet(ws, options.hosts, schema);
  report.note(
      scenario,
      "setup (databases loaded from " + fs::path(schema).filename().string() + "): " +
          seconds_text(
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()));

  const Measure plan = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  if (plan.exit_code != 0 && plan.exit_code != 2) {
    require_ok(plan, "vmoodle-apply plan");
  }
  report.tool(scenario, "vmoodle-apply plan", plan);
  report.note(scenario, "plan says: " + plan_summary(plan.out));

  const Measure floor = require_ok(
      measure(ws.client(), write_file(ws.dir() + "/floor.sql", floor_sql(ws, options.hosts)),
              "/dev/null"),
      "the catalog queries");
  report.peer(scenario, "floor: the same catalog queries, `mariadb` client", floor.seconds);
  const Measure naive = require_ok(
      measure(ws.client(), write_file(ws.dir() + "/naive.sql", naive_sql(ws, options.hosts)),
              "/dev/null"),
      "the per-host TABLES queries");
  report.peer(scenario, "naive: per-host `TABLES` with ROW_FORMAT", naive.seconds);
}

} // namespace vmoodle::bench
