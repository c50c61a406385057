#pragma once

#include <functional>
#include <set>
#include <string>

#include "vmoodle/db/connection.hpp"
#include "vmoodle/platform/filesystem.hpp"

namespace vmoodle::apply {

struct LoadStats {
  std::set<std::string> tables; ///< tables the dump created, with the new prefix
  std::size_t statements = 0;
};

/// Reads the dump at `path` one statement at a time and hands each to `each` with the
/// line it ends on; stops at the first error (a read error names `path`).
Status for_each_dump_statement(platform::FileReader& files, const std::string& path,
                               const std::function<Status(std::string, std::size_t)>& each);

/// `error`, from the statement ending on `line` of the dump at `path`, as a load error:
/// where it is and what to check.
Error load_error(Error error, const std::string& path, std::size_t line);

} // namespace vmoodle::apply
