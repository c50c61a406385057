#include "vmoodle/sql/dump_statement.hpp"

#include <cstddef>
#include <optional>

#include "vmoodle/sql/ascii.hpp"

namespace vmoodle::sql {
namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '$' || static_cast<unsigned char>(c) >= 0x80;
}

std::size_t skip_space(std::string_view text, std::size_t pos) {
  while (pos < text.size() && is_space(text[pos])) {
    ++pos;
  }
  return pos;
}

// Consumes `keyword` (lower case) as a whole word, case-insensitively, after blanks.
bool accept(std::string_view text, std::size_t& pos, std::string_view keyword) {
  const std::size_t start = skip_space(text, pos);
  if (text.size() - start < keyword.size()) {
    return false;
  }
  for (std::size_t i = 0; i < keyword.size(); ++i) {
    if (lower_char(text[start + i]) != keyword[i]) {
      return false;
    }
  }
  const std::size_t end = start + keyword.size();
  if (end < text.size() && is_word_char(text[end])) {
    return false;
  }
  pos = end;
  return true;
}

// A backquoted (doubled backquotes) or bare name, not followed by `.`.
std::optional<std::string> read_name(std::string_view text, std::size_t& pos) {
  pos = skip_space(text, pos);
  std::string name;
  if (pos < text.size() && text[pos] == '`') {
    ++pos;
    for (;;) {
      if (pos >= text.size()) {
        return std::nullopt;
      }
      if (text[pos] == '`') {
        if (pos + 1 < text.size() && text[pos + 1] == '`') {
          name += '`';
          pos += 2;
          continue;
        }
        ++pos;
        break;
      }
      name += text[pos++];
    }
  } else {
    while (pos < text.size() && is_word_char(text[pos])) {
      name += text[pos++];
    }
  }
  const std::size_t after = skip_space(text, pos);
  if (name.empty() || (after < text.size() && text[after] == '.')) {
    return std::nullopt;
  }
  return name;
}

// The content of an executable comment wrapping the whole statement, else the statement.
std::string_view unwrap(std::string_view statement) {
  std::size_t pos = 0;
  if (statement.starts_with("/*!")) {
    pos = 3;
  } else if (statement.starts_with("/*M!")) {
    pos = 4;
  } else {
    return statement;
  }
  if (statement.size() < pos + 2 || !statement.ends_with("*/")) {
    return statement;
  }
  while (pos < statement.size() && statement[pos] >= '0' && statement[pos] <= '9') {
    ++pos;
  }
  const std::size_t end = statement.size() - 2;
  if (pos > end) {
    return statement;
  }
  // Another comment closing inside means the statement is more than one comment.
  if (statement.substr(pos, end - pos).find("*/") != std::string_view::npos) {
    return statement;
  }
  return statement.substr(pos, end - pos);
}

DumpStatement with_table(DumpStatementKind kind, std::string_view text, std::size_t pos) {
  auto name = read_name(text, pos);
  if (!name) {
    return {};
  }
  return {kind, std::move(*name)};
}

} // namespace

DumpStatement classify_dump_statement(std::string_view statement) {
  const std::string_view text = unwrap(statement);
  std::size_t pos = 0;
  if (accept(text, pos, "set")) {
    return {DumpStatementKind::session_set, {}};
  }
  if (accept(text, pos, "lock") || accept(text, pos, "unlock")) {
    if (accept(text, pos, "tables") || accept(text, pos, "table")) {
      return {DumpStatementKind::lock_tables, {}};
    }
    return {};
  }
  if (accept(text, pos, "insert")) {
    accept(text, pos, "ignore");
    if (!accept(text, pos, "into")) {
      return {};
    }
    return with_table(DumpStatementKind::insert, text, pos);
  }
  if (accept(text, pos, "replace")) {
    if (!accept(text, pos, "into")) {
      return {};
    }
    return with_table(DumpStatementKind::insert, text, pos);
  }
  if (accept(text, pos, "drop")) {
    if (!accept(text, pos, "table")) {
      return {};
    }
    const bool if_exists = accept(text, pos, "if");
    if (if_exists && !accept(text, pos, "exists")) {
      return {};
    }
    auto named = with_table(DumpStatementKind::drop_table, text, pos);
    named.if_exists = if_exists;
    // One table only: `DROP TABLE a, b` would touch a table another connection loads.
    std::size_t end = pos;
    if (named.kind == DumpStatementKind::drop_table && read_name(text, end) &&
        skip_space(text, end) != text.size()) {
      return {};
    }
    return named;
  }
  if (accept(text, pos, "create")) {
    if (accept(text, pos, "or") && !accept(text, pos, "replace")) {
      return {};
    }
    if (!accept(text, pos, "table")) {
      return {};
    }
    if (accept(text, pos, "if") && (!accept(text, pos, "not") || !accept(text, pos, "exists"))) {
      return {};
    }
    return with_table(DumpStatementKind::create_table, text, pos);
  }
  if (accept(text, pos, "alter")) {
    if (!accept(text, pos, "table")) {
      return {};
    }
    auto name = read_name(text, pos);
    if (!name) {
      return {};
    }
    if ((accept(text, pos, "disable") || accept(text, pos, "enable")) &&
        accept(text, pos, "keys") && skip_space(text, pos) == text.size()) {
      return {DumpStatementKind::keys, std::move(*name)};
    }
    return {};
  }
  return {};
}

} // namespace vmoodle::sql
