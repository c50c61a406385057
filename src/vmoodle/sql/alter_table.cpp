#include "vmoodle/sql/alter_table.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "vmoodle/sql/ascii.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::sql {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = lower_char(c);
  }
  return out;
}

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return out;
}

Status check_name(const std::string& what, const std::string& name) {
  if (!is_identifier(name)) {
    return fail(ErrorKind::internal, "invalid " + what + " name `" + name + "`", {},
                "names in a migration are letters, digits and _ only");
  }
  return {};
}

} // namespace

std::string canonical_charset(std::string_view name) {
  std::string out = lower(name);
  return out == "utf8" ? "utf8mb3" : out;
}

std::string canonical_collation(std::string_view name) {
  std::string out = lower(name);
  if (out.rfind("utf8_", 0) == 0) {
    out.insert(4, "mb3");
  }
  return out;
}

std::string charset_of(std::string_view collation_or_charset) {
  return canonical_charset(collation_or_charset.substr(0, collation_or_charset.find('_')));
}

int max_bytes_per_char(std::string_view charset) {
  // Maxlen column of SHOW CHARACTER SET for the multi-byte charsets; all others take one.
  static constexpr std::array<std::pair<std::string_view, int>, 15> k_multi_byte = {{
      {"utf8mb4", 4},
      {"utf8mb3", 3},
      {"utf16", 4},
      {"utf16le", 4},
      {"utf32", 4},
      {"ucs2", 2},
      {"gb18030", 4},
      {"big5", 2},
      {"cp932", 2},
      {"eucjpms", 3},
      {"euckr", 2},
      {"gb2312", 2},
      {"gbk", 2},
      {"sjis", 2},
      {"ujis", 3},
  }};
  const std::string name = canonical_charset(charset);
  for (const auto& [known, bytes] : k_multi_byte) {
    if (known == name) {
      return bytes;
    }
  }
  return 1;
}

std::string canonical_row_format(std::string_view name) {
  const std::string key = lower(name);
  for (const char* known : {"Dynamic", "Compact", "Compressed", "Redundant"}) {
    if (lower(known) == key) {
      return known;
    }
  }
  return std::string(name);
}

Result<std::string> alter_table_sql(const TableAlter& alter) {
  VM_TRY(check_name("database", alter.database));
  VM_TRY(check_name("table", alter.table));
  std::string clauses;
  auto add = [&](const std::string& clause) {
    clauses += clauses.empty() ? "" : ", ";
    clauses += clause;
  };
  if (!alter.engine.empty()) {
    VM_TRY(check_name("engine", alter.engine));
    add("ENGINE=" + alter.engine);
  }
  if (!alter.row_format.empty()) {
    const std::string format = upper(alter.row_format);
    if (format != "DYNAMIC" && format != "COMPACT" && format != "COMPRESSED" &&
        format != "REDUNDANT" && format != "DEFAULT") {
      return fail(ErrorKind::internal, "unknown row format `" + alter.row_format + "`", {},
                  "use Dynamic, Compact, Compressed or Redundant");
    }
    add("ROW_FORMAT=" + format);
  }
  if (!alter.collation.empty() && alter.charset.empty()) {
    return fail(ErrorKind::internal, "collation `" + alter.collation + "` without its charset");
  }
  if (!alter.charset.empty()) {
    VM_TRY(check_name("charset", alter.charset));
    std::string convert = "CONVERT TO CHARACTER SET " + alter.charset;
    if (!alter.collation.empty()) {
      VM_TRY(check_name("collation", alter.collation));
      convert += " COLLATE " + alter.collation;
    }
    add(convert);
  }
  if (clauses.empty()) {
    return fail(ErrorKind::internal, "nothing to change in table " + alter.table);
  }
  return "ALTER TABLE " + ident(alter.database, alter.table) + " " + clauses;
}

Result<std::string> alter_database_sql(const std::string& database, const std::string& charset,
                                       const std::string& collation) {
  VM_TRY(check_name("database", database));
  VM_TRY(check_name("charset", charset));
  std::string sql = "ALTER DATABASE " + ident(database) + " CHARACTER SET " + charset;
  if (!collation.empty()) {
    VM_TRY(check_name("collation", collation));
    sql += " COLLATE " + collation;
  }
  return sql;
}

std::string ascii_lower(std::string_view text) {
  return lower(text);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lower_char(x) == lower_char(y);
         });
}

bool is_innodb(std::string_view engine) {
  return iequals(engine, "innodb");
}

} // namespace vmoodle::sql
