#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vmoodle::sql {

/// `statement` with every backquoted identifier whose name starts with `from` renamed
/// to start with `to` instead (`` `mdl_course` `` → `` `x_course` ``, index names such as
/// `` `mdl_conf_nam_uix` `` too), including inside executable comments `/*! ... */`.
/// String literals, comments and unquoted text are never touched, unlike VMoodle's
/// str_replace over the whole dump, which corrupts any data containing the prefix.
/// Returns `statement` unchanged when `from == to` or `from` is empty (a prefix-less
/// dump's table names cannot be told apart from its column names).
/// Caveat: a column whose name starts with `from` is renamed too; Moodle prefixes end
/// with `_` and its column names do not start with one.
std::string rewrite_prefix(std::string_view statement, std::string_view from, std::string_view to);

/// The table a `CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name` statement creates
/// (keywords in any case, leading whitespace and comments allowed; `name` backquoted or
/// bare), else nullopt. Also nullopt for `CREATE TEMPORARY TABLE` and for names
/// qualified by a database, which mysqldump never writes.
std::optional<std::string> created_table(std::string_view statement);

} // namespace vmoodle::sql
