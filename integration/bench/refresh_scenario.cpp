// Refresh and plan of a fleet of hosts, each with the whole Moodle schema.
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include "integration/bench/bench_data.hpp"
#include "integration/bench/bench_workspace.hpp"
#include "integration/bench/rounds.hpp"
#include "integration/bench/scenarios.hpp"
#include "vmoodle/apply/registry_sql.hpp"
#include "vmoodle/diff/registry_row.hpp"
#include "vmoodle/live/innodb_dictionary.hpp"
#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::bench {

namespace fs = std::filesystem;

namespace {

// Five: the VM's speed moves by a tenth from one run to the next, and the ratio to the
// naive queries is what the issue asks of this scenario.
constexpr int k_refresh_rounds = 5;

std::string shortname_of(int i) {
  char text[16];
  std::snprintf(text, sizeof text, "h%03d", i);
  return text;
}

// What a production manifest manages (examples/fleet.yaml), and what the Moodle schema's
// tables already are: plan checks every table against it and finds nothing to do.
constexpr const char* k_collation = "utf8mb4_unicode_ci";

// Databases loaded with the stock client, registry rows written with the tool's own SQL
// (so that the fleet is converged and plan has nothing to do but read), dataroots made.
std::string build_fleet(BenchWorkspace& ws, int hosts, const std::string& schema) {
  std::string text = ws.manifest_head() + "  collation: " + k_collation +
                     "\n  engine: InnoDB\n  row_format: Dynamic\nhosts:\n";
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
    ws.execute("CREATE DATABASE " + sql::ident(host.database) + " CHARACTER SET utf8mb4 COLLATE " +
               k_collation);
    ws.load_file(host.database, schema);
    const auto row = diff::desired_row(host, *fleet->find_server(host.server), password);
    ws.execute(apply::insert_registry_row(fleet->master, row, std::time(nullptr)));
    fs::create_directories(host.dataroot);
  }
  return path;
}

// The catalog reads a refresh needs, as refresh issues them (live/innodb_dictionary.cpp),
// one after the other on one session: the floor any tool that reads this much must pay.
std::string floor_sql(BenchWorkspace& ws, int hosts) {
  std::set<std::string> names;
  for (int i = 1; i <= hosts; ++i) {
    names.insert(ws.db(shortname_of(i)));
  }
  std::string sql =
      "SELECT @@version;\nSELECT * FROM " + sql::ident(ws.master_db(), "mdl_local_vmoodle") + ";\n";
  // Columns already at the fleet's collation are not counted, as refresh does.
  live::ColumnCounting counting;
  counting.skipped.insert(
      std::stoll(ws.scalar("SELECT ID FROM information_schema.COLLATIONS WHERE COLLATION_NAME = " +
                           sql::literal(k_collation))));
  for (const auto& statement : live::dictionary_statements(names, counting)) {
    sql += statement + ";\n";
  }
  return sql;
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

  report.note(scenario, ws.settle());

  const std::string floor_file = write_file(ws.dir() + "/floor.sql", floor_sql(ws, options.hosts));
  const std::string naive_file = write_file(ws.dir() + "/naive.sql", naive_sql(ws, options.hosts));
  std::string summary;
  std::vector<Contender> contenders;
  contenders.push_back({"vmoodle-apply plan", [&] {
                          Measure plan = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
                          if (plan.exit_code != 0 && plan.exit_code != 2) {
                            require_ok(plan, "vmoodle-apply plan");
                          }
                          summary = plan_summary(plan.out);
                          return plan;
                        }});
  contenders.push_back({"floor: the same catalog queries, `mariadb` client", [&] {
                          return require_ok(measure(ws.client(), floor_file, "/dev/null"),
                                            "the catalog queries");
                        }});
  contenders.push_back({"naive: per-host `TABLES` with ROW_FORMAT", [&] {
                          return require_ok(measure(ws.client(), naive_file, "/dev/null"),
                                            "the per-host TABLES queries");
                        }});
  run_in_turn(scenario, contenders, k_refresh_rounds, nullptr, report);
  report.note(scenario, "plan says: " + summary);
}

} // namespace vmoodle::bench
