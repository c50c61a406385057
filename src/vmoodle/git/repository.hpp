#pragma once

#include <string>
#include <string_view>

#include "vmoodle/util/error.hpp"

namespace vmoodle::git {

/// A commit id: 40 lowercase hex digits.
using CommitId = std::string;

/// What git says about one file of the working tree, compared with HEAD.
struct FileStatus {
  bool tracked = false;   ///< the file is in HEAD or in the index
  bool staged = false;    ///< the index differs from HEAD (added, modified, deleted, renamed)
  bool modified = false;  ///< the working tree differs from the index (or the file is gone)
  bool untracked = false; ///< in the working tree only, not ignored
  bool ignored = false;   ///< in the working tree only, and ignored by .gitignore

  /// True when the file as it is on disk is not the one committed at HEAD.
  bool dirty() const { return staged || modified || untracked || ignored; }
  /// `modified`, `staged`, `modified, staged`, `untracked`, `ignored` or `clean`.
  std::string describe() const {
    if (untracked) {
      return "untracked";
    }
    if (ignored) {
      return "ignored";
    }
    std::string out;
    if (modified) {
      out = "modified";
    }
    if (staged) {
      out += out.empty() ? "staged" : ", staged";
    }
    return out.empty() ? "clean" : out;
  }
};

/// Read-only view of the git repository that holds the manifest: revisions,
/// file contents at a commit without checking it out, and working-tree status.
/// Errors are values: ErrorKind::usage for what the operator asked (unknown
/// revision, a path outside the repository or absent at that commit),
/// ErrorKind::io when the repository itself cannot be read.
class Repository {
public:
  virtual ~Repository() = default;

  /// Absolute path of the working tree, without a trailing `/`.
  virtual std::string workdir() const = 0;

  /// `path` (absolute, or relative to the current directory) relative to the
  /// working tree, `/`-separated, as git names it; an error if it lies outside.
  virtual Result<std::string> path_in_repository(const std::string& path) const = 0;

  /// The commit `revision` names: a branch, a tag, a remote branch
  /// (`origin/main`), a full or abbreviated id, or an expression such as `HEAD~1`.
  virtual Result<CommitId> resolve(std::string_view revision) = 0;

  /// The content of `path` (relative to the working tree, see
  /// path_in_repository()) in the tree of `commit`.
  virtual Result<std::string> read_blob(const CommitId& commit, std::string_view path) = 0;

  /// Working-tree and index status of `path` (relative to the working tree).
  /// A path git has never heard of and that is not on disk is an error.
  virtual Result<FileStatus> status(std::string_view path) = 0;

  /// True when `commit` contains `ancestor`: they are the same commit or
  /// `ancestor` is reachable from `commit`. `plan --base origin/main` uses it to
  /// refuse a branch that is behind its base.
  virtual Result<bool> contains(const CommitId& commit, const CommitId& ancestor) = 0;
};

} // namespace vmoodle::git
