#include "vmoodle/manifest/schema_lookup.hpp"

namespace vmoodle::manifest {

using nlohmann::json;

const json* resolve_ref(const json& schema, const json* node) {
  for (int guard = 0; node != nullptr && node->is_object() && node->contains("$ref"); ++guard) {
    const auto& ref = node->at("$ref");
    if (guard > 16 || !ref.is_string() || ref.get<std::string>().rfind('#', 0) != 0) {
      return nullptr;
    }
    const json::json_pointer pointer(ref.get<std::string>().substr(1));
    node = schema.contains(pointer) ? &schema.at(pointer) : nullptr;
  }
  return node;
}

const json* subschema_at(const json& schema, const JsonPath& path) {
  const json* node = resolve_ref(schema, &schema);
  for (const auto& segment : path) {
    if (node == nullptr || !node->is_object()) {
      return nullptr;
    }
    const json* next = nullptr;
    if (segment.is_index()) {
      if (node->contains("items") && node->at("items").is_object()) {
        next = &node->at("items");
      }
    } else if (node->contains("properties") && node->at("properties").contains(segment.key)) {
      next = &node->at("properties").at(segment.key);
    } else if (node->contains("additionalProperties") &&
               node->at("additionalProperties").is_object()) {
      next = &node->at("additionalProperties");
    }
    node = resolve_ref(schema, next);
  }
  return node;
}

const json* document_at(const json& doc, const JsonPath& path) {
  const json* node = &doc;
  for (const auto& segment : path) {
    if (segment.is_index() && node->is_array() &&
        static_cast<std::size_t>(segment.index) < node->size()) {
      node = &(*node)[segment.index];
    } else if (!segment.is_index() && node->is_object() && node->contains(segment.key)) {
      node = &node->at(segment.key);
    } else {
      return nullptr;
    }
  }
  return node;
}

std::string string_field(const json* node, const char* name) {
  if (node != nullptr && node->is_object() && node->contains(name) && node->at(name).is_string()) {
    return node->at(name).get<std::string>();
  }
  return {};
}

} // namespace vmoodle::manifest
