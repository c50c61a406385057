// plan --out, show FILE and apply FILE: the reviewed plan is the applied plan.
#include <sys/stat.h>

#include <random>

#include <fmt/format.h>

#include "vmoodle/cli/apply_run.hpp"
#include "vmoodle/cli/commands.hpp"
#include "vmoodle/cli/run.hpp"
#include "vmoodle/cli/workspace.hpp"
#include "vmoodle/plan/saved_plan.hpp"

#ifndef VMOODLE_VERSION
#define VMOODLE_VERSION "0.0.0"
#endif

namespace vmoodle::cli {
namespace {

std::string random_salt() {
  std::random_device device;
  std::string salt;
  for (int i = 0; i < 16; ++i) {
    salt += fmt::format("{:02x}", device() & 0xff);
  }
  return salt;
}

Result<plan::SavedPlan> read_saved_plan(Adapters& adapters, const std::string& file) {
  auto text = adapters.files.read_file(file);
  if (!text) {
    return fail(ErrorKind::usage, "cannot read the plan file", file,
                "give the file written by `vmoodle-apply plan --out FILE`");
  }
  return plan::parse_saved_plan(*text, file);
}

} // namespace

Status write_saved_plan(Adapters& adapters, const Planned& planned, const Options& options) {
  plan::SavedPlan saved;
  saved.tool_version = VMOODLE_VERSION;
  saved.manifest.path = planned.manifest.path;
  saved.manifest.sha256 = plan::sha256_hex(planned.manifest.text);
  saved.manifest.commit = planned.manifest.commit;
  saved.manifest.rev = planned.manifest.rev;
  saved.manifest.dirty = planned.manifest.dirty;
  saved.hosts = options.hosts;
  saved.replace = options.replace;
  saved.max_destroy = options.max_destroy;
  saved.salt = random_salt();
  saved.fingerprints =
      plan::plan_fingerprints(planned.plan, planned.fleet, planned.live, saved.salt);
  saved.plan = planned.plan;
  VM_TRY(adapters.files.write_file(options.out, plan::saved_plan_text(saved)));
  // Plans hold no secret, but they describe the fleet: keep them to their owner.
  ::chmod(options.out.c_str(), 0600);
  return {};
}

int show_command(const Options& options) {
  Adapters adapters;
  auto saved = read_saved_plan(adapters, options.plan_file);
  if (!saved) {
    print_error(saved.error());
    return k_exit_error;
  }
  fmt::print("Plan made by vmoodle-apply {} from {} (manifest sha256 {}).\n\n", saved->tool_version,
             saved->manifest.path, saved->manifest.sha256.substr(0, 12));
  print_plan(saved->plan, options);
  return k_exit_ok;
}

int apply_saved_plan_command(const Options& given) {
  Adapters adapters;
  auto saved = read_saved_plan(adapters, given.plan_file);
  if (!saved) {
    print_error(saved.error());
    return k_exit_error;
  }
  if (saved->manifest.dirty && !given.allow_dirty) {
    print_error(Error{ErrorKind::usage,
                      "the plan was made from a manifest with uncommitted changes",
                      given.plan_file,
                      "commit the manifest and plan again, or pass --allow-dirty",
                      {}});
    return k_exit_error;
  }
  // Plan again exactly as the saved plan was made, from the same manifest.
  Options options = given;
  options.manifest = saved->manifest.path;
  options.rev = saved->manifest.rev;
  options.base.clear();
  options.hosts = saved->hosts;
  options.replace = saved->replace;
  options.max_destroy = saved->max_destroy;
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
  if (plan::sha256_hex(planned->manifest.text) != saved->manifest.sha256) {
    print_error(Error{ErrorKind::conflict,
                      "the manifest changed since this plan was made",
                      saved->manifest.path,
                      "make and review a new plan",
                      {}});
    return k_exit_error;
  }
  const auto now = plan::plan_fingerprints(saved->plan, planned->fleet, planned->live, saved->salt);
  const auto stale = plan::stale_changes(*saved, now, planned->plan);
  std::vector<std::size_t> dropped;
  std::vector<Error> reasons;
  for (const auto& change : stale) {
    std::string moved;
    for (const auto& part : change.moved) {
      moved += (moved.empty() ? "" : ", ") + part;
    }
    reasons.push_back(Error{
        ErrorKind::conflict, "live state moved since the plan: " + moved, change.label, "", {}});
    dropped.push_back(change.index);
  }
  if (!stale.empty() && !given.skip_stale) {
    print_error(Error{ErrorKind::conflict,
                      "the saved plan is stale: " + std::to_string(stale.size()) +
                          " change(s) no longer match live state; nothing was applied",
                      given.plan_file,
                      "make and review a new plan, or pass --skip-stale to apply the rest",
                      std::move(reasons)});
    return k_exit_error;
  }
  for (const auto& reason : reasons) {
    fmt::print(stderr, "Skipping stale {}: {}\n", reason.where, reason.message);
  }
  std::vector<std::string> also;
  plan::Plan to_apply = saved->plan.without(dropped, &also);
  for (const auto& label : also) {
    fmt::print(stderr, "Skipping {}: it depends on a stale change\n", label);
  }
  print_plan(to_apply, given);
  if (!to_apply.has_changes()) {
    return stale.empty() ? k_exit_ok : k_exit_error;
  }
  // With --skip-stale the operator chose to apply the rest: success is theirs.
  return run_apply(adapters, to_apply, planned->fleet, planned->live, given);
}

} // namespace vmoodle::cli
