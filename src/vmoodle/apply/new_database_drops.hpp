#pragma once

#include <set>
#include <string>

#include "vmoodle/sql/dump_statement.hpp"

namespace vmoodle::apply {

/// Tells which `DROP TABLE IF EXISTS` of a dump loaded into a database created empty for
/// it cannot find a table: one naming a table no earlier statement named, while only
/// table statements and `SET`s have run. The server still writes and syncs its DDL log
/// for each (a fifth of a Moodle schema's DDL time, docs/performance.md § Create), so the
/// load leaves them out. Anything else seen first (a view, a routine, a statement this
/// does not read) could have made a table: from then on every drop runs.
class NewDatabaseDrops {
public:
  /// `new_database`: the target was created by this load's caller and holds nothing.
  explicit NewDatabaseDrops(bool new_database) : m_active(new_database) {}

  /// Whether `statement` can be left out; call it for every statement, in order.
  bool skip(const sql::DumpStatement& statement);

private:
  bool m_active;
  std::set<std::string> m_named; ///< lower-cased: the server may fold names' case
};

} // namespace vmoodle::apply
