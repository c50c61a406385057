#include "vmoodle/apply/template_load.hpp"

#include "vmoodle/apply/new_database_drops.hpp"
#include "vmoodle/sql/dump_reader.hpp"
#include "vmoodle/sql/dump_statement.hpp"
#include "vmoodle/sql/prefix_rewrite.hpp"

namespace vmoodle::apply {

Status for_each_dump_statement(platform::FileReader& files, const std::string& path,
                               const std::function<Status(std::string, std::size_t)>& each) {
  VM_TRY_ASSIGN(auto stream, files.open(path));
  sql::DumpReader reader(*stream);
  while (true) {
    auto next = reader.next();
    if (!next) {
      Error error = next.error();
      return tl::unexpected(std::move(error.in(path)));
    }
    if (!*next) {
      return {};
    }
    VM_TRY(each(std::move(**next), reader.line()));
  }
}

Error load_error(Error error, const std::string& path, std::size_t line) {
  error.in(path + ":" + std::to_string(line));
  error.hint = "the template dump does not load; check that it is a mariadb-dump/mysqldump file "
               "and that the server accepts it";
  return error;
}

Result<LoadStats> load_template(platform::FileReader& files, const std::string& path,
                                db::Connection& conn, const std::string& from_prefix,
                                const std::string& to_prefix,
                                const std::function<void(const LoadStats&)>& on_progress,
                                bool new_database) {
  LoadStats stats;
  const bool rename = from_prefix != to_prefix;
  NewDatabaseDrops drops(new_database);
  VM_TRY(
      for_each_dump_statement(files, path, [&](std::string statement, std::size_t line) -> Status {
        if (drops.skip(sql::classify_dump_statement(statement))) {
          return {};
        }
        if (rename) {
          statement = sql::rewrite_prefix(statement, from_prefix, to_prefix);
        }
        if (auto table = sql::created_table(statement)) {
          stats.tables.insert(*table);
        }
        if (auto done = conn.execute(statement); !done) {
          return tl::unexpected(load_error(done.error(), path, line));
        }
        ++stats.statements;
        if (on_progress && stats.statements % 2000 == 0) {
          on_progress(stats);
        }
        return {};
      }));
  return stats;
}

} // namespace vmoodle::apply
