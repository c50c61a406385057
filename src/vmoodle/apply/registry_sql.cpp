#include "vmoodle/apply/registry_sql.hpp"

#include <utility>

#include "vmoodle/sql/quote.hpp"

namespace vmoodle::apply {
namespace {

// Column → SQL value, every string through sql::literal. mnet `new` is left out:
// the insert computes it.
std::vector<std::pair<std::string, std::string>> values(const diff::DesiredRow& row) {
  std::vector<std::pair<std::string, std::string>> out = {
      {"name", sql::literal(row.name)},
      {"shortname", sql::literal(row.shortname)},
      {"description", sql::literal(row.description)},
      {"vhostname", sql::literal(row.vhostname)},
      {"vdbtype", sql::literal(row.vdbtype)},
      {"vdbhost", sql::literal(row.vdbhost)},
      {"vdblogin", sql::literal(row.vdblogin)},
      {"vdbpass", sql::literal(row.vdbpass.reveal())},
      {"vdbname", sql::literal(row.vdbname)},
      {"vdbprefix", sql::literal(row.vdbprefix)},
      {"vdbpersist", std::to_string(row.vdbpersist)},
      {"vdatapath", sql::literal(row.vdatapath)},
      {"enabled", std::to_string(row.enabled)},
  };
  if (!row.mnet.allocate_new) {
    out.emplace_back("mnet", std::to_string(row.mnet.value));
  }
  return out;
}

} // namespace

std::string insert_registry_row(const model::Master& master, const diff::DesiredRow& row,
                                std::int64_t timecreated) {
  const std::string table = sql::ident(master.database, master.registry_table());
  std::string columns;
  std::string selected;
  for (const auto& [column, value] : values(row)) {
    columns += sql::ident(column) + ", ";
    selected += value + ", ";
  }
  columns += "`timecreated`";
  selected += std::to_string(timecreated);
  if (row.mnet.allocate_new) {
    // VMoodle's `NEW`: the next free sub-network number, read and written in one
    // statement so no other writer can take the same number in between.
    return "INSERT INTO " + table + " (" + columns + ", `mnet`) SELECT " + selected +
           ", COALESCE(MAX(`mnet`), 0) + 1 FROM " + table;
  }
  return "INSERT INTO " + table + " (" + columns + ") VALUES (" + selected + ")";
}

std::string update_registry_row(const model::Master& master, const diff::DesiredRow& row,
                                const std::vector<std::string>& columns, std::int64_t id) {
  std::string assignments;
  for (const auto& [column, value] : values(row)) {
    for (const auto& wanted : columns) {
      if (wanted == column) {
        assignments += (assignments.empty() ? "" : ", ") + sql::ident(column) + " = " + value;
      }
    }
  }
  return "UPDATE " + sql::ident(master.database, master.registry_table()) + " SET " + assignments +
         " WHERE `id` = " + std::to_string(id) +
         " AND `vhostname` = " + sql::literal(row.vhostname);
}

} // namespace vmoodle::apply
