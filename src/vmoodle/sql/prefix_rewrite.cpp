#include "vmoodle/sql/prefix_rewrite.hpp"

#include <cstddef>

#include "vmoodle/sql/ascii.hpp"

namespace vmoodle::sql {

namespace {

// Index just past the string literal opening at `start` (or the end if unterminated).
std::size_t skip_string(std::string_view text, std::size_t start) {
  const char quote = text[start];
  std::size_t pos = start + 1;
  while (pos < text.size()) {
    const char c = text[pos];
    if (c == '\\') {
      pos += 2;
      continue;
    }
    ++pos;
    if (c == quote) {
      // A doubled quote continues the literal.
      if (pos < text.size() && text[pos] == quote) {
        ++pos;
        continue;
      }
      return pos;
    }
  }
  return text.size();
}

// Index just past the backquoted identifier opening at `start`; its name, with doubled
// backquotes undone, goes to `name`. nullopt if unterminated.
std::optional<std::size_t> read_quoted_name(std::string_view text, std::size_t start,
                                            std::string& name) {
  name.clear();
  std::size_t pos = start + 1;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (c != '`') {
      name += c;
      continue;
    }
    if (pos < text.size() && text[pos] == '`') {
      name += '`';
      ++pos;
      continue;
    }
    return pos;
  }
  return std::nullopt;
}

// Index just past the comment opening at `start`, or nullopt if `start` opens none.
// Executable comments `/*!`, `/*M!` and hints `/*+` are code, not comments.
std::optional<std::size_t> skip_comment(std::string_view text, std::size_t start) {
  const std::string_view rest = text.substr(start);
  const bool line_comment =
      rest.starts_with('#') ||
      (rest.starts_with("--") && (rest.size() == 2 || static_cast<unsigned char>(rest[2]) <= 0x20));
  if (line_comment) {
    const std::size_t newline = text.find('\n', start);
    return newline == std::string_view::npos ? text.size() : newline;
  }
  if (rest.starts_with("/*") && !rest.starts_with("/*!") && !rest.starts_with("/*+") &&
      !rest.starts_with("/*M!")) {
    const std::size_t end = text.find("*/", start + 2);
    return end == std::string_view::npos ? text.size() : end + 2;
  }
  return std::nullopt;
}

void append_escaped(std::string& out, std::string_view name) {
  for (const char c : name) {
    if (c == '`') {
      out += '`';
    }
    out += c;
  }
}

// Skips whitespace and comments from `pos`.
std::size_t skip_blank(std::string_view text, std::size_t pos) {
  while (pos < text.size()) {
    if (is_space(text[pos])) {
      ++pos;
      continue;
    }
    const auto after = skip_comment(text, pos);
    if (!after) {
      break;
    }
    pos = *after;
  }
  return pos;
}

bool is_ascii_word_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$';
}

// Consumes the keyword `word` (any case) at `pos`, after blanks; true if it was there.
bool accept_keyword(std::string_view text, std::size_t& pos, std::string_view word) {
  const std::size_t start = skip_blank(text, pos);
  if (text.size() - start < word.size()) {
    return false;
  }
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (lower_char(text[start + i]) != word[i]) {
      return false;
    }
  }
  const std::size_t end = start + word.size();
  if (end < text.size() && is_ascii_word_char(text[end])) {
    return false;
  }
  pos = end;
  return true;
}

} // namespace

std::string rewrite_prefix(std::string_view statement, std::string_view from, std::string_view to) {
  if (from == to || from.empty()) {
    return std::string(statement);
  }
  std::string out;
  out.reserve(statement.size() + statement.size() / 16);
  std::string name;
  std::size_t copied = 0; // statement[copied, pos) is still to be copied unchanged
  std::size_t pos = 0;
  while (pos < statement.size()) {
    const char c = statement[pos];
    if (c == '\'' || c == '"') {
      pos = skip_string(statement, pos);
      continue;
    }
    if (c == '#' || c == '-' || c == '/') {
      if (const auto after = skip_comment(statement, pos)) {
        pos = *after;
        continue;
      }
      ++pos;
      continue;
    }
    if (c != '`') {
      ++pos;
      continue;
    }
    const auto after = read_quoted_name(statement, pos, name);
    if (!after) {
      break;
    }
    if (name.starts_with(from)) {
      out.append(statement, copied, pos - copied);
      out += '`';
      append_escaped(out, to);
      append_escaped(out, std::string_view(name).substr(from.size()));
      out += '`';
      copied = *after;
    }
    pos = *after;
  }
  out.append(statement, copied, std::string_view::npos);
  return out;
}

std::optional<std::string> created_table(std::string_view statement) {
  std::size_t pos = 0;
  if (!accept_keyword(statement, pos, "create")) {
    return std::nullopt;
  }
  if (accept_keyword(statement, pos, "or") && !accept_keyword(statement, pos, "replace")) {
    return std::nullopt;
  }
  if (!accept_keyword(statement, pos, "table")) {
    return std::nullopt;
  }
  if (accept_keyword(statement, pos, "if")) {
    if (!accept_keyword(statement, pos, "not") || !accept_keyword(statement, pos, "exists")) {
      return std::nullopt;
    }
  }
  pos = skip_blank(statement, pos);
  if (pos >= statement.size()) {
    return std::nullopt;
  }
  std::string name;
  if (statement[pos] == '`') {
    const auto after = read_quoted_name(statement, pos, name);
    if (!after) {
      return std::nullopt;
    }
    pos = *after;
  } else {
    while (pos < statement.size() && is_ascii_word_char(statement[pos])) {
      name += statement[pos++];
    }
  }
  const std::size_t after_name = skip_blank(statement, pos);
  if (name.empty() || (after_name < statement.size() && statement[after_name] == '.')) {
    return std::nullopt;
  }
  return name;
}

} // namespace vmoodle::sql
