#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vmoodle/manifest/diagnostics.hpp"
#include "vmoodle/manifest/source_map.hpp"

namespace vmoodle::manifest {

/// Validates `doc` against the embedded fleet schema (JSON Schema draft-07, valijson)
/// and reports every violation to `diags` as a short message located through `source`
/// (`unknown key `databse` (did you mean `database`?)`), never as a raw validator chain.
void validate_schema(const nlohmann::json& doc, const SourceMap& source, Diagnostics& diags);

/// One raw violation: where in the document, and valijson's description of it.
struct SchemaViolation {
  JsonPath path;
  std::string description;
};

/// Turns raw violations of `doc` against `schema` into human messages in `diags`.
/// Separate from validate_schema() so that the wording can be tested on its own.
void report_violations(const nlohmann::json& schema, const nlohmann::json& doc,
                       const std::vector<SchemaViolation>& violations, const SourceMap& source,
                       Diagnostics& diags);

} // namespace vmoodle::manifest
