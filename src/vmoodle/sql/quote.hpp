#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vmoodle::sql {

/// True when `name` is 1..64 bytes of `[A-Za-z0-9_]`: the only database, table and
/// prefix names the tool accepts, so that no name needs quoting to be safe.
bool is_identifier(std::string_view name);

/// `name` as a backquoted identifier, any backquote inside doubled. Callers validate
/// with is_identifier() first; the quoting is defence in depth.
std::string ident(std::string_view name);

/// `` `db`.`table` ``, both parts quoted as by ident(std::string_view).
std::string ident(std::string_view db, std::string_view table);

/// `value` as a single-quoted string literal. NUL, `\n`, `\r`, `\\`, `'`, `"` and `\x1a`
/// are backslash-escaped, like `mysql_real_escape_string` does for utf8mb4. Correct for
/// sessions whose character set is utf8mb4 (or any ASCII-compatible one in which no
/// multi-byte character contains a byte below 0x80) and whose sql_mode lacks
/// NO_BACKSLASH_ESCAPES, which the connector guarantees. Bytes are copied as they are,
/// so invalid UTF-8 stays invalid (the server may reject it) but never ends the literal.
std::string literal(std::string_view value);

/// Appends literal(`value`) to `out` without a temporary: for dumps, which format
/// millions of values.
void append_literal(std::string& out, std::string_view value);

/// `value` as a decimal SQL integer literal.
std::string literal(std::int64_t value);

/// `value` with `\`, `%` and `_` backslash-escaped, for use as the pattern of a
/// `LIKE` (pass the result through literal()) that matches `value` exactly.
std::string like_escape(std::string_view value);

} // namespace vmoodle::sql
