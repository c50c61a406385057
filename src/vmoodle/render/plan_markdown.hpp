#pragma once

#include <cstddef>
#include <string>

#include "vmoodle/plan/plan.hpp"

namespace vmoodle::render {

/// Default byte limit of plan_markdown(): below GitHub's 65,535-character comment
/// limit (GitLab's is larger) with room for a CI job's own header.
inline constexpr std::size_t k_markdown_max_bytes = 60000;

/// The plan as Markdown for a pull-request or merge-request comment, in this order:
///  1. the summary line (`**Plan: N to create, …**`, or `**No changes.**`);
///  2. destructive or risky changes, one line each: every destroy and every snapshot
///     taken again over an existing template — never cut;
///  3. warnings, then unmanaged hosts;
///  4. per host, a collapsible `<details>` section holding its plan_text() blocks in a
///     ```diff fence.
/// Output stays within `max_bytes`: unmanaged hosts and details that do not fit are
/// left out, and the output ends with `… N more host(s) not shown (output limited to M
/// bytes; run plan --format text for everything)`. Only when the summary, destroys and
/// warnings alone exceed `max_bytes` is the limit exceeded, because they are never cut.
/// Every value from the manifest or the registry is escaped (markdown_text(),
/// html_text(), fenced_block()): a hostile name cannot inject markup, HTML, links or
/// mentions. Passwords only ever appear as `(sensitive)`.
std::string plan_markdown(const plan::Plan& plan, std::size_t max_bytes = k_markdown_max_bytes);

} // namespace vmoodle::render
