#pragma once

#include <set>
#include <string>

#include "integration/bench/bench_workspace.hpp"
#include "integration/bench/report.hpp"
#include "integration/support/sandbox.hpp"

namespace vmoodle::bench {

/// What the command line asked for.
struct Options {
  bool full = false;          ///< the large variant of every scenario
  int hosts = 30;             ///< refresh: number of hosts (100 with --full)
  int scale = 1;              ///< generated rows: 1 ≈ 10 MB, 10 ≈ 100 MB (--full)
  int files = 2000;           ///< dataroot: filedir files (5000 with --full)
  int big_scale = 100;        ///< big: generated rows of its one host (100 ≈ 1 GB of dump)
  std::set<std::string> only; ///< scenario groups to run; empty: all
  /// `big` runs only when asked for (--big or --only big): it writes gigabytes.
  bool wants(const std::string& group) const {
    return group == "big" ? only.count(group) != 0 : only.empty() || only.count(group) != 0;
  }
};

/// refresh/plan of `hosts` hosts against the bare catalog queries and the naive
/// per-host `information_schema.TABLES` query.
void bench_refresh(testing::MariadbSandbox& sandbox, const Options& options, Report& report);

/// snapshot of one host, create of one host, create of ten hosts: against
/// mariadb-dump, mydumper, the stock client and myloader, and parallelism 1 vs 4.
void bench_dump_load(testing::MariadbSandbox& sandbox, const Options& options, Report& report);

/// A host made by the tool, its tables replaced by the Moodle schema and filled with
/// generated rows (`scale` 1 ≈ 10 MB); notes its size under `scenario`.
void build_source(BenchWorkspace& ws, const std::string& shortname, int scale,
                  const std::string& scenario, Report& report);

/// snapshot and create of one host with `big_scale` × the generated rows (≥ 1 GB of
/// dump): time and peak RSS, to show that memory does not grow with the dump.
void bench_big(testing::MariadbSandbox& sandbox, const Options& options, Report& report);

/// The template load of `dump` with the secondary indexes of big tables built after
/// their rows, against keeping them all in their CREATE: alternating runs, medians.
void bench_deferred_keys(BenchWorkspace& ws, const std::string& dump, Report& report);

/// dataroot copy of a template with `files` filedir files against `cp -a`.
void bench_dataroot(testing::MariadbSandbox& sandbox, const Options& options, Report& report);

} // namespace vmoodle::bench
