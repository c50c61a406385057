#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "vmoodle/util/error.hpp"

namespace vmoodle::platform {

/// What `lstat` says of a path (a symlink is not followed).
struct FileStat {
  bool exists = false;
  bool is_dir = false;
  bool is_symlink = false;
};

/// A file read in chunks, so a dump of any size streams in bounded memory.
class InputStream {
public:
  virtual ~InputStream() = default;
  /// Reads up to `size` bytes into `buffer`; returns 0 at end of file.
  virtual Result<std::size_t> read(char* buffer, std::size_t size) = 0;
};

/// A new file written in pieces, so a dump of any size streams in bounded memory.
class OutputStream {
public:
  virtual ~OutputStream() = default;
  /// Appends `data`; it may stay buffered until close().
  virtual Status write(std::string_view data) = 0;
  /// Writes what is buffered, syncs the file to disk and closes it. Only a file whose
  /// close() succeeded is complete; one dropped without it may be partly written.
  virtual Status close() = 0;
};

/// Decides what a filtered tree copy keeps: called with each entry's path relative to
/// the copied directory (`a/b/c`, components joined by `/`); false leaves the entry
/// out, and for a directory everything in it.
using CopyFilter = std::function<bool(const std::string& relative_path)>;

/// Read-only file access: what refresh and plan are allowed to do.
class FileReader {
public:
  virtual ~FileReader() = default;
  virtual Result<FileStat> stat(const std::string& path) = 0;
  virtual Result<std::string> read_file(const std::string& path) = 0;
  virtual Result<std::unique_ptr<InputStream>> open(const std::string& path) = 0;
  /// Entry names (not paths) of a directory, sorted.
  virtual Result<std::vector<std::string>> list_dir(const std::string& path) = 0;
  /// The path with every symlink resolved (`realpath`); the path must exist.
  virtual Result<std::string> canonical(const std::string& path) = 0;
};

/// Read-write file access, used only by apply.
class FileSystem : public FileReader {
public:
  virtual Status make_dirs(const std::string& path) = 0;
  virtual Status write_file(const std::string& path, const std::string& content) = 0;
  /// Copies the tree `from` into the new directory `to` (which must not exist),
  /// copying symlinks as symlinks, never following them.
  virtual Status copy_tree(const std::string& from, const std::string& to) = 0;
  /// Same as copy_tree, leaving out every entry that `keep` rejects.
  virtual Status copy_tree_filtered(const std::string& from, const std::string& to,
                                    const CopyFilter& keep) = 0;
  /// Same as copy_tree, except that the regular files below the top-level directories
  /// `link_dirs` (names relative to `from`, such as `filedir`) become hard links to the
  /// source files when both lie on one file system, and copies otherwise (or when the
  /// system refuses the link). Only for write-once content: a linked file is shared.
  virtual Status copy_tree_linking(const std::string& from, const std::string& to,
                                   const std::vector<std::string>& link_dirs) = 0;
  /// Creates the new file `path` for writing, readable and writable by its owner only
  /// (0600). Fails when `path` exists (a symlink there is never followed).
  virtual Result<std::unique_ptr<OutputStream>> create(const std::string& path) = 0;
  /// Creates the new directory `path`, accessible by its owner only (0700); its parent
  /// must exist, and `path` must not.
  virtual Status make_private_dir(const std::string& path) = 0;
  virtual Status rename(const std::string& from, const std::string& to) = 0;
  /// Writes everything the file system holding `path` has not yet written to disk
  /// (syncfs): one call makes a whole copied tree durable, however many files it holds.
  virtual Status sync_file_system(const std::string& path) = 0;
  virtual Status remove_file(const std::string& path) = 0;
  /// Removes the tree at `path`, refusing unless `path` lies strictly below one of
  /// `allowed_roots` once its parent is resolved; symlinks inside are unlinked, not followed.
  virtual Status remove_tree(const std::string& path,
                             const std::vector<std::string>& allowed_roots) = 0;
};

} // namespace vmoodle::platform
