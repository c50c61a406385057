#pragma once

#include <cstddef>
#include <memory>
#include <string>
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
  virtual Status rename(const std::string& from, const std::string& to) = 0;
  virtual Status remove_file(const std::string& path) = 0;
  /// Removes the tree at `path`, refusing unless `path` lies strictly below one of
  /// `allowed_roots` once its parent is resolved; symlinks inside are unlinked, not followed.
  virtual Status remove_tree(const std::string& path,
                             const std::vector<std::string>& allowed_roots) = 0;
};

} // namespace vmoodle::platform
