#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// An independent, test-only reading of MySQL string literals, used to check that what
// sql::literal() and the fix-up produce parses back to the values that went in.

namespace vmoodle::testing {

/// Decodes the literal whose opening quote is at `text[pos]`, as the server's lexer
/// does (no NO_BACKSLASH_ESCAPES); moves `pos` past the closing quote. nullopt if the
/// literal never closes.
inline std::optional<std::string> decode_literal(std::string_view text, std::size_t& pos) {
  const char quote = text[pos++];
  std::string value;
  while (pos < text.size()) {
    const char c = text[pos++];
    if (c == '\\') {
      if (pos == text.size()) {
        return std::nullopt;
      }
      const char e = text[pos++];
      switch (e) {
      case '0':
        value += '\0';
        break;
      case 'n':
        value += '\n';
        break;
      case 'r':
        value += '\r';
        break;
      case 't':
        value += '\t';
        break;
      case 'b':
        value += '\b';
        break;
      case 'Z':
        value += '\x1a';
        break;
      default:
        value += e;
      }
      continue;
    }
    if (c == quote) {
      if (pos < text.size() && text[pos] == quote) {
        value += quote;
        ++pos;
        continue;
      }
      return value;
    }
    value += c;
  }
  return std::nullopt;
}

/// A statement with each string literal replaced by `?`, and the decoded literals.
struct SplitStatement {
  std::string skeleton;
  std::vector<std::string> literals;
};

/// Splits `statement`; backquoted identifiers are copied as they are. nullopt if a
/// literal or identifier never closes.
inline std::optional<SplitStatement> split_literals(std::string_view statement) {
  SplitStatement out;
  std::size_t pos = 0;
  while (pos < statement.size()) {
    const char c = statement[pos];
    if (c == '\'' || c == '"') {
      auto value = decode_literal(statement, pos);
      if (!value) {
        return std::nullopt;
      }
      out.skeleton += '?';
      out.literals.push_back(std::move(*value));
      continue;
    }
    if (c == '`') {
      const std::size_t end = statement.find('`', pos + 1);
      if (end == std::string_view::npos) {
        return std::nullopt;
      }
      out.skeleton.append(statement.substr(pos, end + 1 - pos));
      pos = end + 1;
      continue;
    }
    out.skeleton += c;
    ++pos;
  }
  return out;
}

} // namespace vmoodle::testing
