// The dataroot copy of a create: a template whose filedir/ holds thousands of files.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <regex>
#include <stdexcept>

#include "integration/bench/bench_data.hpp"
#include "integration/bench/bench_workspace.hpp"
#include "integration/bench/rounds.hpp"
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

// Each method copies `tpl` into `scratch`, median of k_rounds runs in turn. With
// `durable`, each run also writes its copy to disk before it stops the clock (create
// syncs the host's dataroot before registering it; `sync -f` for the others), else it
// stops once the copy is in the page cache. Each run starts on a file system with
// nothing left to write back, and copies into a directory of its own: nothing is removed
// before the end, because ext4 frees the blocks of a removed copy in the journal
// commits of whatever runs next (earlier versions of this scenario charged the links,
// which ran right after the removal of two full copies, with 1–3 s of that).
void compare_copies(const std::string& scenario, const std::string& tpl, const std::string& scratch,
                    bool durable, Report& report) {
  platform::PosixFileSystem files;
  int run = 0;
  const auto to = [&](const std::string& dir) {
    return scratch + "/" + dir + "-" + std::to_string(run);
  };
  const auto library = [&](const std::string& what, const std::string& dir, auto copy) {
    return require_ok(copy_in_child([&]() -> Status {
                        VM_TRY(copy(to(dir)));
                        return durable ? files.sync_file_system(to(dir)) : Status{};
                      }),
                      what);
  };
  const auto program = [&](const std::string& what, const std::string& flags,
                           const std::string& dir) {
    const std::string then_sync = durable ? " && sync -f \"$2\"" : "";
    return require_ok(
        measure({"sh", "-c", "cp " + flags + " \"$1\" \"$2\"" + then_sync, "sh", tpl, to(dir)}),
        what);
  };
  std::vector<Contender> contenders;
  contenders.push_back({"copy_tree_linking (what create does)", [&] {
                          return library("copy_tree_linking", "linked", [&](const std::string& t) {
                            return files.copy_tree_linking(tpl, t, {"filedir"});
                          });
                        }});
  contenders.push_back({"`cp -a`", [&] { return program("cp -a", "-a", "cp-a"); }});
  contenders.push_back(
      {"`cp -al` (all hard links)", [&] { return program("cp -al", "-al", "cp-al"); }});
  contenders.push_back({"copy_tree (the tool before linking)", [&] {
                          return library("copy_tree", "copied", [&](const std::string& t) {
                            return files.copy_tree(tpl, t);
                          });
                        }});
  run_in_turn(
      scenario, contenders, k_rounds,
      [&](const Contender&) {
        ++run;
        ::sync();
      },
      report);
  for (const auto& entry : fs::directory_iterator(scratch)) {
    fs::remove_all(entry.path());
  }
  ::sync();
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
  const std::string scratch = ws.moodledata() + "/vhosts";
  compare_copies(scenario + ", until on disk", tpl, scratch, true, report);
  compare_copies(scenario + ", into the page cache", tpl, scratch, false, report);

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
