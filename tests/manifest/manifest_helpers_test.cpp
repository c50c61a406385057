// The small pure helpers behind the manifest checks.
#include <gtest/gtest.h>

#include "vmoodle/manifest/identifiers.hpp"
#include "vmoodle/manifest/paths.hpp"
#include "vmoodle/manifest/placeholders.hpp"
#include "vmoodle/manifest/source_map.hpp"
#include "vmoodle/manifest/suggest.hpp"

namespace vmoodle::manifest {
namespace {

TEST(ManifestPaths, AcceptsOnlyNormalisedPaths) {
  EXPECT_EQ(path_problem("/var/moodledata"), std::nullopt);
  EXPECT_EQ(path_problem("vhosts/a"), std::nullopt);
  EXPECT_EQ(path_problem("/"), std::nullopt);
  EXPECT_TRUE(path_problem(""));
  EXPECT_TRUE(path_problem("/a/"));
  EXPECT_TRUE(path_problem("/a//b"));
  EXPECT_TRUE(path_problem("/a/./b"));
  EXPECT_TRUE(path_problem("/a/../b"));
  EXPECT_TRUE(path_problem("./a"));
  EXPECT_TRUE(path_problem(".."));
  EXPECT_EQ(path_problem("/a/..b/c."), std::nullopt) << "dots inside names are fine";
}

TEST(ManifestPaths, JoinsRelativePaths) {
  EXPECT_EQ(resolve_path("/abs", "/base"), "/abs");
  EXPECT_EQ(resolve_path("rel/x", "/base"), "/base/rel/x");
  EXPECT_EQ(resolve_path("rel", "/"), "/rel");
  EXPECT_EQ(resolve_path("rel", "/base/./sub/../"), "/base/rel");
  EXPECT_EQ(resolve_path("rel", ""), std::nullopt);
}

TEST(ManifestPaths, StrictlyUnder) {
  EXPECT_TRUE(is_strictly_under("/a/b/c", "/a/b"));
  EXPECT_FALSE(is_strictly_under("/a/b", "/a/b"));
  EXPECT_FALSE(is_strictly_under("/a/bc", "/a/b"));
  EXPECT_TRUE(is_strictly_under("/a", "/"));
  EXPECT_FALSE(is_strictly_under("/", "/"));
}

TEST(ManifestPaths, ParentDirectory) {
  EXPECT_EQ(parent_directory("/etc/vmoodle/fleet.yaml"), "/etc/vmoodle");
  EXPECT_EQ(parent_directory("/fleet.yaml"), "/");
  EXPECT_EQ(parent_directory("fleet.yaml"), "");
}

TEST(ManifestPlaceholders, ExpandsKnownPlaceholders) {
  const PlaceholderValues values{"kleber", "kleber-web"};
  EXPECT_EQ(expand_placeholders("vmdl_{shortname}", values), "vmdl_kleber");
  EXPECT_EQ(expand_placeholders("{vhost}/{shortname}{shortname}", values),
            "kleber-web/kleberkleber");
  EXPECT_EQ(expand_placeholders("a { b } c", values).error(),
            "unknown placeholder `{ b }` (known: {shortname}, {vhost})");
  EXPECT_EQ(expand_placeholders("lone { brace", values), "lone { brace");
  EXPECT_EQ(expand_placeholders("{{shortname}", values), "{kleber");
  EXPECT_FALSE(expand_placeholders("{Shortname}", values).has_value());
}

TEST(ManifestPlaceholders, VhostIsTheFirstDnsLabel) {
  EXPECT_EQ(first_dns_label("https://kleber.example.org"), "kleber");
  EXPECT_EQ(first_dns_label("http://local:8080"), "local");
  EXPECT_EQ(first_dns_label("https://a-b.c.d:443"), "a-b");
}

TEST(ManifestIdentifiers, Wwwroot) {
  EXPECT_TRUE(is_wwwroot("https://kleber.example.org"));
  EXPECT_TRUE(is_wwwroot("http://localhost:8080"));
  EXPECT_FALSE(is_wwwroot("https://kleber.example.org/"));
  EXPECT_FALSE(is_wwwroot("https://kleber.example.org/moodle"));
  EXPECT_FALSE(is_wwwroot("ftp://kleber.example.org"));
  EXPECT_FALSE(is_wwwroot("https://kleber..org"));
  EXPECT_FALSE(is_wwwroot("https://kleber.org:0"));
  EXPECT_FALSE(is_wwwroot("https://kleber.org:65536"));
  EXPECT_FALSE(is_wwwroot("https://kle_ber.org"));
  EXPECT_FALSE(is_wwwroot("https://" + std::string(64, 'a') + ".org"));
}

TEST(ManifestIdentifiers, IdentifiersAndCounts) {
  EXPECT_TRUE(is_identifier("vmdl_kleber2"));
  EXPECT_FALSE(is_identifier(""));
  EXPECT_FALSE(is_identifier("a-b"));
  EXPECT_FALSE(is_identifier("a`b"));
  EXPECT_EQ(character_count("Lycée"), 5u);
  EXPECT_TRUE(has_control_character("a\tb"));
  EXPECT_FALSE(has_control_character("Lycée Kléber"));
}

TEST(ManifestSuggest, ClosestKey) {
  const std::vector<std::string> keys = {"database", "dataroot", "db_password", "name", "state"};
  EXPECT_EQ(closest_match("databse", keys), "database");
  EXPECT_EQ(closest_match("datarot", keys), "dataroot");
  EXPECT_EQ(closest_match("password", keys), "db_password");
  EXPECT_EQ(closest_match("colour", keys), std::nullopt);
}

TEST(ManifestSourceMap, RendersPathsAndFallsBackToAncestors) {
  SourceMap source("fleet.yaml");
  const JsonPath host{PathSegment::field("hosts"), PathSegment::item(2)};
  source.add(host, 11, 4);
  JsonPath key = host;
  key.push_back(PathSegment::field("database"));
  EXPECT_EQ(source.at(key).render(), "fleet.yaml:12:5: hosts[2].database");
  EXPECT_FALSE(source.has(key));
  EXPECT_EQ(render_path({PathSegment::field("servers"), PathSegment::field("db.1")}),
            "servers[\"db.1\"]");
}

} // namespace
} // namespace vmoodle::manifest
