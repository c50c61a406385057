#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "vmoodle/manifest/manifest.hpp"

namespace vmoodle::manifest::fixtures {

/// The schema compiled into the tool.
inline nlohmann::json fleet_schema() {
  return nlohmann::json::parse(k_fleet_schema_json);
}

/// `node` itself, or the definition its `$ref` points to (nullptr when that is missing).
inline const nlohmann::json* resolve_ref(const nlohmann::json& root, const nlohmann::json& node) {
  if (!node.contains("$ref")) {
    return &node;
  }
  const nlohmann::json::json_pointer pointer(node.at("$ref").get<std::string>().substr(1));
  return root.contains(pointer) ? &root.at(pointer) : nullptr;
}

} // namespace vmoodle::manifest::fixtures
