#include "vmoodle/render/plan_text.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace vmoodle::render {
namespace {

std::size_t name_width(const std::vector<plan::FieldChange>& fields) {
  std::size_t width = 0;
  for (const auto& field : fields) {
    width = std::max(width, field.column.size());
  }
  return width;
}

std::string shown(const plan::FieldChange& field, const std::string& value) {
  return field.sensitive ? std::string("(sensitive)") : quoted(value);
}

void host_block(std::string& out, const plan::HostChange& change) {
  if (change.action == plan::Action::create) {
    out += fmt::format("  # {} will be created from template {}\n", change.vhostname,
                       change.template_name);
  } else {
    out += fmt::format("  # {} will be updated in place\n", change.vhostname);
  }
  for (const auto& note : change.notes) {
    out += fmt::format("  # ({})\n", note);
  }
  out += fmt::format("  {} host {} {{\n", plan::symbol(change.action), quoted(change.vhostname));
  if (change.action == plan::Action::create) {
    const std::size_t width = std::max<std::size_t>(name_width(change.fields), 8);
    out += fmt::format("      + {:<{}} = {}\n", "database", width,
                       quoted(change.server + "/" + change.database));
    out += fmt::format("      + {:<{}} = {}\n", "dataroot", width, quoted(change.dataroot));
    for (const auto& field : change.fields) {
      out += fmt::format("      + {:<{}} = {}\n", field.column, width, shown(field, field.after));
    }
  } else {
    const std::size_t width = name_width(change.fields);
    for (const auto& field : change.fields) {
      out += fmt::format("      ~ {:<{}} = {} -> {}\n", field.column, width,
                         shown(field, field.before), shown(field, field.after));
    }
  }
  out += "    }\n\n";
}

} // namespace

std::string quoted(const std::string& value) {
  return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string summary_line(const plan::Summary& s) {
  return fmt::format("Plan: {} to create, {} to update, {} to migrate, {} to snapshot, {} to "
                     "destroy.",
                     s.create, s.update, s.migrate, s.snapshot, s.destroy);
}

std::string plan_text(const plan::Plan& plan) {
  std::string out;
  if (plan.has_changes()) {
    out += "vmoodle-apply will perform the following actions:\n\n";
    for (const auto& change : plan.changes) {
      host_block(out, change);
    }
  }
  if (!plan.unmanaged.empty()) {
    out += "Unmanaged hosts (in the registry, not in the manifest; never touched):\n";
    for (const auto& host : plan.unmanaged) {
      out += fmt::format("  ? {} (database {} on {})\n", quoted(host.vhostname),
                         quoted(host.vdbname), quoted(host.vdbhost));
    }
    out += "\n";
  }
  for (const auto& warning : plan.warnings) {
    out += "Warning: " + warning + "\n";
  }
  if (!plan.has_changes()) {
    out += "No changes. The fleet matches the manifest.\n";
  } else {
    out += summary_line(plan.summary()) + "\n";
  }
  return out;
}

} // namespace vmoodle::render
