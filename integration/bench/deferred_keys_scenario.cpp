// The template load with the secondary indexes of big tables built after their rows,
// against the same load keeping every index in its CREATE (apply/parallel_load.hpp).
#include "integration/bench/bench_workspace.hpp"
#include "integration/bench/rounds.hpp"
#include "integration/bench/scenarios.hpp"
#include "vmoodle/apply/parallel_load.hpp"
#include "vmoodle/platform/posix_filesystem.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::bench {

namespace {

constexpr std::size_t k_sessions = 4;

} // namespace

void bench_deferred_keys(BenchWorkspace& ws, const std::string& dump, Report& report) {
  const std::string scenario = "template load on 4 sessions";
  std::printf("\n== %s\n", scenario.c_str());
  int run = 0;
  const auto database = [&] { return ws.db("keys" + std::to_string(run)); };
  // In a child, like a program; the child's sessions are its own.
  const auto load = [&](std::size_t defer_keys_bytes, const std::string& what) {
    return require_ok(
        measure_in_child([&] {
          auto main = ws.sandbox().connect(database());
          apply::ConnectionFactory connect = [&]() -> Result<std::unique_ptr<db::Connection>> {
            return ws.sandbox().connect(database());
          };
          apply::ParallelLoadOptions options;
          options.workers = k_sessions;
          options.defer_keys_bytes = defer_keys_bytes;
          platform::PosixFileSystem files;
          auto loaded = apply::load_template_parallel(files, dump, *main, connect, "mdl_", "mdl_",
                                                      nullptr, options);
          return loaded ? 0 : 1;
        }),
        what);
  };
  std::vector<Contender> contenders;
  contenders.push_back({"indexes of tables over 4 MiB after their rows (what create does)", [&] {
                          return load(apply::ParallelLoadOptions{}.defer_keys_bytes, "load");
                        }});
  contenders.push_back(
      {"every index in its CREATE", [&] { return load(0, "load keeping the indexes"); }});
  run_in_turn(
      scenario, contenders, k_rounds,
      [&](const Contender&) {
        if (run > 0) {
          ws.execute("DROP DATABASE " + sql::ident(database()));
        }
        ++run;
        ws.execute("CREATE DATABASE " + sql::ident(database()));
      },
      report);
  ws.execute("DROP DATABASE " + sql::ident(database()));
}

} // namespace vmoodle::bench
