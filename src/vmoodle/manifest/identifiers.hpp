#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vmoodle::manifest {

/// `^[A-Za-z0-9_]+$`: what may be written unquoted-safe into SQL as a database name,
/// table prefix, user, template or snapshot name.
bool is_identifier(std::string_view text);

/// `^https?://host(:port)?$` where host is dot-separated DNS labels of `[A-Za-z0-9-]`
/// (1 to 63 characters each) and port is 1..65535. No path, no trailing slash.
bool is_wwwroot(std::string_view text);

/// `^[A-Za-z0-9._:-]+$` (and not empty): a host name, IPv4/IPv6 address, optionally
/// with `:port`, as VMoodle's `vdbhost` holds it.
bool is_host_name(std::string_view text);

/// Number of characters (UTF-8 code points) in `text`: MySQL's `char(N)` counts those.
std::size_t character_count(std::string_view text);

/// Whether `text` holds a control character (newline, tab, NUL, DEL...).
bool has_control_character(std::string_view text);

/// Lower-cased copy (ASCII), for case-insensitive comparisons of host names.
std::string ascii_lower(std::string_view text);

} // namespace vmoodle::manifest
