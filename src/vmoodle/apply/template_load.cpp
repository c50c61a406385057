#include "vmoodle/apply/template_load.hpp"

#include "vmoodle/sql/dump_reader.hpp"

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

} // namespace vmoodle::apply
