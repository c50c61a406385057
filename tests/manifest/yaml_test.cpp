// YAML-level problems: syntax, duplicate keys, empty or oddly shaped files, typing.
#include <gtest/gtest.h>

#include "tests/manifest/manifest_test_util.hpp"

namespace vmoodle::manifest {
namespace {

using fixtures::k_valid_manifest;
using fixtures::load_error;
using fixtures::only_error;
using fixtures::replaced;

TEST(ManifestYaml, SyntaxErrorIsLocated) {
  const std::string text = "version: 1\nservers:\n  db1:\n    host: a\n   user: b\n";
  const Error error = only_error(text);
  EXPECT_EQ(error.where, "fleet.yaml:5:4");
  EXPECT_EQ(error.message, "YAML syntax error: end of map not found");
  EXPECT_FALSE(error.hint.empty());
}

TEST(ManifestYaml, UnclosedFlowSequenceIsLocated) {
  const Error error = only_error("version: 1\ndataroot_roots: [/a, /b\nhosts: []\n");
  EXPECT_EQ(error.where.rfind("fleet.yaml:", 0), 0u);
  EXPECT_NE(error.message.find("YAML syntax error"), std::string::npos);
}

TEST(ManifestYaml, TabIndentationIsASyntaxError) {
  const Error error = only_error("hosts:\n\t- a\n");
  EXPECT_EQ(error.where, "fleet.yaml:2:2");
  EXPECT_NE(error.message.find("YAML syntax error"), std::string::npos);
}

TEST(ManifestYaml, TopLevelErrorNamesTheFileAndCount) {
  const Error error = load_error("version: 1\nversion: 1\n");
  EXPECT_EQ(error.message, "fleet.yaml: 5 errors in the manifest") << error.render();
}

TEST(ManifestYaml, DuplicateKeyIsAnError) {
  const std::string text = replaced(k_valid_manifest, "    shortname: old\n",
                                    "    shortname: old\n    shortname: older\n");
  const Error error = only_error(text);
  EXPECT_EQ(error.where, "fleet.yaml:43:5: hosts[1].shortname");
  EXPECT_EQ(error.message, "duplicate key `shortname` (first set on line 42)");
}

TEST(ManifestYaml, DuplicateServerNameIsAnError) {
  const std::string text = replaced(k_valid_manifest, "  db2:\n", "  db1:\n");
  const Error error = only_error(text);
  EXPECT_EQ(error.where, "fleet.yaml:10:3: servers.db1");
  EXPECT_EQ(error.message, "duplicate key `db1` (first set on line 3)");
}

TEST(ManifestYaml, EmptyFileIsAnError) {
  const Error error = only_error("");
  EXPECT_EQ(error.where, "fleet.yaml");
  EXPECT_EQ(error.message, "the manifest is empty");
}

TEST(ManifestYaml, OnlyCommentsIsAnError) {
  const Error error = only_error("# hosts:\n#   - vhostname: https://x.example.org\n\n");
  EXPECT_EQ(error.message, "the manifest is empty");
}

TEST(ManifestYaml, EmptyDocumentIsAnError) {
  EXPECT_EQ(only_error("---\n...\n").message, "the manifest is empty");
  EXPECT_EQ(only_error("~\n").message, "the manifest is empty");
}

TEST(ManifestYaml, ListRootIsAnError) {
  const Error error = only_error("- vhostname: https://x.example.org\n");
  EXPECT_EQ(error.where, "fleet.yaml:1:1");
  EXPECT_EQ(error.message, "the manifest must be a mapping of keys, found a list");
}

TEST(ManifestYaml, ScalarRootIsAnError) {
  const Error error = only_error("hello\n");
  EXPECT_EQ(error.message, "the manifest must be a mapping of keys, found a single value");
}

TEST(ManifestYaml, SeveralDocumentsIsAnError) {
  const Error error = only_error(k_valid_manifest + "---\nversion: 1\n");
  EXPECT_EQ(error.where, "fleet.yaml:58:1");
  EXPECT_NE(error.message.find("several YAML documents"), std::string::npos);
}

TEST(ManifestYaml, ComplexKeyIsAnError) {
  const std::string text = replaced(k_valid_manifest, "version: 1\n", "version: 1\n[a, b]: 1\n");
  const Error error = only_error(text);
  EXPECT_EQ(error.where, "fleet.yaml:2:1");
  EXPECT_EQ(error.message, "a mapping key must be a plain name, not a list or a mapping");
}

TEST(ManifestYaml, DeepNestingIsRefused) {
  std::string deep = "version: 1\nx: ";
  for (int i = 0; i < 80; ++i) {
    deep += "[";
  }
  for (int i = 0; i < 80; ++i) {
    deep += "]";
  }
  const Error error = load_error(deep + "\n");
  bool found = false;
  for (const auto& cause : error.causes) {
    found = found || cause.message == "the manifest is nested too deeply";
  }
  EXPECT_TRUE(found) << error.render();
}

TEST(ManifestYaml, QuotedScalarsStayStrings) {
  // Quoted digits are a string for `port`, but a fine shortname.
  std::string text = replaced(k_valid_manifest, "    port: 3307\n", "    port: \"3307\"\n");
  const Error error = only_error(text);
  EXPECT_EQ(error.where, "fleet.yaml:5:5: servers.db1.port");
  EXPECT_EQ(error.message, "expected an integer, found the string \"3307\"");
  EXPECT_EQ(error.hint, "remove the quotes: write 3307, not \"3307\"");

  text = replaced(k_valid_manifest, "    shortname: old\n", "    shortname: \"2024\"\n");
  auto fleet = load(text, "fleet.yaml", fixtures::k_base_dir);
  ASSERT_TRUE(fleet.has_value()) << fleet.error().render();
  EXPECT_EQ(fleet->hosts[1].shortname, "2024");
}

TEST(ManifestYaml, PlainNumbersAndBooleansAreTyped) {
  std::string text = replaced(k_valid_manifest, "    shortname: old\n", "    shortname: 2024\n");
  Error error = only_error(text);
  EXPECT_EQ(error.where, "fleet.yaml:42:5: hosts[1].shortname");
  EXPECT_EQ(error.message, "expected a string, found the integer 2024");
  EXPECT_EQ(error.hint, "quote it: \"2024\"");

  text = replaced(k_valid_manifest, "  enabled: true\n", "  enabled: \"true\"\n");
  error = only_error(text);
  EXPECT_EQ(error.message, "expected true or false, found the string \"true\"");
}

TEST(ManifestYaml, Yaml11BooleansAreStrings) {
  const std::string text = replaced(k_valid_manifest, "  enabled: true\n", "  enabled: yes\n");
  const Error error = only_error(text);
  EXPECT_EQ(error.where, "fleet.yaml:33:3: defaults.enabled");
  EXPECT_EQ(error.message, "expected true or false, found the string \"yes\"");
  EXPECT_EQ(error.hint, "write true or false (`yes` is a string in YAML 1.2)");
}

TEST(ManifestYaml, HexAndOctalIntegersFollowTheCoreSchema) {
  std::string text = replaced(k_valid_manifest, "    port: 3307\n", "    port: 0xCEB\n");
  auto fleet = load(text, "fleet.yaml", fixtures::k_base_dir);
  ASSERT_TRUE(fleet.has_value()) << fleet.error().render();
  EXPECT_EQ(fleet->servers.at("db1").port, 3307u);
}

} // namespace
} // namespace vmoodle::manifest
