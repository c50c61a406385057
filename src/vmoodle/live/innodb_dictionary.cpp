#include "vmoodle/live/innodb_dictionary.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <iterator>
#include <optional>
#include <thread>
#include <unordered_map>

#include "vmoodle/live/row_values.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::live {
namespace {

// Schemas per TABLES query: small enough that the queries of a big fleet share the
// sessions evenly (10 Moodle schemas take 0.1 s of the server's time, the dictionary's
// statement 1 s), big enough that a small fleet costs one query.
constexpr std::size_t k_schemas_per_query = 10;
// Tables per statement of the one-by-one lookups (a UNION ALL of lookups).
constexpr std::size_t k_tables_per_lookup = 50;
// Up to this many tables, the column count names their ids (a 0.4 MB statement for 48,300
// tables); beyond, the whole server's columns come back and those of no table read are
// left out by the merge.
constexpr std::size_t k_listed_table_ids = 100000;
// A column PRTYPE gives no collation for: ENUM and SET are stored as integers
// (MTYPE 6, DATA_INT) whose low byte says MYSQL_TYPE_STRING (254).
constexpr std::int64_t k_undescribed = -1;
constexpr std::int64_t k_binary_collation = 63;

/// Tables by schema: each TABLES query names schemas of its own, so that its answer moves
/// into the facts without a copy.
using TablesBySchema = std::map<std::string, std::vector<model::TableFacts>, std::less<>>;
/// A table of the dictionary.
struct DictionaryRow {
  std::int64_t id = 0;
  std::string name; ///< `schema/table`
  std::string row_format;
};
/// The columns of one table of the dictionary with one collation: a table has a row for
/// each collation its text columns have, and one without for its other columns.
struct ColumnRow {
  std::int64_t table_id = 0;
  std::optional<std::int64_t> collation_id;
  int count = 0;
};
struct SizeRow {
  std::string schema; ///< or the dictionary name when read from the tablespaces
  std::string table;
  std::uint64_t data_length = 0;
  std::uint64_t index_length = 0;
};

// Rows are streamed and kept only as far as merging needs them: a fleet's catalog is a
// few hundred thousand rows, and holding them as result sets cost the tool more than
// reading them (half its CPU, docs/performance.md § Refresh).
struct Answers {
  db::ResultSet schemata;
  std::vector<TablesBySchema> tables; ///< one per TABLES query
  std::vector<DictionaryRow> dictionary;
  std::vector<ColumnRow> columns;
  std::vector<SizeRow> sizes;
  bool sizes_from_files = false;
};

std::string schema_of_dictionary_name(const std::string& column) {
  return "SUBSTRING_INDEX(" + column + ", '/', 1)";
}

// Runs every job once, each on whichever session is free; the first error wins.
Status run_on_sessions(const std::vector<db::Connection*>& sessions,
                       const std::vector<std::function<Status(db::Connection&)>>& jobs) {
  std::atomic<std::size_t> next{0};
  std::vector<Status> results(jobs.size());
  auto work = [&](db::Connection& conn) {
    for (std::size_t i = next++; i < jobs.size(); i = next++) {
      results[i] = jobs[i](conn);
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t s = 1; s < sessions.size() && s < jobs.size(); ++s) {
    threads.emplace_back(work, std::ref(*sessions[s]));
  }
  work(*sessions.front());
  for (auto& thread : threads) {
    thread.join();
  }
  for (auto& result : results) {
    VM_TRY(result);
  }
  return {};
}

std::function<Status(db::Connection&)> into(db::ResultSet& slot, std::string sql) {
  return [&slot, sql = std::move(sql)](db::Connection& conn) -> Status {
    VM_TRY_ASSIGN(slot, conn.query(sql));
    return {};
  };
}

// Streams the statement's rows into `on_row`, which keeps what it needs.
template <typename OnRow>
std::function<Status(db::Connection&)> each(std::string sql, OnRow on_row) {
  return [sql = std::move(sql), on_row](db::Connection& conn) -> Status {
    return conn.query_each(
        sql,
        [&](const db::Row& row) -> Status {
          on_row(row);
          return {};
        },
        nullptr);
  };
}

std::string dictionary_sql(const std::string& names) {
  return "SELECT TABLE_ID, NAME, ROW_FORMAT FROM information_schema.INNODB_SYS_TABLES WHERE " +
         schema_of_dictionary_name("NAME") + " IN (" + names + ")";
}

// The columns of `table_ids`' tables (of every table when empty) are counted per table
// and collation, NULL for columns that are not text or whose collation is skipped, so that
// every table has a row: one without was rebuilt since INNODB_SYS_TABLES was read.
std::string columns_sql(const std::vector<std::int64_t>& table_ids,
                        const ColumnCounting& counting) {
  std::string text_columns = "MTYPE IN (1, 2, 5, 12, 13)";
  if (!counting.skipped.empty()) {
    std::string ids;
    for (const std::int64_t id : counting.skipped) {
      ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    }
    text_columns += " AND (PRTYPE >> 16) & 32767 NOT IN (" + ids + ")";
  }
  std::string sql = "SELECT TABLE_ID, CASE WHEN " + text_columns +
                    " THEN (PRTYPE >> 16) & 32767 WHEN MTYPE = 6 AND PRTYPE & 255 = 254 THEN " +
                    std::to_string(k_undescribed) +
                    " END, COUNT(*) FROM information_schema.INNODB_SYS_COLUMNS";
  if (!table_ids.empty()) {
    std::string ids;
    ids.reserve(table_ids.size() * 8);
    for (const std::int64_t id : table_ids) {
      ids += (ids.empty() ? "" : ", ") + std::to_string(id);
    }
    sql += " WHERE TABLE_ID IN (" + ids + ")";
  }
  return sql + " GROUP BY 1, 2";
}

// INNODB_SYS_COLUMNS is materialized whole, whatever the WHERE, into a temporary table kept
// in memory up to the session's tmp_table_size and max_heap_table_size (16 MiB by
// default: about 73,000 columns) and moved to disk beyond: 0.95 s of the server's CPU for
// the 443,000 columns of 100 Moodle sites, 0.14 s in memory (docs/performance.md §
// Refresh). The session may use up to k_column_scan_bytes for that one statement; an
// operator's higher setting is kept, and the session's own values come back right after.
constexpr std::int64_t k_column_scan_bytes = std::int64_t{256} << 20;

std::string raise_memory_sql() {
  const std::string bytes = std::to_string(k_column_scan_bytes);
  return "SET @vmoodle_tmp_table_size = @@SESSION.tmp_table_size, "
         "@vmoodle_max_heap_table_size = @@SESSION.max_heap_table_size, "
         "SESSION tmp_table_size = GREATEST(@@SESSION.tmp_table_size, " +
         bytes + "), SESSION max_heap_table_size = GREATEST(@@SESSION.max_heap_table_size, " +
         bytes + ")";
}

std::string restore_memory_sql() {
  return "SET SESSION tmp_table_size = @vmoodle_tmp_table_size, "
         "SESSION max_heap_table_size = @vmoodle_max_heap_table_size";
}

// Row formats, then the column counts of those tables on the same session.
Status read_dictionary(db::Connection& conn, const std::string& names,
                       const ColumnCounting& counting, Answers& answers) {
  VM_TRY(conn.query_each(
      dictionary_sql(names),
      [&answers](const db::Row& r) -> Status {
        answers.dictionary.push_back({number(r, 0), text(r, 1), text(r, 2)});
        return {};
      },
      nullptr));
  if (!counting.any || answers.dictionary.empty()) {
    return {};
  }
  std::vector<std::int64_t> ids;
  if (answers.dictionary.size() <= k_listed_table_ids) {
    for (const auto& row : answers.dictionary) {
      ids.push_back(row.id);
    }
  }
  const std::string sql = columns_sql(ids, counting);
  auto keep = [&answers](const db::Row& r) -> Status {
    ColumnRow& row = answers.columns.emplace_back();
    row.table_id = number(r, 0);
    if (r[1]) {
      row.collation_id = number(r, 1);
    }
    row.count = static_cast<int>(number(r, 2));
    return {};
  };
  if (conn.execute(raise_memory_sql())) {
    const Status counted = conn.query_each(sql, keep, nullptr);
    VM_TRY(conn.execute(restore_memory_sql()));
    if (counted) {
      return {};
    }
    // A server that will not give the session that memory (max_session_mem_used)
    // answers with its own limits.
    answers.columns.clear();
  }
  return conn.query_each(sql, keep, nullptr);
}

std::vector<std::string> tables_sql(const std::set<std::string>& databases) {
  std::vector<std::set<std::string>> chunks;
  for (const auto& name : databases) {
    if (chunks.empty() || chunks.back().size() == k_schemas_per_query) {
      chunks.emplace_back();
    }
    chunks.back().insert(name);
  }
  std::vector<std::string> out;
  for (const auto& chunk : chunks) {
    // Only columns the frm holds: no DATA_LENGTH, ROW_FORMAT or TABLE_ROWS.
    out.push_back(
        "SELECT TABLE_SCHEMA, TABLE_NAME, ENGINE, TABLE_COLLATION FROM "
        "information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA IN (" +
        in_list(chunk) + ")");
  }
  return out;
}

std::string stats_sql(const std::string& names) {
  return "SELECT database_name, table_name, clustered_index_size * @@innodb_page_size, "
         "sum_of_other_index_sizes * @@innodb_page_size FROM mysql.innodb_table_stats WHERE "
         "database_name IN (" +
         names + ")";
}

std::string collations_sql() {
  return "SELECT ID, COLLATION_NAME FROM information_schema.COLLATIONS WHERE ID IS NOT NULL";
}

std::string schemata_sql(const std::string& names) {
  return "SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME, SCHEMA_COMMENT "
         "FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN (" +
         names + ")";
}

// The longest first, so that the sessions finish together.
std::vector<std::function<Status(db::Connection&)>>
jobs_for(const std::set<std::string>& databases, const ColumnCounting& counting, Answers& answers) {
  const std::string names = in_list(databases);
  std::vector<std::function<Status(db::Connection&)>> jobs;
  jobs.emplace_back([&answers, names, counting](db::Connection& conn) {
    return read_dictionary(conn, names, counting, answers);
  });
  const auto tables = tables_sql(databases);
  answers.tables.resize(tables.size());
  for (std::size_t i = 0; i < tables.size(); ++i) {
    jobs.push_back(each(tables[i], [&chunk = answers.tables[i]](const db::Row& r) {
      auto schema = chunk.find(view(r, 0));
      if (schema == chunk.end()) {
        schema = chunk.emplace(text(r, 0), std::vector<model::TableFacts>()).first;
      }
      model::TableFacts& table = schema->second.emplace_back();
      table.name = text(r, 1);
      table.engine = text(r, 2);
      table.collation = text(r, 3);
    }));
  }
  jobs.emplace_back([&answers, names](db::Connection& conn) -> Status {
    auto keep = [&answers](const db::Row& r) -> Status {
      if (answers.sizes_from_files) {
        answers.sizes.push_back({text(r, 0), {}, static_cast<std::uint64_t>(number(r, 1)), 0});
      } else {
        answers.sizes.push_back({text(r, 0), text(r, 1), static_cast<std::uint64_t>(number(r, 2)),
                                 static_cast<std::uint64_t>(number(r, 3))});
      }
      return {};
    };
    if (conn.query_each(stats_sql(names), keep, nullptr)) {
      return {};
    }
    // An account without SELECT on the mysql schema: the tablespaces' sizes will do.
    answers.sizes.clear();
    answers.sizes_from_files = true;
    return conn.query_each("SELECT NAME, FILE_SIZE FROM information_schema.INNODB_SYS_TABLESPACES "
                           "WHERE " +
                               schema_of_dictionary_name("NAME") + " IN (" + names + ")",
                           keep, nullptr);
  });
  jobs.push_back(into(answers.schemata, schemata_sql(names)));
  return jobs;
}

// The fleet's tables in (schema, table) order, found without building keys: the names
// are views into the facts, whose tables do not move once the index is made.
class TableIndex {
public:
  struct Entry {
    std::string_view schema;
    std::string_view table;
    model::TableFacts* facts = nullptr;
    bool described = false; ///< the dictionary gave its row format and its columns' collations
    bool counted = false;   ///< the column count has rows for it
  };

  /// `facts`' tables must be sorted by name within each database.
  explicit TableIndex(std::map<std::string, model::DatabaseFacts>& facts) {
    for (auto& [schema, db] : facts) {
      for (auto& table : db.tables) {
        m_entries.push_back({schema, table.name, &table});
      }
    }
  }

  /// The entry of `schema`.`table`, or null.
  Entry* find(std::string_view schema, std::string_view table) {
    const std::pair key{schema, table};
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), key,
                               [](const Entry& e, const auto& k) {
                                 return std::pair{e.schema, e.table} < k;
                               });
    return it != m_entries.end() && it->schema == schema && it->table == table ? &*it : nullptr;
  }

  /// The entry of a dictionary name, `schema/table`, or null.
  Entry* find_dictionary_name(std::string_view full) {
    const auto slash = full.find('/');
    return slash == std::string_view::npos ? nullptr
                                           : find(full.substr(0, slash), full.substr(slash + 1));
  }

  std::vector<Entry>& entries() { return m_entries; }

private:
  std::vector<Entry> m_entries;
};

// Column collations and sizes of the tables the dictionary left out, by lookups on
// schema and table name: each opens that one table only.
Status read_one_by_one(db::Connection& conn, const std::vector<TableIndex::Entry*>& tables,
                       TableIndex& index, const CollationFilter& counted) {
  for (std::size_t from = 0; from < tables.size(); from += k_tables_per_lookup) {
    const std::size_t to = std::min(tables.size(), from + k_tables_per_lookup);
    std::string columns;
    std::string sizes;
    for (std::size_t i = from; i < to; ++i) {
      const std::string where =
          " WHERE TABLE_SCHEMA = " + sql::literal(std::string(tables[i]->schema)) +
          " AND TABLE_NAME = " + sql::literal(std::string(tables[i]->table));
      columns += (columns.empty() ? "" : " UNION ALL ") +
                 std::string("SELECT TABLE_SCHEMA, TABLE_NAME, COLLATION_NAME, COUNT(*) FROM "
                             "information_schema.COLUMNS") +
                 where + " AND COLLATION_NAME IS NOT NULL GROUP BY 1, 2, 3";
      sizes += (sizes.empty() ? "" : " UNION ALL ") +
               std::string("SELECT TABLE_SCHEMA, TABLE_NAME, DATA_LENGTH, INDEX_LENGTH FROM "
                           "information_schema.TABLES") +
               where;
    }
    VM_TRY_ASSIGN(auto column_rows, conn.query(columns));
    for (const auto& r : column_rows.rows) {
      auto* entry = index.find(view(r, 0), view(r, 1));
      if (entry != nullptr && (!counted || counted(text(r, 2)))) {
        entry->facts->column_collations[text(r, 2)] += static_cast<int>(number(r, 3));
      }
    }
    VM_TRY_ASSIGN(auto size_rows, conn.query(sizes));
    for (const auto& r : size_rows.rows) {
      if (auto* entry = index.find(view(r, 0), view(r, 1))) {
        entry->facts->data_length = static_cast<std::uint64_t>(number(r, 2));
        entry->facts->index_length = static_cast<std::uint64_t>(number(r, 3));
      }
    }
  }
  return {};
}

} // namespace

std::vector<std::string> dictionary_statements(const std::set<std::string>& databases,
                                               const ColumnCounting& counting) {
  const std::string names = in_list(databases);
  std::vector<std::string> out = {collations_sql(), dictionary_sql(names)};
  if (counting.any) {
    out.insert(out.end(), {raise_memory_sql(), columns_sql({}, counting), restore_memory_sql()});
  }
  for (auto& sql : tables_sql(databases)) {
    out.push_back(std::move(sql));
  }
  out.insert(out.end(), {stats_sql(names), schemata_sql(names)});
  return out;
}

Result<std::map<std::string, model::DatabaseFacts>>
read_databases_from_dictionary(const std::vector<db::Connection*>& sessions,
                               const std::set<std::string>& databases,
                               const CollationFilter& counted) {
  std::map<std::string, model::DatabaseFacts> facts;
  if (databases.empty() || sessions.empty()) {
    return facts;
  }
  // The collations first (a few hundred rows): the dictionary statement names the ids
  // it need not count.
  VM_TRY_ASSIGN(const auto collations, sessions.front()->query(collations_sql()));
  std::map<std::int64_t, std::string> collation_names;
  ColumnCounting counting;
  for (const auto& r : collations.rows) {
    const std::int64_t id = number(r, 0);
    collation_names[id] = text(r, 1);
    if (counted && !counted(collation_names[id])) {
      counting.skipped.insert(id);
    }
  }
  // A server that names no collation gets every column counted: nothing is known to skip.
  counting.any = collation_names.empty() || counting.skipped.size() < collation_names.size();
  Answers answers;
  VM_TRY(run_on_sessions(sessions, jobs_for(databases, counting, answers)));

  for (const auto& r : answers.schemata.rows) {
    auto& db = facts[text(r, 0)];
    db.exists = true;
    db.charset = text(r, 1);
    db.collation = text(r, 2);
    db.comment = text(r, 3);
  }
  for (auto& chunk : answers.tables) {
    for (auto& [schema, tables] : chunk) {
      auto& into = facts[schema].tables;
      if (into.empty()) {
        into = std::move(tables);
      } else {
        std::move(tables.begin(), tables.end(), std::back_inserter(into));
      }
    }
  }
  answers.tables.clear();
  for (auto& [name, db] : facts) {
    std::sort(db.tables.begin(), db.tables.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    // A table is named once by the server; the index needs that to hold.
    db.tables.erase(std::unique(db.tables.begin(), db.tables.end(),
                                [](const auto& a, const auto& b) { return a.name == b.name; }),
                    db.tables.end());
  }
  TableIndex index(facts);

  std::unordered_map<std::int64_t, TableIndex::Entry*> by_id;
  by_id.reserve(answers.dictionary.size());
  for (const auto& row : answers.dictionary) {
    auto* entry = index.find_dictionary_name(row.name);
    if (entry == nullptr) {
      continue;
    }
    entry->facts->row_format = row.row_format;
    entry->described = true;
    by_id.emplace(row.id, entry);
  }
  std::vector<TableIndex::Entry*> partly_described;
  for (const auto& row : answers.columns) {
    auto found = by_id.find(row.table_id);
    if (found == by_id.end()) {
      continue;
    }
    TableIndex::Entry* entry = found->second;
    entry->counted = true;
    const std::int64_t id = row.collation_id.value_or(0);
    if (id == 0 || id == k_binary_collation || counting.skipped.contains(id)) {
      continue;
    }
    auto name = collation_names.find(id);
    if (id == k_undescribed || name == collation_names.end()) {
      partly_described.push_back(entry);
      continue;
    }
    entry->facts->column_collations[name->second] += row.count;
  }
  if (counting.any) {
    for (auto& [id, entry] : by_id) {
      if (!entry->counted) {
        partly_described.push_back(entry); // rebuilt between the two statements
      }
    }
  }
  for (auto* entry : partly_described) {
    entry->described = false;
  }
  for (const auto& row : answers.sizes) {
    auto* entry = answers.sizes_from_files ? index.find_dictionary_name(row.schema)
                                           : index.find(row.schema, row.table);
    if (entry != nullptr) {
      entry->facts->data_length = row.data_length;
      entry->facts->index_length = row.index_length;
    }
  }

  std::vector<TableIndex::Entry*> undescribed;
  for (auto& entry : index.entries()) {
    if (!entry.described) {
      entry.facts->column_collations.clear();
      undescribed.push_back(&entry);
    }
  }
  VM_TRY(read_one_by_one(*sessions.front(), undescribed, index, counted));
  return facts;
}

} // namespace vmoodle::live
