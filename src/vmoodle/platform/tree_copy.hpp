#pragma once

#include <string>
#include <vector>

#include "vmoodle/platform/filesystem.hpp"
#include "vmoodle/util/error.hpp"

namespace vmoodle::platform {

/// Copies the directory `from` (a symlink to a directory is accepted there) into the
/// new directory `to`, whose parent must exist and which must not. Inside the tree,
/// directories and regular files are copied with their permission bits (and owners,
/// when run as root), symlinks are recreated as symlinks and never followed; any other
/// kind of file is an error. On error the partial copy is removed again. When `keep`
/// is given, entries it rejects (see CopyFilter) are left out, and never looked into.
/// When `link_dirs` is given, the regular files below those top-level directories of
/// `from` are hard-linked instead of copied when they lie on the file system of `to`;
/// a file on another one, or whose link the system refuses (another mount of the same
/// device, too many links, protected_hardlinks), is copied. A linked file shares its
/// inode, so its permissions and owner are the source's by construction.
Status copy_tree_posix(const std::string& from, const std::string& to,
                       const CopyFilter* keep = nullptr,
                       const std::vector<std::string>* link_dirs = nullptr);

} // namespace vmoodle::platform
