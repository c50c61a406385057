#pragma once

#include <string>
#include <vector>

#include "vmoodle/plan/plan.hpp"

namespace vmoodle::render {

/// Terraform-style text: one block per host (`+` create, `~` update with
/// `old -> new` per field), unmanaged hosts in their own section, then the
/// `Plan: …` summary line. Passwords only ever appear as `(sensitive)`.
std::string plan_text(const plan::Plan& plan);

/// One change's block of plan_text(): `# headline`, notes, `(after …)` when it
/// depends on other changes of `plan`, then its fields between `{` and `}`. Ends
/// with a newline; every value is quoted().
std::string change_text(const plan::Plan& plan, const plan::HostChange& change);

/// `Plan: N to create, N to update, N to migrate, N to snapshot, N to destroy.`
std::string summary_line(const plan::Summary& summary);

/// A `configure` change's settings, one line each: `~ config.theme = "classic" -> "boost"`,
/// or `+ KEY = "value"` when the row is absent (or the host not created yet).
std::vector<std::string> setting_lines(const plan::HostChange& change);

/// A value as the text output quotes it: JSON-style string escapes, so control
/// characters and quotes in registry data cannot forge output lines.
std::string quoted(const std::string& value);

} // namespace vmoodle::render
