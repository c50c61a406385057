#pragma once

#include <charconv>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "vmoodle/db/connection.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::live {

/// Column `i` of a catalog row; NULL and a missing column read as "".
inline std::string text(const db::Row& row, std::size_t i) {
  return i < row.size() && row[i] ? *row[i] : std::string();
}

/// Column `i` without a copy, valid as long as `row`; NULL and a missing column read as "".
inline std::string_view view(const db::Row& row, std::size_t i) {
  return i < row.size() && row[i] ? std::string_view(*row[i]) : std::string_view();
}

/// Column `i` as an integer; NULL, missing or not a number read as 0.
inline std::int64_t number(const db::Row& row, std::size_t i) {
  const std::string_view value = view(row, i);
  std::int64_t out = 0;
  std::from_chars(value.data(), value.data() + value.size(), out);
  return out;
}

/// `'a', 'b'` for an `IN (…)` list, each value escaped.
inline std::string in_list(const std::set<std::string>& values) {
  std::string out;
  for (const auto& value : values) {
    out += out.empty() ? "" : ", ";
    out += sql::literal(value);
  }
  return out;
}

} // namespace vmoodle::live
