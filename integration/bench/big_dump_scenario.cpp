// Snapshot and create of one host of more than a gigabyte: memory must not follow the size.
#include <filesystem>

#include "integration/bench/bench_data.hpp"
#include "integration/bench/bench_workspace.hpp"
#include "integration/bench/scenarios.hpp"

namespace vmoodle::bench {

namespace fs = std::filesystem;

void bench_big(testing::MariadbSandbox& sandbox, const Options& options, Report& report) {
  const std::string snapshot = "snapshot 1 big host";
  const std::string create = "create 1 host from the big template";
  std::printf("\n== %s, %s\n", snapshot.c_str(), create.c_str());
  BenchWorkspace ws(sandbox, "bbig");
  build_source(ws, "bigsrc", options.big_scale, snapshot, report);
  const std::string snapshots =
      "snapshots:\n  - name: bigsnap\n    from: " + ws.vhostname("bigsrc") + "\n";
  const std::string hosts = "hosts:\n" + ws.host_entry("bigsrc");
  const std::string with_snapshot = ws.write_manifest(ws.manifest_head() + snapshots + hosts);
  report.tool(snapshot, "vmoodle-apply apply (snapshot)",
              require_ok(ws.cli({"apply", "-f", with_snapshot, "--auto-approve", "--allow-dirty"}),
                         "the big snapshot"));
  const std::string dump = ws.templates_dir() + "/bigsnap_sql/vmoodle_master.sql";
  report.note(snapshot, "vmoodle_master.sql: " + mebibytes(fs::file_size(dump)));

  const std::string one = ws.write_manifest(ws.manifest_head() + snapshots + hosts +
                                            ws.host_entry("bigcopy", "bigsnap"));
  report.tool(create, "vmoodle-apply apply (create)",
              require_ok(ws.cli({"apply", "-f", one, "--auto-approve", "--allow-dirty"}),
                         "the create from the big template"));
  report.note(create,
              "copy: " + mebibytes(database_bytes(ws, ws.db("bigcopy"))) + " of data and indexes");
}

} // namespace vmoodle::bench
