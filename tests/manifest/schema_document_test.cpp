// The schema file itself: editor support and internal consistency.
#include <functional>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "schema_test_util.hpp"
#include "vmoodle/manifest/manifest.hpp"

namespace vmoodle::manifest {
namespace {

using nlohmann::json;

void collect_undescribed(const json& root, const json& node, const std::string& where,
                         std::vector<std::string>& out) {
  if (node.is_object()) {
    if (node.contains("properties")) {
      for (const auto& [key, property] : node.at("properties").items()) {
        const json* target = fixtures::resolve_ref(root, property);
        if (!property.contains("description") &&
            (target == nullptr || !target->contains("description"))) {
          out.push_back(where + "." + key);
        }
      }
    }
    for (const auto& [key, child] : node.items()) {
      collect_undescribed(root, child, where + "/" + key, out);
    }
  } else if (node.is_array()) {
    for (const auto& child : node) {
      collect_undescribed(root, child, where + "[]", out);
    }
  }
}

std::set<std::string> keys_of(const json& object) {
  std::set<std::string> out;
  for (const auto& [key, ignored] : object.items()) {
    out.insert(key);
  }
  return out;
}

TEST(FleetSchema, IsDraft07) {
  EXPECT_EQ(fixtures::fleet_schema().at("$schema"), "http://json-schema.org/draft-07/schema#");
}

TEST(FleetSchema, EveryKeyHasADescription) {
  const json root = fixtures::fleet_schema();
  std::vector<std::string> undescribed;
  collect_undescribed(root, root, "", undescribed);
  EXPECT_TRUE(undescribed.empty())
      << "without description: " << ::testing::PrintToString(undescribed);
}

TEST(FleetSchema, EveryReferenceResolves) {
  const json root = fixtures::fleet_schema();
  std::vector<std::string> broken;
  std::function<void(const json&)> visit = [&](const json& node) {
    if (node.is_object() && node.contains("$ref") && fixtures::resolve_ref(root, node) == nullptr) {
      broken.push_back(node.at("$ref").get<std::string>());
    }
    if (node.is_structured()) {
      for (const auto& child : node) {
        visit(child);
      }
    }
  };
  visit(root);
  EXPECT_TRUE(broken.empty()) << ::testing::PrintToString(broken);
}

TEST(FleetSchema, DefaultsAcceptEveryHostKeyButVhostnameAndShortname) {
  const json root = fixtures::fleet_schema();
  std::set<std::string> host_keys = keys_of(root.at("definitions").at("host").at("properties"));
  host_keys.erase("vhostname");
  host_keys.erase("shortname");
  EXPECT_EQ(keys_of(root.at("properties").at("defaults").at("properties")), host_keys);
}

TEST(FleetSchema, RequiredKeysAreDeclared) {
  const json root = fixtures::fleet_schema();
  std::vector<std::string> undeclared;
  std::function<void(const json&)> visit = [&](const json& node) {
    if (node.is_object() && node.contains("required") && node.contains("properties")) {
      for (const auto& key : node.at("required")) {
        if (!node.at("properties").contains(key.get<std::string>())) {
          undeclared.push_back(key.get<std::string>());
        }
      }
    }
    if (node.is_structured()) {
      for (const auto& child : node) {
        visit(child);
      }
    }
  };
  visit(root);
  EXPECT_TRUE(undeclared.empty()) << ::testing::PrintToString(undeclared);
}

} // namespace
} // namespace vmoodle::manifest
