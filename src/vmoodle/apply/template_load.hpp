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

/// Streams the dump at `path` into `conn` (whose default database is the target),
/// renaming tables from `from_prefix` to `to_prefix` in identifiers only.
/// `on_progress` is called every few thousand statements.
Result<LoadStats> load_template(platform::FileReader& files, const std::string& path,
                                db::Connection& conn, const std::string& from_prefix,
                                const std::string& to_prefix,
                                const std::function<void(const LoadStats&)>& on_progress);

} // namespace vmoodle::apply
