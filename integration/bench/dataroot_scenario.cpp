// The dataroot copy of a create: a template whose filedir/ holds thousands of files.
#include <filesystem>
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
  report.note(scenario, "template filedir/: " + std::to_string(options.files) + " files of " +
                            std::to_string(k_min_file / 1024) + " KiB–" +
                            std::to_string(k_max_file / (1024 * 1024)) + " MiB, " +
                            mebibytes(bytes) + " (page cache warm for every run)");

  platform::PosixFileSystem files;
  const std::string scratch = ws.moodledata() + "/vhosts";
  report.tool(scenario, "copy_tree_linking (what create does)",
              require_ok(copy_in_child([&] {
                           return files.copy_tree_linking(tpl, scratch + "/linked", {"filedir"});
                         }),
                         "copy_tree_linking"));
  report.peer(scenario, "`cp -a`",
              require_ok(measure({"cp", "-a", tpl, scratch + "/cp-a"}), "cp -a").seconds);
  report.peer(scenario, "`cp -al` (all hard links)",
              require_ok(measure({"cp", "-al", tpl, scratch + "/cp-al"}), "cp -al").seconds);
  report.peer(scenario, "copy_tree (the tool before linking)",
              require_ok(copy_in_child([&] { return files.copy_tree(tpl, scratch + "/copied"); }),
                         "copy_tree")
                  .seconds);
  for (const char* dir : {"linked", "cp-a", "cp-al", "copied"}) {
    fs::remove_all(scratch + "/" + dir);
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
