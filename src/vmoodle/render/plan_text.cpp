#include "vmoodle/render/plan_text.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "vmoodle/diff/migration_diff.hpp"
#include "vmoodle/render/hook_text.hpp"

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

std::string headline(const plan::HostChange& change) {
  switch (change.action) {
  case plan::Action::create:
    return fmt::format("{} will be created from template {}", change.vhostname,
                       change.template_name);
  case plan::Action::update:
    return fmt::format("{} will be updated in place", change.vhostname);
  case plan::Action::migrate:
    return fmt::format("{} will be migrated (one rebuild per table)", change.vhostname);
  case plan::Action::snapshot:
    return fmt::format("template {} will be {} from {}", change.snapshot,
                       change.replace ? "taken again" : "taken", change.vhostname);
  case plan::Action::destroy:
    return fmt::format("{} will be destroyed{}", change.vhostname,
                       change.snapshot.empty() ? " (no final snapshot)"
                                               : " after a final snapshot " + change.snapshot);
  case plan::Action::configure:
    return fmt::format("{} site settings will be changed, caches purged", change.vhostname);
  }
  return change.vhostname;
}

void field_lines(std::string& out, const plan::HostChange& change) {
  if (change.action == plan::Action::create) {
    const std::size_t width = std::max<std::size_t>(name_width(change.fields), 8);
    out += fmt::format("      + {:<{}} = {}\n", "database", width,
                       quoted(change.server + "/" + change.database));
    out += fmt::format("      + {:<{}} = {}\n", "dataroot", width, quoted(change.dataroot));
    for (const auto& field : change.fields) {
      out += fmt::format("      + {:<{}} = {}\n", field.column, width, shown(field, field.after));
    }
    return;
  }
  const std::size_t width = name_width(change.fields);
  for (const auto& field : change.fields) {
    out += fmt::format("      ~ {:<{}} = {} -> {}\n", field.column, width,
                       shown(field, field.before), shown(field, field.after));
  }
}

} // namespace

std::string change_text(const plan::Plan& plan, const plan::HostChange& change) {
  std::string out;
  out += fmt::format("  # {}\n", headline(change));
  for (const auto& note : change.notes) {
    out += fmt::format("  # ({})\n", note);
  }
  if (!change.depends_on.empty()) {
    std::string after;
    for (std::size_t dep : change.depends_on) {
      const auto& other = plan.changes[dep];
      after += (after.empty() ? "" : ", ") + std::string(plan::name(other.action)) + " " +
               (other.action == plan::Action::snapshot ? other.snapshot : other.vhostname);
    }
    out += fmt::format("  # (after {})\n", after);
  }
  switch (change.action) {
  case plan::Action::snapshot:
    out +=
        fmt::format("  {} snapshot {} {{\n", change.replace ? "-/+" : "+", quoted(change.snapshot));
    out += fmt::format("      + from     = {}\n", quoted(change.vhostname));
    out += fmt::format("      + database = {}\n", quoted(change.server + "/" + change.database));
    out += fmt::format("      + dataroot = {}\n", quoted(change.dataroot));
    break;
  case plan::Action::destroy:
    out += fmt::format("  - host {} {{\n", quoted(change.vhostname));
    out += fmt::format("      - database = {}\n", quoted(change.server + "/" + change.database));
    out += fmt::format("      - dataroot = {}\n", quoted(change.dataroot));
    out += "      - registry row and the master's mnet_host row\n";
    break;
  case plan::Action::migrate:
    out += fmt::format("  ~ host {} {{\n", quoted(change.vhostname));
    if (change.migration) {
      // One line per part of the summary: tables by kind, database default, bytes.
      std::string summary = diff::migration_summary(*change.migration);
      for (const auto& separator : {std::string("; "), std::string(", ")}) {
        for (auto pos = summary.find(separator); pos != std::string::npos;
             pos = summary.find(separator, pos + 1)) {
          summary.replace(pos, separator.size(), "\n");
        }
      }
      std::size_t start = 0;
      while (start < summary.size()) {
        auto end = summary.find('\n', start);
        end = end == std::string::npos ? summary.size() : end;
        out += fmt::format("      ~ {}\n", summary.substr(start, end - start));
        start = end + 1;
      }
    }
    break;
  case plan::Action::create:
  case plan::Action::update:
    out += fmt::format("  {} host {} {{\n", plan::symbol(change.action), quoted(change.vhostname));
    field_lines(out, change);
    break;
  case plan::Action::configure:
    out += fmt::format("  ~ settings {} {{\n", quoted(change.vhostname));
    for (const auto& line : setting_lines(change)) {
      out += "      " + line + "\n";
    }
    break;
  }
  out += hook_lines(change, "      ");
  out += "    }\n";
  return out;
}

std::string quoted(const std::string& value) {
  return nlohmann::json(value).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string summary_line(const plan::Summary& s) {
  // `to configure` only when there is some: the line stays as it was for plans without.
  return fmt::format("Plan: {} to create, {} to update, {}{} to migrate, {} to snapshot, {} to "
                     "destroy.",
                     s.create, s.update,
                     s.configure == 0 ? "" : fmt::format("{} to configure, ", s.configure),
                     s.migrate, s.snapshot, s.destroy);
}

std::vector<std::string> setting_lines(const plan::HostChange& change) {
  std::vector<std::string> lines;
  for (const auto& setting : change.settings) {
    const std::string key = model::setting_label(setting.plugin, setting.name);
    if (setting.before) {
      lines.push_back(
          fmt::format("~ {} = {} -> {}", key, quoted(*setting.before), quoted(setting.after)));
    } else {
      lines.push_back(fmt::format("+ {} = {}", key, quoted(setting.after)));
    }
  }
  return lines;
}

std::string plan_text(const plan::Plan& plan) {
  std::string out;
  if (plan.has_changes()) {
    out += "vmoodle-apply will perform the following actions:\n\n";
    for (const auto& change : plan.changes) {
      out += change_text(plan, change) + "\n";
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
