#pragma once

namespace vmoodle::sql {

// SQL keywords and mysqldump's syntax are ASCII: these never depend on the locale, which
// <cctype> does.

constexpr char lower_char(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Whitespace within a line.
constexpr bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/// Whitespace, line ends included.
constexpr bool is_space(char c) {
  return is_blank(c) || c == '\n';
}

} // namespace vmoodle::sql
