#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "vmoodle/manifest/diagnostics.hpp"
#include "vmoodle/manifest/source_map.hpp"
#include "vmoodle/model/fleet.hpp"

namespace vmoodle::manifest {

/// What resolution needs besides the document.
struct ResolveContext {
  const SourceMap& source;
  std::string base_dir; ///< directory relative paths are joined to; empty = none allowed
  Diagnostics& diags;

  /// `raw` made absolute (joined to base_dir when relative), or nothing after reporting
  /// at `loc` why it is not acceptable (not normalised, `..`, relative without base).
  std::optional<std::string> path(const std::string& raw, const Location& loc);
  /// The `{env: NAME}` / `{file: PATH}` reference written at `at` (file paths resolved).
  std::optional<model::SecretRef> secret(const nlohmann::json& value, const JsonPath& at);
};

/// Builds the fleet from a document that passed the schema: servers, master, roots,
/// snapshots and hosts with `defaults:` merged and placeholders expanded. Problems go
/// to `ctx.diags`; a value in error is left empty, so the semantic checks that follow
/// skip it instead of reporting it twice.
model::Fleet resolve(const nlohmann::json& doc, ResolveContext& ctx);

/// The `hosts:` part of resolve().
std::vector<model::Host> resolve_hosts(const nlohmann::json& doc, ResolveContext& ctx);

/// Where to report a problem with `host`'s final value of `key`: the key as written,
/// with the path naming the host (`hosts[2].database (from defaults.database)` when the
/// value is inherited), or the host entry when the key was not written at all.
Location host_key_location(const model::Host& host, const std::string& key);

} // namespace vmoodle::manifest
