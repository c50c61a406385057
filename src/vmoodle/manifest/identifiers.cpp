#include "vmoodle/manifest/identifiers.hpp"

#include <cctype>

#include "vmoodle/manifest/manifest.hpp"

namespace vmoodle::manifest {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_dns_name(std::string_view host) {
  if (host.empty()) {
    return false;
  }
  std::size_t start = 0;
  while (true) {
    const auto dot = host.find('.', start);
    const std::string_view label =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63) {
      return false;
    }
    for (char c : label) {
      if (!is_alnum(c) && c != '-') {
        return false;
      }
    }
    if (dot == std::string_view::npos) {
      return true;
    }
    start = dot + 1;
  }
}

} // namespace

bool is_identifier(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    if (!is_alnum(c) && c != '_') {
      return false;
    }
  }
  return true;
}

bool is_wwwroot(std::string_view text) {
  std::string_view rest;
  if (text.substr(0, 8) == "https://") {
    rest = text.substr(8);
  } else if (text.substr(0, 7) == "http://") {
    rest = text.substr(7);
  } else {
    return false;
  }
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) {
    return is_dns_name(rest);
  }
  const std::string_view port = rest.substr(colon + 1);
  if (port.empty() || port.size() > 5) {
    return false;
  }
  int value = 0;
  for (char c : port) {
    if (c < '0' || c > '9') {
      return false;
    }
    value = value * 10 + (c - '0');
  }
  return value >= 1 && value <= 65535 && is_dns_name(rest.substr(0, colon));
}

std::size_t character_count(std::string_view text) {
  std::size_t count = 0;
  for (unsigned char c : text) {
    // Continuation bytes (10xxxxxx) belong to the character before them.
    if ((c & 0xC0) != 0x80) {
      ++count;
    }
  }
  return count;
}

bool is_host_name(std::string_view text) {
  if (text.empty()) {
    return false;
  }
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && c != '.' && c != '_' && c != ':' && c != '-') {
      return false;
    }
  }
  return true;
}

bool has_control_character(std::string_view text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7F) {
      return true;
    }
  }
  return false;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// VMoodle sets the host's `sessioncookie` to clean_param(shortname, PARAM_ALPHANUM).
std::string sessioncookie_for(std::string_view shortname) {
  std::string out;
  for (char c : shortname) {
    if (is_alnum(c)) {
      out += c;
    }
  }
  return out;
}

} // namespace vmoodle::manifest
