#include "vmoodle/live/innodb_dictionary.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

#include "vmoodle/live/row_values.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::live {
namespace {

// Schemas per TABLES query: small enough that the queries of a big fleet share the
// sessions evenly, big enough that a small fleet costs one query.
constexpr std::size_t k_schemas_per_query = 25;
// Tables per statement of the one-by-one lookups (a UNION ALL of lookups).
constexpr std::size_t k_tables_per_lookup = 50;
// A column PRTYPE gives no collation for: ENUM and SET are stored as integers
// (MTYPE 6, DATA_INT) whose low byte says MYSQL_TYPE_STRING (254).
constexpr std::int64_t k_undescribed = -1;
constexpr std::int64_t k_binary_collation = 63;

using Key = std::pair<std::string, std::string>; // schema, table

struct Answers {
  db::ResultSet schemata;
  std::vector<db::ResultSet> tables;
  db::ResultSet formats;
  db::ResultSet columns;
  db::ResultSet collations;
  db::ResultSet sizes;
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

std::string columns_sql(const std::string& names) {
  // INNODB_SYS_COLUMNS is read whole whatever the filter, so its rows are counted per
  // table and collation before the join keeps the fleet's.
  return "SELECT t.NAME, c.coll, c.n FROM (SELECT TABLE_ID, IF(MTYPE = 6, " +
         std::to_string(k_undescribed) +
         ", (PRTYPE >> 16) & 32767) AS coll, COUNT(*) AS n FROM "
         "information_schema.INNODB_SYS_COLUMNS WHERE MTYPE IN (1, 2, 5, 12, 13) OR (MTYPE = 6 "
         "AND PRTYPE & 255 = 254) GROUP BY 1, 2) c JOIN (SELECT TABLE_ID, NAME FROM "
         "information_schema.INNODB_SYS_TABLES WHERE " +
         schema_of_dictionary_name("NAME") + " IN (" + names + ")) t ON t.TABLE_ID = c.TABLE_ID";
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

std::string formats_sql(const std::string& names) {
  return "SELECT NAME, ROW_FORMAT FROM information_schema.INNODB_SYS_TABLES WHERE " +
         schema_of_dictionary_name("NAME") + " IN (" + names + ")";
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
std::vector<std::function<Status(db::Connection&)>> jobs_for(const std::set<std::string>& databases,
                                                             Answers& answers) {
  const std::string names = in_list(databases);
  std::vector<std::function<Status(db::Connection&)>> jobs;
  jobs.push_back(into(answers.columns, columns_sql(names)));
  const auto tables = tables_sql(databases);
  answers.tables.resize(tables.size());
  for (std::size_t i = 0; i < tables.size(); ++i) {
    jobs.push_back(into(answers.tables[i], tables[i]));
  }
  jobs.push_back(into(answers.formats, formats_sql(names)));
  jobs.emplace_back([&answers, names](db::Connection& conn) -> Status {
    auto stats = conn.query(stats_sql(names));
    if (stats) {
      answers.sizes = std::move(*stats);
      return {};
    }
    // An account without SELECT on the mysql schema: the tablespaces' sizes will do.
    answers.sizes_from_files = true;
    VM_TRY_ASSIGN(answers.sizes,
                  conn.query("SELECT NAME, FILE_SIZE FROM "
                             "information_schema.INNODB_SYS_TABLESPACES WHERE " +
                             schema_of_dictionary_name("NAME") + " IN (" + names + ")"));
    return {};
  });
  jobs.push_back(into(answers.collations, collations_sql()));
  jobs.push_back(into(answers.schemata, schemata_sql(names)));
  return jobs;
}

Key split_dictionary_name(const std::string& full) {
  const auto slash = full.find('/');
  if (slash == std::string::npos) {
    return {};
  }
  return {full.substr(0, slash), full.substr(slash + 1)};
}

// Column collations and sizes of the tables the dictionary left out, by lookups on
// schema and table name: each opens that one table only.
Status read_one_by_one(db::Connection& conn, const std::vector<Key>& keys,
                       std::map<Key, model::TableFacts*>& by_name) {
  for (std::size_t from = 0; from < keys.size(); from += k_tables_per_lookup) {
    const std::size_t to = std::min(keys.size(), from + k_tables_per_lookup);
    std::string columns;
    std::string sizes;
    for (std::size_t i = from; i < to; ++i) {
      const std::string where = " WHERE TABLE_SCHEMA = " + sql::literal(keys[i].first) +
                                " AND TABLE_NAME = " + sql::literal(keys[i].second);
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
      if (auto it = by_name.find({text(r, 0), text(r, 1)}); it != by_name.end()) {
        it->second->column_collations[text(r, 2)] += static_cast<int>(number(r, 3));
      }
    }
    VM_TRY_ASSIGN(auto size_rows, conn.query(sizes));
    for (const auto& r : size_rows.rows) {
      if (auto it = by_name.find({text(r, 0), text(r, 1)}); it != by_name.end()) {
        it->second->data_length = static_cast<std::uint64_t>(number(r, 2));
        it->second->index_length = static_cast<std::uint64_t>(number(r, 3));
      }
    }
  }
  return {};
}

} // namespace

std::vector<std::string> dictionary_statements(const std::set<std::string>& databases) {
  const std::string names = in_list(databases);
  std::vector<std::string> out = {columns_sql(names)};
  for (auto& sql : tables_sql(databases)) {
    out.push_back(std::move(sql));
  }
  out.insert(out.end(),
             {formats_sql(names), stats_sql(names), collations_sql(), schemata_sql(names)});
  return out;
}

Result<std::map<std::string, model::DatabaseFacts>>
read_databases_from_dictionary(const std::vector<db::Connection*>& sessions,
                               const std::set<std::string>& databases) {
  std::map<std::string, model::DatabaseFacts> facts;
  if (databases.empty() || sessions.empty()) {
    return facts;
  }
  Answers answers;
  VM_TRY(run_on_sessions(sessions, jobs_for(databases, answers)));

  for (const auto& r : answers.schemata.rows) {
    auto& db = facts[text(r, 0)];
    db.exists = true;
    db.charset = text(r, 1);
    db.collation = text(r, 2);
    db.comment = text(r, 3);
  }
  for (const auto& chunk : answers.tables) {
    for (const auto& r : chunk.rows) {
      model::TableFacts table;
      table.name = text(r, 1);
      table.engine = text(r, 2);
      table.collation = text(r, 3);
      facts[text(r, 0)].tables.push_back(std::move(table));
    }
  }
  std::map<Key, model::TableFacts*> by_name;
  for (auto& [name, db] : facts) {
    std::sort(db.tables.begin(), db.tables.end(),
              [](const auto& a, const auto& b) { return a.name < b.name; });
    for (auto& table : db.tables) {
      by_name[{name, table.name}] = &table;
    }
  }

  std::set<Key> described;
  for (const auto& r : answers.formats.rows) {
    if (auto it = by_name.find(split_dictionary_name(text(r, 0))); it != by_name.end()) {
      it->second->row_format = text(r, 1);
      described.insert(it->first);
    }
  }
  std::map<std::int64_t, std::string> collation_names;
  for (const auto& r : answers.collations.rows) {
    collation_names[number(r, 0)] = text(r, 1);
  }
  for (const auto& r : answers.columns.rows) {
    const Key key = split_dictionary_name(text(r, 0));
    auto it = by_name.find(key);
    const std::int64_t id = number(r, 1);
    if (it == by_name.end() || id == 0 || id == k_binary_collation) {
      continue;
    }
    auto name = collation_names.find(id);
    if (id == k_undescribed || name == collation_names.end()) {
      described.erase(key);
      continue;
    }
    it->second->column_collations[name->second] += static_cast<int>(number(r, 2));
  }
  for (const auto& r : answers.sizes.rows) {
    const Key key =
        answers.sizes_from_files ? split_dictionary_name(text(r, 0)) : Key{text(r, 0), text(r, 1)};
    if (auto it = by_name.find(key); it != by_name.end()) {
      it->second->data_length =
          static_cast<std::uint64_t>(number(r, answers.sizes_from_files ? 1 : 2));
      it->second->index_length =
          answers.sizes_from_files ? 0 : static_cast<std::uint64_t>(number(r, 3));
    }
  }

  std::vector<Key> undescribed;
  for (auto& [key, table] : by_name) {
    if (!described.contains(key)) {
      table->column_collations.clear();
      undescribed.push_back(key);
    }
  }
  VM_TRY(read_one_by_one(*sessions.front(), undescribed, by_name));
  return facts;
}

} // namespace vmoodle::live
