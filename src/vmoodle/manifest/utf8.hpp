#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace vmoodle::manifest {

/// Offset of the first byte of `text` that does not start a well-formed UTF-8
/// sequence (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF);
/// nothing when all of `text` is valid.
std::optional<std::size_t> invalid_utf8_offset(std::string_view text);

} // namespace vmoodle::manifest
