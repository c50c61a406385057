#pragma once

#include <string>
#include <vector>

#include "vmoodle/platform/filesystem.hpp"

namespace vmoodle::platform {

/// The real disk, through std::filesystem and POSIX calls. Every method returns
/// errors as values (`io`, or `unsafe` for a refused removal) naming the path; no
/// exception leaves it.
class PosixFileSystem : public FileSystem {
public:
  /// `lstat`: a symlink is reported as such, not followed. A missing path is
  /// `exists = false`, not an error.
  Result<FileStat> stat(const std::string& path) override;
  Result<std::string> read_file(const std::string& path) override;
  /// A buffered stream that reads the file 1 MiB at a time.
  Result<std::unique_ptr<InputStream>> open(const std::string& path) override;
  Result<std::vector<std::string>> list_dir(const std::string& path) override;
  Result<std::string> canonical(const std::string& path) override;

  /// Creates `path` and its missing parents; an existing directory is success.
  Status make_dirs(const std::string& path) override;
  /// Replaces `path` atomically: the content goes to a temporary file beside it,
  /// which is synced and then renamed over `path`.
  Status write_file(const std::string& path, const std::string& content) override;
  /// See `copy_tree_posix`.
  Status copy_tree(const std::string& from, const std::string& to) override;
  /// See `copy_tree_posix` with a filter.
  Status copy_tree_filtered(const std::string& from, const std::string& to,
                            const CopyFilter& keep) override;
  /// See `copy_tree_posix` with link directories.
  Status copy_tree_linking(const std::string& from, const std::string& to,
                           const std::vector<std::string>& link_dirs) override;
  /// `O_CREAT | O_EXCL | O_NOFOLLOW`, mode 0600; writes are buffered 1 MiB at a time
  /// and close() syncs the file.
  Result<std::unique_ptr<OutputStream>> create(const std::string& path) override;
  /// `mkdir(path, 0700)`.
  Status make_private_dir(const std::string& path) override;
  Status rename(const std::string& from, const std::string& to) override;
  Status sync_file_system(const std::string& path) override;
  /// Removes a file or symlink; a missing one is success, a directory an error.
  Status remove_file(const std::string& path) override;
  /// See `remove_tree_below`: refused (`unsafe`) unless `path` is absolute, normal,
  /// not a symlink and strictly below a root once its parent is resolved.
  Status remove_tree(const std::string& path,
                     const std::vector<std::string>& allowed_roots) override;
};

} // namespace vmoodle::platform
