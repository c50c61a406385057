#include "vmoodle/render/plan_markdown.hpp"

#include <map>
#include <vector>

#include <fmt/format.h>

#include "vmoodle/render/markdown.hpp"
#include "vmoodle/render/plan_text.hpp"

namespace vmoodle::render {
namespace {

// Room kept for the closing notices, whose numbers are not known in advance.
constexpr std::size_t k_notice_reserve = 400;

bool is_risky(const plan::HostChange& change) {
  return change.action == plan::Action::destroy ||
         (change.action == plan::Action::snapshot && change.replace);
}

std::string risky_line(const plan::HostChange& change) {
  if (change.action == plan::Action::destroy) {
    return fmt::format(
        "- :warning: **destroy** {}: drops database {} on server {}, removes dataroot {}, {}{}\n",
        markdown_text(change.vhostname), markdown_text(change.database),
        markdown_text(change.server), markdown_text(change.dataroot),
        change.snapshot.empty() ? std::string("**no final snapshot**")
                                : "after a final snapshot " + markdown_text(change.snapshot),
        change.resume ? " (finishes an interrupted destroy)" : "");
  }
  return fmt::format("- :warning: **replace snapshot** {}: the existing template is overwritten "
                     "with a new snapshot of {}\n",
                     markdown_text(change.snapshot), markdown_text(change.vhostname));
}

// GitHub and GitLab colour a ```diff block by its first column: move each change
// symbol there (`~` and `-/+` become `!`, "changed") and keep the indentation.
std::string as_diff(const std::string& text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string line = text.substr(start, end - start);
    const auto first = line.find_first_not_of(' ');
    if (first != std::string::npos && first > 0) {
      const std::string rest = line.substr(first);
      if (rest.rfind("-/+ ", 0) == 0) {
        line = "!" + line.substr(1);
      } else if (rest.size() > 1 && rest[1] == ' ' &&
                 (rest[0] == '+' || rest[0] == '-' || rest[0] == '~')) {
        const char mark = rest[0] == '~' ? '!' : rest[0];
        line = std::string(1, mark) + line.substr(0, first) + rest.substr(1);
      }
    }
    out += line + "\n";
    start = end + 1;
  }
  return out;
}

// The changes of one host (a host may be migrated, then snapshotted), in plan order.
struct HostGroup {
  std::string vhostname;
  std::vector<const plan::HostChange*> changes;
};

std::vector<HostGroup> group_by_host(const plan::Plan& plan) {
  std::vector<HostGroup> groups;
  std::map<std::string, std::size_t> index;
  for (const auto& change : plan.changes) {
    auto [it, inserted] = index.emplace(change.vhostname, groups.size());
    if (inserted) {
      groups.push_back({change.vhostname, {}});
    }
    groups[it->second].changes.push_back(&change);
  }
  return groups;
}

std::string details_section(const plan::Plan& plan, const HostGroup& group) {
  std::string actions;
  std::string body;
  for (const plan::HostChange* change : group.changes) {
    std::string action =
        change->action == plan::Action::snapshot && change->replace
            ? std::string("-/+ snapshot")
            : fmt::format("{} {}", plan::symbol(change->action), plan::name(change->action));
    if (change->action == plan::Action::snapshot) {
      action += " " + change->snapshot;
    }
    actions += (actions.empty() ? "" : ", ") + action;
    body += change_text(plan, *change);
  }
  return fmt::format("<details><summary>{}: {}</summary>\n\n{}\n</details>\n\n", html_text(actions),
                     html_text(group.vhostname), fenced_block(as_diff(body), "diff"));
}

std::string unmanaged_line(const plan::Unmanaged& host) {
  return fmt::format("- {} (database {} on {})\n", markdown_text(host.vhostname),
                     markdown_text(host.vdbname), markdown_text(host.vdbhost));
}

} // namespace

std::string plan_markdown(const plan::Plan& plan, std::size_t max_bytes) {
  // The parts that are never cut: what the plan does, in one line, and what it destroys.
  std::string out;
  if (plan.has_changes()) {
    out += "**" + summary_line(plan.summary()) + "**\n\n";
  } else {
    out += "**No changes.** The fleet matches the manifest.\n\n";
  }
  std::string risky;
  for (const auto& change : plan.changes) {
    if (is_risky(change)) {
      risky += risky_line(change);
    }
  }
  if (!risky.empty()) {
    out += "### Destructive changes\n\n" + risky + "\n";
  }
  if (!plan.warnings.empty()) {
    out += "### Warnings\n\n";
    for (const auto& warning : plan.warnings) {
      out += "- " + markdown_text(warning) + "\n";
    }
    out += "\n";
  }

  const std::size_t budget = max_bytes > k_notice_reserve ? max_bytes - k_notice_reserve : 0;
  bool full = out.size() > budget;
  std::vector<std::string> notices;

  if (!plan.unmanaged.empty()) {
    std::string section = "### Unmanaged hosts\n\nIn the registry, not in the manifest; never "
                          "touched.\n\n";
    std::size_t shown = 0;
    if (!full && out.size() + section.size() <= budget) {
      out += section;
      for (const auto& host : plan.unmanaged) {
        const std::string line = unmanaged_line(host);
        if (out.size() + line.size() > budget) {
          break;
        }
        out += line;
        ++shown;
      }
      out += "\n";
    }
    if (shown < plan.unmanaged.size()) {
      full = true;
      notices.push_back(
          fmt::format("… {} more unmanaged host(s) not shown", plan.unmanaged.size() - shown));
    }
  }

  const auto groups = group_by_host(plan);
  std::size_t shown = 0;
  if (!groups.empty() && !full) {
    const std::string heading = "### Details\n\n";
    if (out.size() + heading.size() <= budget) {
      out += heading;
      for (const auto& group : groups) {
        const std::string section = details_section(plan, group);
        if (out.size() + section.size() > budget) {
          break;
        }
        out += section;
        ++shown;
      }
    }
  }
  if (shown < groups.size()) {
    notices.push_back(fmt::format("… {} more host(s) not shown", groups.size() - shown));
  }
  for (std::size_t i = 0; i < notices.size(); ++i) {
    out += notices[i];
    out += i + 1 < notices.size()
               ? std::string("\n\n")
               : fmt::format(" (output limited to {} bytes; run plan --format text for "
                             "everything)\n",
                             max_bytes);
  }
  return out;
}

} // namespace vmoodle::render
