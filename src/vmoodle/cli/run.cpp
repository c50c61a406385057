#include "vmoodle/cli/run.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "vmoodle/cli/commands.hpp"
#include "vmoodle/cli/import_command.hpp"
#include "vmoodle/cli/options.hpp"

#ifndef VMOODLE_VERSION
#define VMOODLE_VERSION "0.0.0"
#endif
#ifndef VMOODLE_GIT_COMMIT
#define VMOODLE_GIT_COMMIT "unknown"
#endif

namespace vmoodle::cli {
namespace {

void add_manifest_option(CLI::App& command, Options& options) {
  command.add_option("-f,--file", options.manifest, "Fleet manifest (YAML)")->capture_default_str();
}

// --format as typed; mapped to Options::format once parsing is done.
std::string format_name = "text";

void add_plan_options(CLI::App& command, Options& options) {
  add_manifest_option(command, options);
  command.add_option("--host", options.hosts,
                     "Limit to this host (its vhostname); repeatable. An unknown host is an error");
  command.add_option("--format", format_name, "Output format: text, json or markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();
  command
      .add_option("--max-bytes", options.max_bytes,
                  "With --format markdown: cut details beyond this size, saying what was cut")
      ->check(CLI::Range(1000, 10000000))
      ->capture_default_str();
  command
      .add_option("--replace", options.replace,
                  "Take this declared snapshot again (snapshot.NAME); repeatable")
      ->check([](const std::string& value) -> std::string {
        return value.rfind("snapshot.", 0) == 0 && value.size() > 9
                   ? std::string()
                   : "expected snapshot.NAME, got " + value;
      });
  command.add_option("--rev", options.rev,
                     "Read the manifest as committed at this git revision, without a checkout");
  command.add_option("--base", options.base,
                     "Refuse when the manifest's commit does not contain this ref's head");
  command
      .add_option("--max-destroy", options.max_destroy,
                  "Refuse a plan that destroys more hosts than this")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
}

} // namespace

int run(int argc, char** argv) {
  Options options;
  CLI::App app{"vmoodle-apply: manage a fleet of VMoodle sites from a YAML manifest, "
               "Terraform-style."};
  app.set_version_flag("--version", std::string("vmoodle-apply ") + VMOODLE_VERSION + " (commit " +
                                        VMOODLE_GIT_COMMIT + ")");
  app.require_subcommand(1);

  auto* validate = app.add_subcommand("validate", "Check the manifest; touches nothing");
  add_manifest_option(*validate, options);

  auto* plan = app.add_subcommand("plan", "Show what apply would change; touches nothing");
  add_plan_options(*plan, options);
  plan->add_flag("--detailed-exitcode", options.detailed_exitcode,
                 "Exit 0 with no changes, 1 on error, 2 when there are changes");

  plan->add_option("--out", options.out,
                   "Also save the plan to FILE (JSON, no secrets) for `apply FILE`");

  auto* apply = app.add_subcommand("apply", "Plan, ask for approval, then make the changes; or "
                                            "apply a saved plan FILE");
  add_plan_options(*apply, options);
  apply->add_option("plan_file", options.plan_file, "A plan saved by `plan --out FILE`");
  apply->add_flag("--allow-dirty", options.allow_dirty,
                  "Apply a manifest with uncommitted changes");
  apply->add_flag("--skip-stale", options.skip_stale,
                  "With a plan file: skip the changes whose live state moved instead of refusing");
  apply->add_flag("--auto-approve", options.auto_approve, "Apply without asking");
  apply
      ->add_option("--lock-timeout", options.lock_timeout,
                   "Seconds to wait for another apply to finish")
      ->check(CLI::Range(0, 86400))
      ->capture_default_str();
  apply
      ->add_option(
          "--parallelism", options.parallelism,
          "Changes applied at once, and sessions one template load may use; each server also "
          "caps at its max_parallel")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();

  auto* show = app.add_subcommand("show", "Print a plan saved by `plan --out FILE`");
  show->add_option("plan_file", options.plan_file, "The plan file")->required();
  show->add_option("--format", format_name, "Output format: text, json or markdown")
      ->check(CLI::IsMember({"text", "json", "markdown"}))
      ->capture_default_str();

  auto* drift =
      app.add_subcommand("drift", "Report what changed outside the tool: 0 none, 2 drift, 1 error");
  add_plan_options(*drift, options);

  const ImportCommand import(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // CLI11 exits 0 for --help/--version; any real usage error is ours to map to 1.
    return code == 0 ? k_exit_ok : k_exit_error;
  }

  options.format = format_name == "json"       ? Format::json
                   : format_name == "markdown" ? Format::markdown
                                               : Format::text;
  for (auto& name : options.replace) {
    name = name.substr(std::string("snapshot.").size());
  }
  if (validate->parsed()) {
    return validate_command(options);
  }
  if (plan->parsed()) {
    return plan_command(options);
  }
  if (show->parsed()) {
    return show_command(options);
  }
  if (drift->parsed()) {
    return drift_command(options);
  }
  if (import.parsed()) {
    return import.run();
  }
  return options.plan_file.empty() ? apply_command(options) : apply_saved_plan_command(options);
}

} // namespace vmoodle::cli
