#pragma once

#include <string>
#include <vector>

#include "vmoodle/util/error.hpp"

namespace vmoodle::platform {

/// The lexical half of `remove_tree`'s rule: `path` must be absolute, in normal form
/// (no `.`, `..`, `//` or trailing `/`) and strictly below one of `allowed_roots`.
/// Returns the roots that contain it (normalised), or an `unsafe` error naming the
/// path and the roots. Touches nothing on disk.
Result<std::vector<std::string>> roots_containing(const std::string& path,
                                                  const std::vector<std::string>& allowed_roots);

/// Removes the file or tree at `path` when `roots_containing` accepts it, `path` is
/// not itself a symlink, and its parent, with every symlink resolved, is still one
/// of those roots or below it. The walk goes through directory descriptors opened
/// with `O_NOFOLLOW` from the resolved root down, so a symlink swapped in meanwhile
/// is never followed; symlinks inside the tree are unlinked, and another file system
/// mounted inside it is refused. A `path` that does not exist is success.
Status remove_tree_below(const std::string& path, const std::vector<std::string>& allowed_roots);

} // namespace vmoodle::platform
