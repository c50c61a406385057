#include "vmoodle/apply/new_database_drops.hpp"

#include "vmoodle/sql/alter_table.hpp"

namespace vmoodle::apply {

bool NewDatabaseDrops::skip(const sql::DumpStatement& statement) {
  using K = sql::DumpStatementKind;
  if (!m_active) {
    return false;
  }
  switch (statement.kind) {
  case K::session_set:
  case K::lock_tables:
    return false;
  case K::drop_table:
  case K::create_table:
  case K::keys:
  case K::insert: {
    const bool first = m_named.insert(sql::ascii_lower(statement.table)).second;
    return first && statement.kind == K::drop_table && statement.if_exists;
  }
  case K::other:
    break;
  }
  m_active = false;
  return false;
}

} // namespace vmoodle::apply
