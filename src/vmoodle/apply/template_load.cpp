#include "vmoodle/apply/template_load.hpp"

#include "vmoodle/sql/dump_reader.hpp"
#include "vmoodle/sql/prefix_rewrite.hpp"

namespace vmoodle::apply {

Result<LoadStats> load_template(platform::FileReader& files, const std::string& path,
                                db::Connection& conn, const std::string& from_prefix,
                                const std::string& to_prefix,
                                const std::function<void(const LoadStats&)>& on_progress) {
  VM_TRY_ASSIGN(auto stream, files.open(path));
  sql::DumpReader reader(*stream);
  LoadStats stats;
  const bool rename = from_prefix != to_prefix;
  while (true) {
    auto next = reader.next();
    if (!next) {
      Error error = next.error();
      return tl::unexpected(std::move(error.in(path)));
    }
    if (!*next) {
      break;
    }
    std::string statement =
        rename ? sql::rewrite_prefix(**next, from_prefix, to_prefix) : std::move(**next);
    if (auto table = sql::created_table(statement)) {
      stats.tables.insert(*table);
    }
    auto done = conn.execute(statement);
    if (!done) {
      Error error = done.error();
      error.in(path + ":" + std::to_string(reader.line()));
      error.hint = "the template dump does not load; check that it is a mariadb-dump/mysqldump "
                   "file and that the server accepts it";
      return tl::unexpected(std::move(error));
    }
    ++stats.statements;
    if (on_progress && stats.statements % 2000 == 0) {
      on_progress(stats);
    }
  }
  return stats;
}

} // namespace vmoodle::apply
