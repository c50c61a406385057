#pragma once

#include <string>
#include <string_view>

namespace vmoodle::render {

/// `value` as inert Markdown text: every ASCII punctuation character is
/// backslash-escaped (so `<`, `|`, backticks, `*`, `[`, `@`, `#`, `:` make no tag,
/// table cell, code span, emphasis, link, mention, issue reference or autolink) and
/// control characters are shown as escapes (`\n`), so a value stays on its line.
std::string markdown_text(std::string_view value);

/// `value` as inert HTML text, for `<summary>`: punctuation as numeric character
/// references, control characters shown as escapes.
std::string html_text(std::string_view value);

/// `body` in a fenced code block of language `language`, with a fence longer
/// than any run of backticks in `body`, so no line of it can close the block.
std::string fenced_block(std::string_view body, std::string_view language);

} // namespace vmoodle::render
