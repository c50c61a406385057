#include "vmoodle/cli/commands.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "vmoodle/cli/apply_run.hpp"
#include "vmoodle/cli/run.hpp"
#include "vmoodle/cli/workspace.hpp"
#include "vmoodle/live/disk_facts.hpp"
#include "vmoodle/manifest/manifest.hpp"

namespace vmoodle::cli {
namespace {

// Terraform's rule: only the literal answer `yes` approves.
bool confirmed() {
  fmt::print("\nDo you want to perform these actions?\n  Only 'yes' will be accepted to "
             "approve.\n\n  Enter a value: ");
  std::fflush(stdout);
  std::string answer;
  if (!std::getline(std::cin, answer)) {
    return false;
  }
  return answer == "yes";
}

} // namespace

int validate_command(const Options& options) {
  Adapters adapters;
  auto fleet = load_manifest(adapters, options.manifest);
  if (!fleet) {
    print_error(fleet.error());
    return k_exit_error;
  }
  auto templates = live::read_templates(adapters.files, fleet->master.templates_dir());
  if (!templates) {
    print_error(templates.error());
    return k_exit_error;
  }
  auto problems = manifest::check_templates(*fleet, *templates);
  if (!problems.empty()) {
    print_error(Error{ErrorKind::manifest, "", "", "", std::move(problems)});
    return k_exit_error;
  }
  fmt::print("The manifest is valid: {} host(s), {} server(s), {} snapshot(s).\n",
             fleet->hosts.size(), fleet->servers.size(), fleet->snapshots.size());
  return k_exit_ok;
}

int plan_command(const Options& options) {
  Adapters adapters;
  auto planned = make_plan(adapters, options);
  if (!planned) {
    print_error(planned.error());
    return k_exit_error;
  }
  print_plan(planned->plan, options);
  if (!options.out.empty()) {
    if (auto written = write_saved_plan(adapters, *planned, options); !written) {
      print_error(written.error());
      return k_exit_error;
    }
    fmt::print(stderr, "Saved the plan to {}; apply exactly it with `vmoodle-apply apply {}`.\n",
               options.out, options.out);
  }
  if (options.detailed_exitcode && planned->plan.has_changes()) {
    return k_exit_changes;
  }
  return k_exit_ok;
}

int apply_command(const Options& options) {
  Adapters adapters;
  auto lock = lock_fleet(adapters, options);
  if (!lock) {
    print_error(lock.error());
    return k_exit_error;
  }
  auto planned = make_plan(adapters, options);
  if (!planned) {
    print_error(planned.error());
    return k_exit_error;
  }
  print_plan(planned->plan, options);
  if (!planned->plan.has_changes()) {
    return k_exit_ok;
  }
  if (planned->manifest.dirty && !options.allow_dirty) {
    print_error(Error{ErrorKind::usage,
                      "the manifest has uncommitted changes (" + planned->manifest.git_state + ")",
                      planned->manifest.path,
                      "commit it so that what is applied is what was reviewed, or pass "
                      "--allow-dirty",
                      {}});
    return k_exit_error;
  }
  if (!options.auto_approve) {
    if (isatty(STDIN_FILENO) != 1) {
      print_error(Error{ErrorKind::usage,
                        "refusing to ask for approval: stdin is not a terminal",
                        "apply",
                        "review the plan, then run apply --auto-approve",
                        {}});
      return k_exit_error;
    }
    if (!confirmed()) {
      fmt::print("\nApply cancelled.\n");
      return k_exit_error;
    }
  }
  return run_apply(adapters, planned->plan, planned->fleet, planned->live, options);
}

} // namespace vmoodle::cli
