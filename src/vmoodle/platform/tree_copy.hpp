#pragma once

#include <string>

#include "vmoodle/platform/filesystem.hpp"
#include "vmoodle/util/error.hpp"

namespace vmoodle::platform {

/// Copies the directory `from` (a symlink to a directory is accepted there) into the
/// new directory `to`, whose parent must exist and which must not. Inside the tree,
/// directories and regular files are copied with their permission bits (and owners,
/// when run as root), symlinks are recreated as symlinks and never followed; any other
/// kind of file is an error. On error the partial copy is removed again. When `keep`
/// is given, entries it rejects (see CopyFilter) are left out, and never looked into.
Status copy_tree_posix(const std::string& from, const std::string& to,
                       const CopyFilter* keep = nullptr);

} // namespace vmoodle::platform
