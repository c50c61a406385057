#include "vmoodle/cli/apply_run.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "vmoodle/apply/apply_lock.hpp"
#include "vmoodle/apply/apply_plan.hpp"
#include "vmoodle/cli/console_reporter.hpp"
#include "vmoodle/cli/run.hpp"
#include "vmoodle/render/plan_json.hpp"
#include "vmoodle/render/plan_markdown.hpp"
#include "vmoodle/render/plan_text.hpp"

namespace vmoodle::cli {

void print_plan(const plan::Plan& plan, const Options& options) {
  switch (options.format) {
  case Format::markdown:
    fmt::print("{}", render::plan_markdown(plan, options.max_bytes));
    break;
  case Format::json:
    fmt::print("{}", render::plan_json(plan));
    break;
  case Format::text:
    fmt::print("{}", render::plan_text(plan));
    break;
  }
  std::fflush(stdout);
}

Result<std::unique_ptr<db::Connection>> lock_fleet(Adapters& adapters, const Options& options) {
  VM_TRY_ASSIGN(auto source, read_manifest(adapters, options.manifest, options.rev));
  VM_TRY_ASSIGN(auto fleet, load_manifest_source(source));
  const model::Server& server = *fleet.find_server(fleet.master.server);
  Secret password;
  if (server.password) {
    VM_TRY_ASSIGN(password, adapters.secrets.resolve(*server.password));
  }
  VM_TRY_ASSIGN(auto conn, adapters.connector.connect(server, password, ""));
  VM_TRY(apply::acquire_apply_lock(*conn, fleet.master, options.lock_timeout));
  return conn;
}

int run_apply(Adapters& adapters, const plan::Plan& plan, const model::Fleet& fleet,
              const model::LiveState& live, const Options& options) {
  fmt::print("\n");
  // Fault injection for the crash-safety tests: see ConsoleReporter.
  const char* crash_after = std::getenv("VMOODLE_APPLY_CRASH_AFTER");
  ConsoleReporter reporter(crash_after != nullptr ? crash_after : "");
  apply::Effects effects{adapters.connector, adapters.files, adapters.secrets,
                         adapters.clock,     reporter,       adapters.processes};
  auto report = apply::apply_plan(plan, fleet, live, effects,
                                  {.lock_timeout_seconds = options.lock_timeout,
                                   .parallelism = options.parallelism,
                                   .take_lock = false});
  if (!report) {
    print_error(report.error());
    return k_exit_error;
  }
  for (const auto& error : report->errors) {
    print_error(error);
  }
  for (const auto& skipped : report->skipped) {
    fmt::print(stderr, "Skipped: {}\n", skipped);
  }
  fmt::print("\nApply {}: {} done, {} failed, {} skipped.\n", report->ok() ? "complete" : "failed",
             report->done.size(), report->failed.size(), report->skipped.size());
  return report->ok() ? k_exit_ok : k_exit_error;
}

} // namespace vmoodle::cli
