#include "vmoodle/sql/quote.hpp"

namespace vmoodle::sql {

namespace {

constexpr std::size_t k_max_identifier_length = 64;

bool is_identifier_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

void append_quoted_name(std::string& out, std::string_view name) {
  out += '`';
  for (const char c : name) {
    if (c == '`') {
      out += '`';
    }
    out += c;
  }
  out += '`';
}

} // namespace

bool is_identifier(std::string_view name) {
  if (name.empty() || name.size() > k_max_identifier_length) {
    return false;
  }
  for (const char c : name) {
    if (!is_identifier_char(c)) {
      return false;
    }
  }
  return true;
}

std::string ident(std::string_view name) {
  std::string out;
  out.reserve(name.size() + 2);
  append_quoted_name(out, name);
  return out;
}

std::string ident(std::string_view db, std::string_view table) {
  std::string out;
  out.reserve(db.size() + table.size() + 5);
  append_quoted_name(out, db);
  out += '.';
  append_quoted_name(out, table);
  return out;
}

std::string literal(std::string_view value) {
  std::string out;
  out.reserve(value.size() + 2);
  append_literal(out, value);
  return out;
}

void append_literal(std::string& out, std::string_view value) {
  out += '\'';
  // Escaping byte by byte is sound for utf8mb4: every byte of a multi-byte character
  // is >= 0x80, so none can be mistaken for a quote or a backslash, and the server's
  // lexer never treats an escaped byte as part of a preceding (possibly invalid) sequence.
  for (const char c : value) {
    switch (c) {
    case '\0':
      out += "\\0";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\'':
      out += "\\'";
      break;
    case '"':
      out += "\\\"";
      break;
    case '\x1a':
      out += "\\Z";
      break;
    default:
      out += c;
    }
  }
  out += '\'';
}

std::string literal(std::int64_t value) {
  return std::to_string(value);
}

std::string like_escape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\' || c == '%' || c == '_') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

} // namespace vmoodle::sql
