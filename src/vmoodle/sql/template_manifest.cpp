#include "vmoodle/sql/template_manifest.hpp"

namespace vmoodle::sql {

std::string php_single_quoted(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\' || c == '\'') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

std::string template_manifest(std::string_view wwwroot, std::string_view prefix) {
  return "<?php\n $templatewwwroot = '" + php_single_quoted(wwwroot) +
         "';\n$templatevdbprefix = '" + php_single_quoted(prefix) + "';\n ?>";
}

} // namespace vmoodle::sql
