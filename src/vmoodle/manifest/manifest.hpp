#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/platform/filesystem.hpp"
#include "vmoodle/util/error.hpp"

namespace vmoodle::manifest {

/// The fleet JSON Schema (schemas/fleet.schema.json), compiled into the binary by CMake.
extern const std::string_view k_fleet_schema_json;

/// Parses YAML `text` (named `file` in messages), validates it against the embedded
/// JSON Schema, merges `defaults:` into each host, expands placeholders, resolves
/// relative paths against `base_dir` (an absolute directory; when empty, a relative
/// path is an error) and runs the semantic checks.
/// On failure: Error{kind=manifest, message="<file>: N errors in the manifest", causes =
/// one Error per problem with where = `file:line:col: path`, message = what is wrong,
/// hint = what to do}. All problems are reported at once, not only the first; schema
/// violations are reported without the checks that need a well-formed manifest.
Result<model::Fleet> load(std::string_view text, const std::string& file,
                          const std::string& base_dir = {});

/// Reads `path` (absolute, made so by the caller) through `reader`, then load() with
/// relative manifest paths resolved against the directory of `path`. A read failure is
/// returned as the reader's error.
Result<model::Fleet> load_file(platform::FileReader& reader, const std::string& path);

/// A present host's `template:` must name a usable template in `templates`
/// (TemplateFacts::usable()) or a snapshot declared in `fleet.snapshots`.
/// Returns one located Error per offending host; empty when all are fine.
std::vector<Error> check_templates(const model::Fleet& fleet,
                                   const std::map<std::string, model::TemplateFacts>& templates);

/// The `sessioncookie` VMoodle derives from a shortname: only `[A-Za-z0-9]` kept.
std::string sessioncookie_for(std::string_view shortname);

} // namespace vmoodle::manifest
