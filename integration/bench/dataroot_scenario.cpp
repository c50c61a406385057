// The dataroot copy of a create: a template whose filedir/ holds thousands of files.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <regex>
#include <stdexcept>

#include "integration/bench/bench_data.hpp"
#include "integration/bench/bench_workspace.hpp"
#include "integration/bench/scenarios.hpp"
#include "vmoodle/platform/posix_filesystem.hpp"

namespace vmoodle::bench {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t k_min_file = 4 * 1024;
constexpr std::uint64_t k_max_file = 2 * 1024 * 1024;
constexpr int k_rounds = 3;

// "https://…: dataroot done (0.3s)" from the CLI's step lines.
std::string dataroot_step(const std::string& out) {
  std::smatch match;
  if (std::regex_search(out, match, std::regex(R"(dataroot done \(([0-9.]+s)\))"))) {
    return match[1];
  }
  return "?";
}

// A library call in a child process, so that it is timed like a program.
Measure copy_in_child(const std::function<Status()>& copy) {
  return measure_in_child([&] { return copy() ? 0 : 1; });
}

} // namespace

void bench_dataroot(testing::MariadbSandbox& sandbox, const Options& options, Report& report) {
  const std::string scenario = "dataroot copy, " + std::to_string(options.files) + " files";
  std::printf("\n== %s\n", scenario.c_str());
  BenchWorkspace ws(sandbox, "bfiles", 0);
  const std::string tpl = ws.templates_dir() + "/base_vmoodledata";
  const auto bytes = write_filedir(tpl + "/filedir", options.files, k_min_file, k_max_file);
  report.note(scenario,
              "template filedir/: " + std::to_string(options.files) + " files of " +
                  std::to_string(k_min_file / 1024) + " KiB–" +
                  std::to_string(k_max_file / (1024 * 1024)) + " MiB, " + mebibytes(bytes) +
                  " (page cache warm, nothing to write back, before every run; median of " +
                  std::to_string(k_rounds) + " runs each, in turn)");

  // Each method runs k_rounds times, in turn, each time on a file system with nothing
  // left to write back: a copy's dirty pages, flushed while the next method runs, made
  // the first measurements of this scenario time the disk rather than the method (ext4
  // orders a link's journal commit after the writeback of the inodes it touches). The
  // median is reported. Syncing first flatters the full copies (their own writeback is
  // not timed), never the links.
  platform::PosixFileSystem files;
  const std::string scratch = ws.moodledata() + "/vhosts";
  struct Method {
    std::string subject;
    std::string dir;
    std::function<Measure(const std::string& to)> run;
    std::vector<Measure> runs;
  };
  std::vector<Method> methods;
  methods.push_back({"copy_tree_linking (what create does)",
                     "linked",
                     [&](const std::string& to) {
                       return copy_in_child(
                           [&] { return files.copy_tree_linking(tpl, to, {"filedir"}); });
                     },
                     {}});
  methods.push_back({"`cp -a`",
                     "cp-a",
                     [&](const std::string& to) {
                       return measure({"cp", "-a", tpl, to});
                     },
                     {}});
  methods.push_back({"`cp -al` (all hard links)",
                     "cp-al",
                     [&](const std::string& to) {
                       return measure({"cp", "-al", tpl, to});
                     },
                     {}});
  methods.push_back({"copy_tree (the tool before linking)",
                     "copied",
                     [&](const std::string& to) {
                       return copy_in_child([&] { return files.copy_tree(tpl, to); });
                     },
                     {}});
  for (int round = 0; round < k_rounds; ++round) {
    for (auto& method : methods) {
      const std::string to = scratch + "/" + method.dir;
      fs::remove_all(to);
      ::sync();
      method.runs.push_back(require_ok(method.run(to), method.subject));
    }
  }
  for (auto& method : methods) {
    std::string all;
    for (const auto& run : method.runs) {
      all += (all.empty() ? "" : ", ") + seconds_text(run.seconds);
    }
    std::sort(method.runs.begin(), method.runs.end(),
              [](const Measure& a, const Measure& b) { return a.seconds < b.seconds; });
    const Measure& median = method.runs[method.runs.size() / 2];
    if (&method == &methods.front()) {
      report.tool(scenario, method.subject, median);
    } else {
      report.peer(scenario, method.subject, median.seconds);
    }
    report.note(scenario, method.subject + ": " + all);
    fs::remove_all(scratch + "/" + method.dir);
  }

  const std::string manifest =
      ws.write_manifest(ws.manifest_head() + "hosts:\n" + ws.host_entry("withfiles"));
  const Measure create =
      require_ok(ws.cli({"apply", "-f", manifest, "--auto-approve", "--allow-dirty"}),
                 "creating a host with the big dataroot");
  report.note(scenario, "a whole create through the CLI: " + seconds_text(create.seconds) +
                            ", its dataroot step " + dataroot_step(create.out) + ", peak RSS " +
                            std::to_string(create.max_rss_kb / 1024) + " MiB");
}

} // namespace vmoodle::bench
