#pragma once

#include <string>
#include <string_view>

namespace vmoodle::sql {

/// `value` as the body of a PHP single-quoted string: `\` and `'` backslash-escaped,
/// every other byte as it is (PHP gives no other escape a meaning there).
std::string php_single_quoted(std::string_view value);

/// A template's `manifest.php` exactly as VMoodle writes it (`<?php\n
/// $templatewwwroot = '<wwwroot>';\n$templatevdbprefix = '<prefix>';\n ?>`, no final
/// newline), with both values escaped so that any text stays a string.
std::string template_manifest(std::string_view wwwroot, std::string_view prefix);

} // namespace vmoodle::sql
