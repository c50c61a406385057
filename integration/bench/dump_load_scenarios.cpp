// Snapshot of one host, create of one host from that template, create of ten hosts.
#include <filesystem>
#include <stdexcept>

#include "integration/bench/bench_data.hpp"
#include "integration/bench/bench_workspace.hpp"
#include "integration/bench/scenarios.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::bench {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_source = "source";
constexpr const char* k_template = "snap";
constexpr int k_fleet_hosts = 10;

std::vector<std::string> connection(const BenchWorkspace& ws) {
  return {"--socket=" + ws.sandbox().socket(), "--user=" + std::string(testing::k_sandbox_user)};
}

// mydumper and myloader take the password from MYSQL_PWD through the client library.
Measure run_mydumper(const BenchWorkspace& ws, const std::string& db, const std::string& out) {
  std::vector<std::string> argv{"mydumper"};
  for (const auto& arg : connection(ws)) {
    argv.push_back(arg);
  }
  argv.insert(argv.end(), {"--threads=2", "--database=" + db, "--outputdir=" + out});
  return measure(argv);
}

Measure run_myloader(const BenchWorkspace& ws, const std::string& db, const std::string& in) {
  std::vector<std::string> argv{"myloader"};
  for (const auto& arg : connection(ws)) {
    argv.push_back(arg);
  }
  argv.insert(argv.end(), {"--threads=2", "--database=" + db, "--directory=" + in});
  return measure(argv);
}

// A peer that fails (an old mydumper, say) is reported, not fatal: it is optional.
bool report_or_skip(Report& report, const std::string& scenario, const std::string& subject,
                    const Measure& m) {
  if (m.ok()) {
    report.peer(scenario, subject, m.seconds);
    return true;
  }
  std::string why = m.err.empty() ? m.out : m.err;
  why = why.substr(0, why.find('\n'));
  report.skipped(scenario, subject, "failed (exit " + std::to_string(m.exit_code) + "): " + why);
  return false;
}

std::string fleet_hosts(const BenchWorkspace& ws) {
  std::string text;
  for (int i = 1; i <= k_fleet_hosts; ++i) {
    text += ws.host_entry("p" + std::to_string(i), k_template);
  }
  return text;
}

} // namespace

// A host made by the tool from `base`, its tables then replaced by the Moodle schema
// and filled with generated rows.
void build_source(BenchWorkspace& ws, const std::string& shortname, int scale,
                  const std::string& scenario, Report& report) {
  const std::string manifest =
      ws.write_manifest(ws.manifest_head() + "hosts:\n" + ws.host_entry(shortname));
  require_ok(ws.cli({"apply", "-f", manifest, "--auto-approve", "--allow-dirty"}),
             "creating the source host");
  const std::string schema = moodle_schema_path();
  const std::string db = ws.db(shortname);
  if (fs::path(schema).filename() != "moodle-mini.sql") {
    auto conn = ws.connect();
    auto tables = conn->query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                              "TABLE_SCHEMA = " +
                              sql::literal(db));
    if (!tables) {
      throw std::runtime_error(tables.error().render());
    }
    for (const auto& row : tables->rows) {
      ws.execute("DROP TABLE " + sql::ident(db, *row[0]));
    }
    ws.load_file(db, schema);
  }
  fill_rows(ws, db, scale);
  report.note(scenario, "source host: " + std::to_string(count_tables(schema)) + " tables, " +
                            mebibytes(database_bytes(ws, db)) + " of data and indexes");
}

void bench_dump_load(testing::MariadbSandbox& sandbox, const Options& options, Report& report) {
  const std::string snapshot = "snapshot 1 host";
  const std::string create = "create 1 host";
  const std::string fleet = "create 10 hosts";
  std::printf("\n== %s, %s, %s\n", snapshot.c_str(), create.c_str(), fleet.c_str());
  BenchWorkspace ws(sandbox, "bdump");
  build_source(ws, k_source, options.scale, snapshot, report);
  const std::string source_db = ws.db(k_source);
  const std::string snapshots = "snapshots:\n  - name: " + std::string(k_template) +
                                "\n    from: " + ws.vhostname(k_source) + "\n";
  const std::string hosts = "hosts:\n" + ws.host_entry(k_source);

  // ---- snapshot
  const std::string with_snapshot = ws.write_manifest(ws.manifest_head() + snapshots + hosts);
  report.tool(snapshot, "vmoodle-apply apply (snapshot)",
              require_ok(ws.cli({"apply", "-f", with_snapshot, "--auto-approve", "--allow-dirty"}),
                         "the snapshot"));
  const std::string dump = ws.templates_dir() + "/" + k_template + "_sql/vmoodle_master.sql";
  report.note(snapshot, "vmoodle_master.sql: " + mebibytes(fs::file_size(dump)));
  std::vector<std::string> mariadb_dump{"mariadb-dump", "--no-defaults"};
  for (const auto& arg : connection(ws)) {
    mariadb_dump.push_back(arg);
  }
  mariadb_dump.insert(mariadb_dump.end(), {"--single-transaction", source_db});
  report.peer(
      snapshot, "`mariadb-dump --single-transaction`",
      require_ok(measure(mariadb_dump, "", ws.dir() + "/peer-dump.sql"), "mariadb-dump").seconds);
  const std::string mydumper_dir = ws.dir() + "/mydumper";
  bool have_mydump = false;
  if (on_path("mydumper")) {
    have_mydump = report_or_skip(report, snapshot, "`mydumper -t 2`",
                                 run_mydumper(ws, source_db, mydumper_dir));
  } else {
    report.skipped(snapshot, "`mydumper -t 2`", "mydumper is not installed");
  }

  // ---- create one host from the snapshot
  const std::string one =
      ws.write_manifest(ws.manifest_head() + snapshots + hosts + ws.host_entry("one", k_template));
  report.tool(
      create, "vmoodle-apply apply (create)",
      require_ok(ws.cli({"apply", "-f", one, "--auto-approve", "--allow-dirty"}), "the create"));
  ws.execute("CREATE DATABASE " + sql::ident(ws.db("peerload")));
  report.peer(create, "`mariadb db < vmoodle_master.sql`",
              ws.load_file(ws.db("peerload"), dump).seconds);
  if (!on_path("myloader")) {
    report.skipped(create, "`myloader -t 2`", "myloader is not installed");
  } else if (!have_mydump) {
    report.skipped(create, "`myloader -t 2`", "mydumper made no dump to load");
  } else {
    report_or_skip(report, create, "`myloader -t 2`",
                   run_myloader(ws, ws.db("peermy"), mydumper_dir));
  }

  // ---- ten hosts: the default parallelism against one at a time
  const std::string ten = ws.write_manifest(ws.manifest_head() + snapshots + hosts +
                                            ws.host_entry("one", k_template) + fleet_hosts(ws));
  std::vector<std::string> names;
  for (int i = 1; i <= k_fleet_hosts; ++i) {
    names.push_back("p" + std::to_string(i));
  }
  report.tool(fleet, "vmoodle-apply apply --parallelism 4",
              require_ok(ws.cli({"apply", "-f", ten, "--auto-approve", "--allow-dirty",
                                 "--parallelism", "4"}),
                         "creating ten hosts"));
  ws.forget_hosts(names);
  report.peer(fleet, "vmoodle-apply apply --parallelism 1",
              require_ok(ws.cli({"apply", "-f", ten, "--auto-approve", "--allow-dirty",
                                 "--parallelism", "1"}),
                         "creating ten hosts one at a time")
                  .seconds);
  double sequential = 0;
  for (const auto& name : names) {
    ws.execute("CREATE DATABASE " + sql::ident(ws.db("seq_" + name)));
    sequential += ws.load_file(ws.db("seq_" + name), dump).seconds;
  }
  report.peer(fleet, "10 × `mariadb db < vmoodle_master.sql` in turn", sequential);
  ws.forget_hosts(names);

  bench_deferred_keys(ws, dump, report);
}

} // namespace vmoodle::bench
