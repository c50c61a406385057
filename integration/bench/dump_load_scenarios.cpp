// Snapshot of one host, create of one host from that template, create of ten hosts.
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "integration/bench/bench_data.hpp"
#include "integration/bench/bench_workspace.hpp"
#include "integration/bench/rounds.hpp"
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

// The base tables of `database`, by name.
std::vector<std::string> base_tables(const BenchWorkspace& ws, const std::string& database) {
  auto conn = ws.connect();
  auto tables = conn->query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                            "TABLE_SCHEMA = " +
                            sql::literal(database) + " AND TABLE_TYPE = 'BASE TABLE'");
  if (!tables) {
    throw std::runtime_error(tables.error().render());
  }
  std::vector<std::string> names;
  for (const auto& row : tables->rows) {
    names.push_back(*row[0]);
  }
  return names;
}

// What a same-server clone would run instead of loading the dump: each table of the
// template's source database created LIKE it and filled by INSERT … SELECT, with the
// dump's checks off. Written as a script for the stock client.
std::string write_clone_script(const BenchWorkspace& ws, const std::vector<std::string>& tables,
                               const std::string& from, const std::string& to) {
  std::string script = "SET SESSION foreign_key_checks = 0, unique_checks = 0;\n";
  for (const auto& table : tables) {
    const std::string source = sql::ident(from, table);
    const std::string target = sql::ident(to, table);
    script += "CREATE TABLE " + target + " LIKE " + source + ";\nINSERT INTO " + target +
              " SELECT * FROM " + source + ";\n";
  }
  const std::string path = ws.dir() + "/clone.sql";
  std::ofstream(path) << script;
  return path;
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
    for (const auto& table : base_tables(ws, db)) {
      ws.execute("DROP TABLE " + sql::ident(db, table));
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

  // ---- snapshot: every method k_rounds times, in turn, medians
  const std::string with_snapshot = ws.write_manifest(ws.manifest_head() + snapshots + hosts);
  const std::string template_sql = ws.templates_dir() + "/" + k_template + "_sql";
  const std::string dump = template_sql + "/vmoodle_master.sql";
  int round = 0;
  const auto numbered = [&](const std::string& name) { return name + std::to_string(round); };
  std::vector<Contender> dumpers;
  dumpers.push_back({"vmoodle-apply apply (snapshot)", [&] {
                       // A first take each time. The template of the round before is moved
                       // aside, not removed: ext4 would free its blocks during this run.
                       const std::string aside = ws.dir() + "/" + numbered("old-template");
                       fs::create_directories(aside);
                       for (const char* part : {"_sql", "_vmoodledata"}) {
                         const std::string from = ws.templates_dir() + "/" + k_template + part;
                         if (fs::exists(from)) {
                           fs::rename(from, aside + "/" + k_template + part);
                         }
                       }
                       return require_ok(ws.cli({"apply", "-f", with_snapshot, "--auto-approve",
                                                 "--allow-dirty"}),
                                         "the snapshot");
                     }});
  std::vector<std::string> mariadb_dump{"mariadb-dump", "--no-defaults"};
  for (const auto& arg : connection(ws)) {
    mariadb_dump.push_back(arg);
  }
  mariadb_dump.insert(mariadb_dump.end(), {"--single-transaction", source_db});
  dumpers.push_back({"`mariadb-dump --single-transaction`", [&] {
                       return require_ok(measure(mariadb_dump, "",
                                                 ws.dir() + "/" + numbered("peer-dump") + ".sql"),
                                         "mariadb-dump");
                     }});
  // mydumper is optional: one run first tells whether it works here, and leaves the dump
  // myloader loads below.
  const std::string mydumper_dir = ws.dir() + "/mydumper";
  bool have_mydump = false;
  if (!on_path("mydumper")) {
    report.skipped(snapshot, "`mydumper -t 2`", "mydumper is not installed");
  } else if (const Measure probe = run_mydumper(ws, source_db, mydumper_dir); !probe.ok()) {
    report_or_skip(report, snapshot, "`mydumper -t 2`", probe);
  } else {
    have_mydump = true;
    dumpers.push_back({"`mydumper -t 2`", [&] {
                         return require_ok(
                             run_mydumper(ws, source_db, ws.dir() + "/" + numbered("mydumper")),
                             "mydumper");
                       }});
  }
  run_in_turn(
      snapshot, dumpers, k_rounds, [&](const Contender&) { ++round; }, report);
  report.note(snapshot, "vmoodle_master.sql: " + mebibytes(fs::file_size(dump)));

  // ---- create one host from the snapshot, k_rounds times each, in turn, medians
  const auto fresh_database = [&](const std::string& name) {
    ws.execute("CREATE DATABASE " + sql::ident(ws.db(numbered(name))));
    return ws.db(numbered(name));
  };
  const std::vector<std::string> source_tables = base_tables(ws, source_db);
  std::vector<Contender> loaders;
  loaders.push_back(
      {"vmoodle-apply apply (create)", [&] {
         // A new host each round: dropping the last one would free its files
         // during this run. Hosts left out of the manifest are not touched.
         const std::string shortname = numbered("one");
         const std::string manifest = ws.write_manifest(ws.manifest_head() + snapshots + hosts +
                                                            ws.host_entry(shortname, k_template),
                                                        shortname + ".yaml");
         return require_ok(ws.cli({"apply", "-f", manifest, "--auto-approve", "--allow-dirty"}),
                           "the create");
       }});
  loaders.push_back({"`mariadb db < vmoodle_master.sql`",
                     [&] { return ws.load_file(fresh_database("peerload"), dump); }});
  loaders.push_back({"same-server clone (`CREATE TABLE … LIKE` + `INSERT … SELECT`)", [&] {
                       return ws.load_file("", write_clone_script(ws, source_tables, source_db,
                                                                  fresh_database("peerclone")));
                     }});
  if (!on_path("myloader")) {
    report.skipped(create, "`myloader -t 2`", "myloader is not installed");
  } else if (!have_mydump) {
    report.skipped(create, "`myloader -t 2`", "mydumper made no dump to load");
  } else {
    loaders.push_back({"`myloader -t 2`", [&] {
                         return require_ok(
                             run_myloader(ws, ws.db(numbered("peermy")), mydumper_dir), "myloader");
                       }});
  }
  round = 0;
  run_in_turn(
      create, loaders, k_rounds, [&](const Contender&) { ++round; }, report);

  // ---- ten hosts: the default parallelism against one at a time
  const std::string ten =
      ws.write_manifest(ws.manifest_head() + snapshots + hosts + fleet_hosts(ws));
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
