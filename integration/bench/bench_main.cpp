// vmoodle_bench: the tool against its peers on the same data in the same run.
// Prints times and ratios; asserts nothing about them. See docs/performance.md.
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>

#include "integration/bench/bench_data.hpp"
#include "integration/bench/scenarios.hpp"
#include "integration/support/sandbox.hpp"

namespace {

using vmoodle::bench::Options;

constexpr const char* k_usage =
    "usage: vmoodle_bench [--full] [--big] [--hosts N] [--files N] [--only GROUP[,GROUP]]\n"
    "  --full      100 hosts, ~100 MB of rows, 5000 filedir files (default 30, ~10 MB, 2000)\n"
    "  --hosts N   hosts for the refresh scenario\n"
    "  --files N   filedir files for the dataroot scenario\n"
    "  --big       also snapshot and create a host of >= 1 GB (group big; peak RSS)\n"
    "  --only G    run only these groups: refresh, dump (snapshot + creates), dataroot, big\n";

int positive(const char* text) {
  const int value = std::atoi(text);
  if (value <= 0) {
    std::fprintf(stderr, "vmoodle_bench: '%s' is not a positive number\n%s", text, k_usage);
    std::exit(64);
  }
  return value;
}

Options parse(int argc, char** argv) {
  Options options;
  int hosts = 0;
  int files = 0;
  bool big_flag = false; // --big: the big group on top of the others
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--full") {
      options.full = true;
    } else if (arg == "--big") {
      options.only.insert("big");
      big_flag = true;
    } else if (arg == "--hosts" && has_value) {
      hosts = positive(argv[++i]);
    } else if (arg == "--files" && has_value) {
      files = positive(argv[++i]);
    } else if (arg == "--only" && has_value) {
      std::stringstream groups(argv[++i]);
      for (std::string group; std::getline(groups, group, ',');) {
        if (group != "refresh" && group != "dump" && group != "dataroot" && group != "big") {
          std::fprintf(stderr, "vmoodle_bench: unknown group '%s'\n%s", group.c_str(), k_usage);
          std::exit(64);
        }
        options.only.insert(group);
      }
    } else {
      std::fprintf(stderr, "%s", k_usage);
      std::exit(arg == "--help" || arg == "-h" ? 0 : 64);
    }
  }
  if (options.full) {
    options.hosts = 100;
    options.scale = 10;
    options.files = 5000;
  }
  if (big_flag && options.only.size() == 1) {
    // --big without --only: the default groups too.
    options.only.insert({"refresh", "dump", "dataroot"});
  }
  options.hosts = hosts > 0 ? hosts : options.hosts;
  options.files = files > 0 ? files : options.files;
  return options;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      return line.substr(line.find(':') + 2);
    }
  }
  return "unknown CPU";
}

} // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  try {
    // Children inherit these: the CLI resolves {env: …}, the stock clients read MYSQL_PWD.
    const std::string password = vmoodle::testing::sandbox_password();
    ::setenv("MYSQL_PWD", password.c_str(), 1);
    ::setenv(vmoodle::bench::k_host_password_env, "bench-H0st-pw", 1);

    vmoodle::testing::MariadbSandbox sandbox;
    auto conn = sandbox.connect();
    auto version = conn->query("SELECT @@version, @@innodb_buffer_pool_size");
    if (!version || !conn->query("SELECT COUNT(*) FROM mysql.seq_1_to_3")) {
      throw std::runtime_error("the sandbox needs the SEQUENCE engine (MariaDB ≥ 10.0)");
    }
    utsname machine{};
    ::uname(&machine);
    char date[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&now));
    std::printf("vmoodle_bench %s — %s, %ld cores, %s %s; MariaDB %s (buffer pool %s MiB)\n"
                "schema: %s (%d tables); mode: %s\n",
                date, cpu_model().c_str(), ::sysconf(_SC_NPROCESSORS_ONLN), machine.sysname,
                machine.release, version->rows[0][0]->c_str(),
                std::to_string(std::stoll(*version->rows[0][1]) / (1024 * 1024)).c_str(),
                vmoodle::bench::moodle_schema_path().c_str(),
                vmoodle::bench::count_tables(vmoodle::bench::moodle_schema_path()),
                options.full ? "--full" : "default");

    vmoodle::bench::Report report;
    if (options.wants("refresh")) {
      vmoodle::bench::bench_refresh(sandbox, options, report);
    }
    if (options.wants("dump")) {
      vmoodle::bench::bench_dump_load(sandbox, options, report);
    }
    if (options.wants("dataroot")) {
      vmoodle::bench::bench_dataroot(sandbox, options, report);
    }
    if (options.wants("big")) {
      vmoodle::bench::bench_big(sandbox, options, report);
    }
    report.print_summary();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "vmoodle_bench: %s\n", error.what());
    return 1;
  }
  return 0;
}
