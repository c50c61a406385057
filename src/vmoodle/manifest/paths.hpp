#pragma once

#include <optional>
#include <string>

namespace vmoodle::manifest {

/// Why `path` is not acceptable as written in the manifest, or nothing when it is.
/// Absolute paths must be normalised (no `.`/`..` segments, no `//`, no trailing `/`);
/// relative ones must not contain `.` or `..` segments either.
std::optional<std::string> path_problem(const std::string& path);

/// `path` itself when absolute, else `base_dir/path` (`base_dir` lexically normalised).
/// Returns nothing when `path` is relative and `base_dir` is empty.
std::optional<std::string> resolve_path(const std::string& path, const std::string& base_dir);

/// Lexical normalisation: collapses `//`, `.` and `..`; keeps a leading `/`.
std::string normalise_lexically(const std::string& path);

/// Whether `path` lies strictly below `root` (both normalised and absolute).
bool is_strictly_under(const std::string& path, const std::string& root);

/// The directory part of `path` (`/a/b` for `/a/b/fleet.yaml`, `/` for `/f`, empty for `f`).
std::string parent_directory(const std::string& path);

} // namespace vmoodle::manifest
