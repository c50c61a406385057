// The schema's `examples`: editors (the YAML language server) offer them on completion and
// show them on hover, so every key has some, and each one must be valid for its key.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

// Same setting as src/vmoodle/manifest/schema_validation.cpp, which is linked into this
// binary too: valijson's templates must compile the same way in both.
#define VALIJSON_USE_EXCEPTIONS 1
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include "schema_test_util.hpp"
#include "vmoodle/manifest/manifest.hpp"

namespace vmoodle::manifest {
namespace {

using nlohmann::json;

/// A key of the schema: where it is declared, and its subschema.
struct Property {
  std::string path; // e.g. /definitions/server/properties/port
  const json* node;
};

// Every member of every `properties` object, anywhere in the schema (examples excluded:
// they are data, not schema).
void collect_properties(const json& node, const std::string& where, std::vector<Property>& out) {
  if (!node.is_object()) {
    return;
  }
  for (const auto& [key, child] : node.items()) {
    if (key == "examples") {
      continue;
    }
    if (key == "properties" && child.is_object()) {
      for (const auto& [name, property] : child.items()) {
        out.push_back({where + "/properties/" + name, &property});
      }
    }
    if (child.is_array()) {
      for (const auto& item : child) {
        collect_properties(item, where + "/" + key + "[]", out);
      }
    } else {
      collect_properties(child, where + "/" + key, out);
    }
  }
}

/// The examples of a key: its own, else those of the definition it refers to.
const json* examples_of(const json& root, const json& property) {
  if (property.contains("examples")) {
    return &property.at("examples");
  }
  const json* target = fixtures::resolve_ref(root, property);
  return target != nullptr && target->contains("examples") ? &target->at("examples") : nullptr;
}

/// Validates `value` against `subschema`, whose `#/definitions/...` refs resolve in `root`.
/// Returns the validator's messages; empty when valid.
std::vector<std::string> violations(const json& root, const json& subschema, const json& value) {
  json document = subschema;
  document["definitions"] = root.at("definitions");
  valijson::Schema compiled;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::NlohmannJsonAdapter schema_adapter(document);
  parser.populateSchema(schema_adapter, compiled);

  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter value_adapter(value);
  std::vector<std::string> out;
  if (!validator.validate(compiled, value_adapter, &results)) {
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      out.push_back(error.description);
    }
    if (out.empty()) {
      out.push_back("invalid");
    }
  }
  return out;
}

TEST(FleetSchemaExamples, FindsTheKeys) {
  const json root = fixtures::fleet_schema();
  std::vector<Property> properties;
  collect_properties(root, "", properties);
  // The walk must see nested keys too, or the tests below would pass vacuously.
  std::vector<std::string> paths;
  for (const auto& property : properties) {
    paths.push_back(property.path);
  }
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/properties/version"), paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/definitions/server/properties/port"),
            paths.end());
  EXPECT_NE(std::find(paths.begin(), paths.end(), "/definitions/host/properties/database"),
            paths.end());
  EXPECT_GT(properties.size(), 60u);
}

TEST(FleetSchemaExamples, EveryKeyHasExamples) {
  const json root = fixtures::fleet_schema();
  std::vector<Property> properties;
  collect_properties(root, "", properties);
  std::vector<std::string> without;
  for (const auto& property : properties) {
    const json* examples = examples_of(root, *property.node);
    if (examples == nullptr || !examples->is_array() || examples->empty()) {
      without.push_back(property.path);
    }
  }
  EXPECT_TRUE(without.empty()) << "add \"examples\": [...] next to the description of: "
                               << ::testing::PrintToString(without);
}

TEST(FleetSchemaExamples, EveryExampleIsValidForItsKey) {
  const json root = fixtures::fleet_schema();
  std::vector<Property> properties;
  collect_properties(root, "", properties);
  std::vector<std::string> invalid;
  for (const auto& property : properties) {
    const json* examples = examples_of(root, *property.node);
    if (examples == nullptr || !examples->is_array()) {
      continue;
    }
    for (const auto& example : *examples) {
      for (const auto& message : violations(root, *property.node, example)) {
        invalid.push_back(property.path + ": " + example.dump() + ": " + message);
      }
    }
  }
  EXPECT_TRUE(invalid.empty()) << ::testing::PrintToString(invalid);
}

// The check above is only worth something if a wrong example does fail it.
TEST(FleetSchemaExamples, AWrongExampleIsReported) {
  const json root = fixtures::fleet_schema();
  const json& database = root.at("definitions").at("host").at("properties").at("database");
  EXPECT_TRUE(violations(root, database, "vmdl_{shortname}").empty());
  EXPECT_FALSE(violations(root, database, "x`; DROP DATABASE y").empty());
  const json& port = root.at("definitions").at("server").at("properties").at("port");
  EXPECT_FALSE(violations(root, port, "3306").empty());
  const json& password = root.at("definitions").at("server").at("properties").at("password");
  EXPECT_FALSE(violations(root, password, "hunter2").empty());
}

} // namespace
} // namespace vmoodle::manifest
