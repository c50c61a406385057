#include "vmoodle/apply/migration_preflight.hpp"

#include <algorithm>
#include <charconv>
#include <map>

#include <fmt/format.h>

#include "vmoodle/sql/alter_table.hpp"

namespace vmoodle::apply {
namespace {

bool is_off(const std::string& value) {
  return sql::iequals(value, "off") || value == "0";
}

bool is_on(const std::string& value) {
  return sql::iequals(value, "on") || value == "1";
}

bool is_antelope(const std::string& row_format) {
  return row_format == "Compact" || row_format == "Redundant";
}

bool contains(const std::string& text, const char* part) {
  return text.find(part) != std::string::npos;
}

/// InnoDB's whole-key limit for the page size (`innodb_page_size`).
std::uint64_t key_limit(const ServerSettings& settings) {
  std::uint64_t page = 16384;
  const std::string value = settings.variable("innodb_page_size");
  std::from_chars(value.data(), value.data() + value.size(), page);
  if (page >= 16384) {
    return 3072;
  }
  return page >= 8192 ? 1536 : 768;
}

/// Refusals with the same reason and hint, their tables gathered, in first-seen order.
class Refusals {
public:
  void add(const std::string& table, std::string reason, std::string hint) {
    for (auto& refusal : m_list) {
      if (refusal.reason == reason && refusal.hint == hint) {
        if (std::find(refusal.tables.begin(), refusal.tables.end(), table) ==
            refusal.tables.end()) {
          refusal.tables.push_back(table);
        }
        return;
      }
    }
    m_list.push_back({{table}, std::move(reason), std::move(hint)});
  }
  std::vector<Refusal> take() { return std::move(m_list); }

private:
  std::vector<Refusal> m_list;
};

void check_engine(const ServerSettings& settings, const TableWork& work, Refusals& out) {
  const std::string& engine = work.change.engine_to;
  if (!engine.empty() && settings.engines.count(sql::ascii_lower(engine)) == 0) {
    out.add(work.change.table, "engine " + engine + " is not available on this server",
            "enable it (SHOW ENGINES lists it with Support YES), or change `engine`");
  }
}

void check_compressed(const ServerSettings& settings, const TableWork& work,
                      const std::string& row_format, Refusals& out) {
  if (row_format != "Compressed") {
    return;
  }
  const std::string& table = work.change.table;
  if (is_off(settings.variable("innodb_file_per_table"))) {
    out.add(table, "Compressed rows need innodb_file_per_table=ON; the server has it OFF",
            "SET GLOBAL innodb_file_per_table=ON (and set it in my.cnf), or use "
            "row_format: Dynamic");
  }
  const auto v = version_numbers(settings.version);
  if (settings.is_mariadb() && v[0] == 10 && v[1] == 6 && v[2] <= 5) {
    out.add(table,
            "MariaDB " + settings.version.substr(0, settings.version.find('-')) +
                " makes Compressed tables read-only (10.6.0 to 10.6.5, MDL-72131)",
            "upgrade MariaDB to 10.6.6 or later, or use row_format: Dynamic");
  } else if (is_on(settings.variable("innodb_read_only_compressed"))) {
    out.add(table,
            "the server has innodb_read_only_compressed=ON: Compressed tables are "
            "read-only",
            "SET GLOBAL innodb_read_only_compressed=OFF, or use row_format: Dynamic");
  }
}

void check_index_lengths(const ServerSettings& settings, const TableWork& work,
                         const std::string& row_format, Refusals& out) {
  const std::uint64_t whole_key = key_limit(settings);
  const std::uint64_t prefix =
      is_antelope(row_format) ? std::min(k_antelope_max_prefix, whole_key) : whole_key;
  std::map<std::string, std::uint64_t> key_bytes;
  std::vector<std::string> key_order;
  for (const auto& part : work.schema.index_parts) {
    const std::string type = sql::ascii_lower(part.type);
    if (type == "fulltext" || type == "spatial") {
      continue; // not B-tree keys: no prefix limit
    }
    auto column = std::find_if(work.schema.columns.begin(), work.schema.columns.end(),
                               [&](const ColumnFacts& c) { return c.name == part.column; });
    if (column == work.schema.columns.end() || column->collation.empty()) {
      continue; // numbers and binary strings keep their size
    }
    const std::uint64_t chars = part.sub_part > 0 ? part.sub_part : column->max_chars;
    const std::string charset = final_charset(work, *column);
    const std::uint64_t bytes = chars * sql::max_bytes_per_char(charset);
    if (key_bytes.try_emplace(part.index, 0).second) {
      key_order.push_back(part.index);
    }
    key_bytes[part.index] += bytes;
    if (bytes > prefix) {
      out.add(work.change.table,
              fmt::format("index `{}` would take {} bytes for column `{}` ({} characters of "
                          "{}), over the {}-byte key prefix limit of {} rows (ERROR 1709)",
                          part.index, bytes, part.column, chars, charset, prefix, row_format),
              is_antelope(row_format) ? "use row_format: Dynamic (or Compressed) with this "
                                        "charset, as Moodle does"
                                      : "shorten the index prefix, or keep the charset");
    }
  }
  for (const auto& index : key_order) {
    if (key_bytes[index] > whole_key) {
      out.add(work.change.table,
              fmt::format("index `{}` would take {} bytes, over InnoDB's {}-byte key limit "
                          "(ERROR 1071)",
                          index, key_bytes[index], whole_key),
              "shorten the index, or keep the charset");
    }
  }
}

void check_row_size(const TableWork& work, const std::string& row_format, Refusals& out) {
  if (!is_antelope(row_format)) {
    return;
  }
  const std::uint64_t estimate = moodle_row_size_estimate(work.schema.columns);
  if (estimate > k_antelope_max_row_size) {
    out.add(work.change.table,
            fmt::format("Moodle estimates a row at {} bytes, over the {} bytes a {} row holds "
                        "(ERROR 1118 Row size too large)",
                        estimate, k_antelope_max_row_size, row_format),
            "use row_format: Dynamic (or Compressed)");
  }
}

} // namespace

std::uint64_t moodle_row_size_estimate(const std::vector<ColumnFacts>& columns) {
  std::uint64_t size = columns.size() > 1 ? 1000 : 0;
  for (const auto& column : columns) {
    const std::string& type = column.data_type;
    if (contains(type, "text") || contains(type, "blob") || type == "binary" ||
        type == "varbinary") {
      size += 768;
    } else if (type == "char" || type == "varchar") {
      size += std::min<std::uint64_t>(column.max_chars * 3, 768);
    } else {
      size += 8;
    }
  }
  return size;
}

std::vector<int> version_numbers(const std::string& version) {
  std::vector<int> out(3, 0);
  const char* at = version.data();
  const char* end = version.data() + version.size();
  for (int& number : out) {
    auto [next, ec] = std::from_chars(at, end, number);
    if (ec != std::errc{} || next == end || *next != '.') {
      break;
    }
    at = next + 1;
  }
  return out;
}

std::vector<Refusal> preflight(const ServerSettings& settings, const std::vector<TableWork>& work) {
  Refusals refusals;
  for (const auto& table : work) {
    check_engine(settings, table, refusals);
    const std::string row_format = final_row_format(table, settings);
    if (row_format.empty()) {
      continue; // not InnoDB after the rebuild: the InnoDB limits do not apply
    }
    check_compressed(settings, table, row_format, refusals);
    check_index_lengths(settings, table, row_format, refusals);
    check_row_size(table, row_format, refusals);
  }
  return refusals.take();
}

} // namespace vmoodle::apply
