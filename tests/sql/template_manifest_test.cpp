#include "vmoodle/sql/template_manifest.hpp"

#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace vmoodle::sql {
namespace {

using namespace std::string_literals;

/// Reads a PHP single-quoted string whose opening quote is at `text[pos]`, as PHP's
/// lexer does; moves `pos` past the closing quote.
std::optional<std::string> php_string_at(const std::string& text, std::size_t& pos) {
  if (text[pos] != '\'') {
    return std::nullopt;
  }
  std::string value;
  for (++pos; pos < text.size(); ++pos) {
    const char c = text[pos];
    if (c == '\'') {
      ++pos;
      return value;
    }
    if (c == '\\' && pos + 1 < text.size() && (text[pos + 1] == '\\' || text[pos + 1] == '\'')) {
      value += text[++pos];
    } else {
      value += c;
    }
  }
  return std::nullopt;
}

TEST(TemplateManifest, IsVmoodlesBytesExactly) {
  EXPECT_EQ(template_manifest("https://template.example.org", "mdl_"),
            "<?php\n $templatewwwroot = 'https://template.example.org';\n"
            "$templatevdbprefix = 'mdl_';\n ?>");
}

TEST(TemplateManifest, EscapesBackslashAndQuoteOnly) {
  EXPECT_EQ(php_single_quoted(R"(a'b\c"d$e)"), R"(a\'b\\c"d$e)");
  EXPECT_EQ(php_single_quoted(""), "");
}

TEST(TemplateManifest, HostileWwwrootStaysOneString) {
  for (const std::string& wwwroot :
       {"https://x.org/'; system('id'); $a='"s, "https://x.org/\\"s, "https://x.org/\\'"s,
        "https://x.org/?> <?php echo 1; ?>"s, "https://x.org/\n$templatevdbprefix = 'evil';"s,
        "https://x.org/"s + std::string(1, '\0') + "nul"s}) {
    const std::string php = template_manifest(wwwroot, "x_");
    const std::string head = "<?php\n $templatewwwroot = ";
    ASSERT_EQ(php.rfind(head, 0), 0u);
    std::size_t pos = head.size();
    EXPECT_EQ(php_string_at(php, pos), wwwroot);
    EXPECT_EQ(php.substr(pos), ";\n$templatevdbprefix = 'x_';\n ?>") << php;
  }
}

} // namespace
} // namespace vmoodle::sql
