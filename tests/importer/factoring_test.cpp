#include "vmoodle/importer/factoring.hpp"

#include <gtest/gtest.h>

#include "vmoodle/importer/host_layout.hpp"

namespace vmoodle::importer {
namespace {

using S = Scalar;

TEST(Factoring, TheMostCommonWayIsTheDefaultAndOthersOverride) {
  auto out = factor({{S::string("a")}, {S::string("b")}, {S::string("b")}}, {});
  ASSERT_TRUE(out.default_value);
  EXPECT_EQ(out.default_value->text, "b");
  ASSERT_EQ(out.per_host.size(), 3u);
  EXPECT_EQ(out.per_host[0]->text, "a");
  EXPECT_FALSE(out.per_host[1]);
  EXPECT_FALSE(out.per_host[2]);
}

TEST(Factoring, TiesGoToTheEarliestHost) {
  auto out = factor({{S::string("x")}, {S::string("y")}}, {});
  EXPECT_EQ(out.default_value->text, "x");
}

TEST(Factoring, TheBuiltinIsNotWrittenUnlessAsked) {
  const KeyRule rule{S::integer(-1), false, false};
  auto out = factor({{S::integer(-1)}, {S::integer(0)}}, rule);
  EXPECT_FALSE(out.default_value) << "a tie with the built-in keeps the built-in";
  EXPECT_FALSE(out.per_host[0]);
  EXPECT_EQ(out.per_host[1]->text, "0");
  auto always = factor({{S::string("mdl_")}}, KeyRule{S::string("mdl_"), true, false});
  ASSERT_TRUE(always.default_value);
  auto other = factor({{S::integer(0)}, {S::integer(0)}, {S::integer(-1)}}, rule);
  ASSERT_TRUE(other.default_value);
  EXPECT_EQ(other.default_value->text, "0");
  EXPECT_EQ(other.per_host[2]->text, "-1");
}

TEST(Factoring, UnanimousOnlyKeysNeedEveryHost) {
  const KeyRule rule{std::nullopt, false, true};
  auto some = factor({{S::string("base")}, {}}, rule);
  EXPECT_FALSE(some.default_value);
  EXPECT_EQ(some.per_host[0]->text, "base");
  EXPECT_FALSE(some.per_host[1]);
  auto all = factor({{S::string("base")}, {S::string("base")}}, rule);
  ASSERT_TRUE(all.default_value);
  EXPECT_FALSE(all.per_host[0]);
}

TEST(Factoring, PlaceholderWaysExpandBackToTheValue) {
  auto ways = placeholder_ways("/srv/kl/vhosts/kl", "kl", "site");
  ASSERT_GE(ways.size(), 3u);
  EXPECT_EQ(ways[0].text, "/srv/kl/vhosts/kl");
  auto has = [&](const std::string& text) {
    return std::find(ways.begin(), ways.end(), S::string(text)) != ways.end();
  };
  EXPECT_TRUE(has("/srv/{shortname}/vhosts/{shortname}"));
  EXPECT_TRUE(has("/srv/{shortname}/vhosts/kl"));
  EXPECT_TRUE(has("/srv/kl/vhosts/{shortname}"));
  EXPECT_FALSE(has("/srv/kl/vhosts/{vhost}"));
  auto by_vhost = placeholder_ways("vmdl_kleber", "k1", "kleber");
  EXPECT_EQ(by_vhost.back().text, "vmdl_{vhost}");
}

TEST(Factoring, PatternsWinOverLiterals) {
  std::vector<std::vector<S>> ways;
  for (const char* name : {"a", "b", "c"}) {
    ways.push_back(placeholder_ways(std::string("vmdl_") + name, name, name));
  }
  auto out = factor(ways, {});
  EXPECT_EQ(out.default_value->text, "vmdl_{shortname}");
  for (const auto& host : out.per_host) {
    EXPECT_FALSE(host);
  }
}

TEST(Factoring, VariableNamesAreEnvironmentNames) {
  EXPECT_EQ(variable_name("MOODLE_DB_PASSWORD", "Lycée-1"), "MOODLE_DB_PASSWORD_LYC__E_1");
  EXPECT_EQ(variable_name("PW", "kleber"), "PW_KLEBER");
}

} // namespace
} // namespace vmoodle::importer
