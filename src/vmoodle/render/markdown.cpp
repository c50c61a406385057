#include "vmoodle/render/markdown.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace vmoodle::render {
namespace {

bool is_ascii_punctuation(char c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

bool is_control(char c) {
  return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
}

// `\n`, `\t`, `\r` as JSON writes them, others as `\u00XX`: visible, one line.
std::string control_escape(char c) {
  switch (c) {
  case '\n':
    return "\\n";
  case '\r':
    return "\\r";
  case '\t':
    return "\\t";
  default:
    return fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
  }
}

} // namespace

std::string markdown_text(std::string_view value) {
  std::string out;
  out.reserve(value.size() * 2);
  for (char c : value) {
    if (is_control(c)) {
      // The escape's own backslash is punctuation too: escape it so it shows.
      for (char e : control_escape(c)) {
        if (is_ascii_punctuation(e)) {
          out += '\\';
        }
        out += e;
      }
    } else if (is_ascii_punctuation(c)) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string html_text(std::string_view value) {
  std::string out;
  out.reserve(value.size() * 2);
  for (char c : value) {
    if (is_control(c)) {
      out += html_text(control_escape(c));
    } else if (is_ascii_punctuation(c) && c != '.' && c != '-' && c != '/' && c != ',' &&
               c != '+' && c != '~') {
      out += fmt::format("&#{};", static_cast<int>(c));
    } else {
      out += c;
    }
  }
  return out;
}

std::string fenced_block(std::string_view body, std::string_view language) {
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  std::string out = fence + std::string(language) + "\n" + std::string(body);
  if (!body.empty() && body.back() != '\n') {
    out += '\n';
  }
  return out + fence + "\n";
}

} // namespace vmoodle::render
