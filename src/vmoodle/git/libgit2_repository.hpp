#pragma once

#include <memory>
#include <string>

#include "vmoodle/git/repository.hpp"

struct git_repository;

namespace vmoodle::git {

/// The Repository of a real git checkout, read with libgit2. The only file that
/// includes <git2.h>. Not thread-safe: use one instance per thread.
class Libgit2Repository final : public Repository {
public:
  /// Opens the repository containing `path` (a file or directory, absolute or
  /// relative to the current directory), searching parent directories as git does
  /// (git_repository_discover) without crossing file systems. ErrorKind::usage
  /// with a hint when `path` is in no repository; a bare repository is refused.
  static Result<std::unique_ptr<Libgit2Repository>> discover(const std::string& path);

  ~Libgit2Repository() override;
  Libgit2Repository(const Libgit2Repository&) = delete;
  Libgit2Repository& operator=(const Libgit2Repository&) = delete;

  std::string workdir() const override;
  Result<std::string> path_in_repository(const std::string& path) const override;
  Result<CommitId> resolve(std::string_view revision) override;
  Result<std::string> read_blob(const CommitId& id, std::string_view path) override;
  Result<FileStatus> status(std::string_view path) override;
  Result<bool> contains(const CommitId& commit, const CommitId& ancestor) override;

private:
  Libgit2Repository(git_repository* repo, std::string workdir);

  git_repository* m_repo;
  std::string m_workdir;
};

} // namespace vmoodle::git
