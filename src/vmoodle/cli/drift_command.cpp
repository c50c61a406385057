// drift: what changed outside the tool, for a nightly cron job.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "vmoodle/cli/commands.hpp"
#include "vmoodle/cli/run.hpp"
#include "vmoodle/cli/workspace.hpp"
#include "vmoodle/diff/drift.hpp"
#include "vmoodle/render/plan_text.hpp"

namespace vmoodle::cli {
namespace {

int pending_count(const plan::Plan& plan) {
  int pending = 0;
  for (const auto& change : plan.changes) {
    if (change.action != plan::Action::update && change.action != plan::Action::migrate) {
      ++pending;
    }
  }
  return pending;
}

} // namespace

int drift_command(const Options& options) {
  Adapters adapters;
  auto planned = make_plan(adapters, options);
  if (!planned) {
    print_error(planned.error());
    return k_exit_error;
  }
  const auto items = diff::drift_items(planned->plan);
  const int pending = pending_count(planned->plan);
  if (options.format == Format::json) {
    nlohmann::json doc = {{"drift", nlohmann::json::array()}, {"pending_changes", pending}};
    for (const auto& item : items) {
      doc["drift"].push_back({{"host", item.host}, {"kind", item.kind}, {"detail", item.detail}});
    }
    fmt::print("{}\n", doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  } else if (items.empty()) {
    fmt::print("No drift: live state matches the manifest.\n");
  } else {
    fmt::print("Drift: {} difference(s) made outside vmoodle-apply:\n", items.size());
    for (const auto& item : items) {
      fmt::print("  {} {}: {}\n", item.host.empty() ? "" : render::quoted(item.host), item.kind,
                 item.detail);
    }
  }
  if (pending > 0 && options.format != Format::json) {
    fmt::print("({} pending change(s) not applied yet: see `vmoodle-apply plan`.)\n", pending);
  }
  return items.empty() ? k_exit_ok : k_exit_changes;
}

} // namespace vmoodle::cli
