#pragma once

#include <set>
#include <string>

#include "integration/bench/report.hpp"
#include "integration/support/sandbox.hpp"

namespace vmoodle::bench {

/// What the command line asked for.
struct Options {
  bool full = false;          ///< the large variant of every scenario
  int hosts = 30;             ///< refresh: number of hosts (100 with --full)
  int scale = 1;              ///< generated rows: 1 ≈ 10 MB, 10 ≈ 100 MB (--full)
  int files = 2000;           ///< dataroot: filedir files (5000 with --full)
  std::set<std::string> only; ///< scenario groups to run; empty: all
  bool wants(const std::string& group) const { return only.empty() || only.count(group) != 0; }
};

/// refresh/plan of `hosts` hosts against the bare catalog queries and the naive
/// per-host `information_schema.TABLES` query.
void bench_refresh(testing::MariadbSandbox& sandbox, const Options& options, Report& report);

/// snapshot of one host, create of one host, create of ten hosts: against
/// mariadb-dump, mydumper, the stock client and myloader, and parallelism 1 vs 4.
void bench_dump_load(testing::MariadbSandbox& sandbox, const Options& options, Report& report);

/// dataroot copy of a template with `files` filedir files against `cp -a`.
void bench_dataroot(testing::MariadbSandbox& sandbox, const Options& options, Report& report);

} // namespace vmoodle::bench
