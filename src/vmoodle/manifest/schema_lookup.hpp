#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "vmoodle/manifest/source_map.hpp"

namespace vmoodle::manifest {

/// `node` with local `$ref`s (`#/definitions/x`) followed; nullptr when one dangles.
const nlohmann::json* resolve_ref(const nlohmann::json& schema, const nlohmann::json* node);

/// The subschema that applies at `path` of a document (through `properties`,
/// `additionalProperties` and `items`), refs resolved; nullptr when there is none.
const nlohmann::json* subschema_at(const nlohmann::json& schema, const JsonPath& path);

/// The value at `path` of `doc`, or nullptr.
const nlohmann::json* document_at(const nlohmann::json& doc, const JsonPath& path);

/// The string member `name` of the object `node`, or "" when absent.
std::string string_field(const nlohmann::json* node, const char* name);

} // namespace vmoodle::manifest
