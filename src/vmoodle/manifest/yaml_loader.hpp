#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "vmoodle/manifest/diagnostics.hpp"
#include "vmoodle/manifest/source_map.hpp"

namespace vmoodle::manifest {

/// The manifest as JSON (for the schema) plus where each value was written.
struct YamlDocument {
  nlohmann::json json;
  SourceMap source;
};

/// Parses `text` with YAML 1.2 core-schema typing: plain `1` is an integer, `true` a
/// boolean, `~`/`null`/empty a null, anything quoted a string (`yes`/`no` stay
/// strings). Reports to `diags`, located in `file`: syntax errors, duplicate keys,
/// non-scalar keys, several documents, and an empty or non-mapping root.
/// Returns nothing when there is no usable mapping at all; a document is returned
/// even when duplicate keys were reported (the first value of a key is kept).
std::optional<YamlDocument> load_yaml(std::string_view text, const std::string& file,
                                      Diagnostics& diags);

} // namespace vmoodle::manifest
