#include "vmoodle/git/libgit2_repository.hpp"

#include <filesystem>

#include <git2.h>

namespace vmoodle::git {
namespace {

namespace fs = std::filesystem;

// libgit2 wants git_libgit2_init() before any call; it is reference-counted, and
// one initialisation for the life of the process is all the tool needs.
void ensure_initialised() {
  static const int k_init = git_libgit2_init();
  (void)k_init;
}

std::string last_message() {
  const git_error* error = git_error_last();
  return error != nullptr && error->message != nullptr ? error->message : "unknown libgit2 error";
}

// Owns a libgit2 object and frees it with its own function.
template <typename T, void (*Free)(T*)> struct Owned {
  T* ptr = nullptr;
  Owned() = default;
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() {
    if (ptr != nullptr) {
      Free(ptr);
    }
  }
};

using Object = Owned<git_object, git_object_free>;
using Commit = Owned<git_commit, git_commit_free>;
using Tree = Owned<git_tree, git_tree_free>;
using TreeEntry = Owned<git_tree_entry, git_tree_entry_free>;
using Blob = Owned<git_blob, git_blob_free>;

std::string oid_hex(const git_oid* oid) {
  char hex[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(hex, sizeof hex, oid);
  return hex;
}

Result<git_oid> parse_commit_id(const CommitId& id) {
  git_oid oid;
  if (id.size() != GIT_OID_HEXSZ || git_oid_fromstr(&oid, id.c_str()) != 0) {
    return fail(ErrorKind::usage, "not a full commit id: " + id, "git",
                "pass an id returned by resolve()");
  }
  return oid;
}

std::string without_trailing_slash(std::string path) {
  while (path.size() > 1 && path.back() == '/') {
    path.pop_back();
  }
  return path;
}

// Absolute and free of symlinks as far as the path exists, so that it compares
// with the working tree however either was spelled (/tmp vs /private/tmp, `..`).
std::string canonical(const std::string& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  if (ec) {
    return path;
  }
  fs::path resolved = fs::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal().string() : resolved.string();
}

} // namespace

Result<std::unique_ptr<Libgit2Repository>> Libgit2Repository::discover(const std::string& path) {
  ensure_initialised();
  std::error_code ec;
  fs::path start = canonical(path);
  if (!fs::is_directory(start, ec)) {
    start = start.parent_path();
  }
  git_buf found = GIT_BUF_INIT;
  if (git_repository_discover(&found, start.c_str(), 0, nullptr) != 0) {
    git_buf_dispose(&found);
    return fail(ErrorKind::usage, "not inside a git repository: " + start.string(), path,
                "keep the manifest in a git checkout, or drop the git options (--rev, --base)");
  }
  git_repository* repo = nullptr;
  const int rc = git_repository_open(&repo, found.ptr);
  const std::string git_dir = found.ptr;
  git_buf_dispose(&found);
  if (rc != 0) {
    return fail(ErrorKind::io, "cannot open the git repository " + git_dir + ": " + last_message(),
                path,
                "check that it is readable by this user (git status should work); when the "
                "checkout belongs to another user (CI containers), run git config --global "
                "--add safe.directory " +
                    fs::path(without_trailing_slash(git_dir)).parent_path().string());
  }
  const char* workdir = git_repository_workdir(repo);
  if (workdir == nullptr) {
    git_repository_free(repo);
    return fail(ErrorKind::usage, "the git repository " + git_dir + " is bare", path,
                "run from a checkout of the repository, not from the bare repository");
  }
  return std::unique_ptr<Libgit2Repository>(
      new Libgit2Repository(repo, without_trailing_slash(canonical(workdir))));
}

Libgit2Repository::Libgit2Repository(git_repository* repo, std::string workdir)
    : m_repo(repo), m_workdir(std::move(workdir)) {}

Libgit2Repository::~Libgit2Repository() {
  git_repository_free(m_repo);
}

std::string Libgit2Repository::workdir() const {
  return m_workdir;
}

Result<std::string> Libgit2Repository::path_in_repository(const std::string& path) const {
  const fs::path full = canonical(path);
  const fs::path relative = full.lexically_relative(m_workdir);
  const std::string text = relative.generic_string();
  if (relative.empty() || text == "." || text == ".." || text.rfind("../", 0) == 0) {
    return fail(ErrorKind::usage, full.string() + " is not inside the git repository " + m_workdir,
                path, "give a manifest inside the repository's working tree");
  }
  return text;
}

Result<CommitId> Libgit2Repository::resolve(std::string_view revision) {
  const std::string spec(revision);
  if (spec.empty()) {
    return fail(ErrorKind::usage, "empty git revision", "--rev",
                "name a branch, a tag, a commit id or an expression such as HEAD~1");
  }
  Object object;
  if (git_revparse_single(&object.ptr, m_repo, spec.c_str()) != 0) {
    std::string why = last_message();
    if (spec == "HEAD" && git_repository_head_unborn(m_repo) == 1) {
      why = "the repository has no commits yet";
    }
    return fail(ErrorKind::usage, "unknown git revision `" + spec + "`: " + why,
                "repository " + m_workdir,
                "name a branch, a tag, a commit id or an expression such as HEAD~1; a remote "
                "branch needs a fetch first (git fetch origin)");
  }
  Object commit;
  if (git_object_peel(&commit.ptr, object.ptr, GIT_OBJECT_COMMIT) != 0) {
    return fail(ErrorKind::usage, "git revision `" + spec + "` does not name a commit",
                "repository " + m_workdir, "name a branch, a tag or a commit");
  }
  return oid_hex(git_object_id(commit.ptr));
}

Result<std::string> Libgit2Repository::read_blob(const CommitId& id, std::string_view path) {
  VM_TRY_ASSIGN(const git_oid oid, parse_commit_id(id));
  const std::string where = std::string(path) + " at " + id.substr(0, 12);
  Commit commit;
  if (git_commit_lookup(&commit.ptr, m_repo, &oid) != 0) {
    return fail(ErrorKind::usage, "no commit " + id + " in the repository: " + last_message(),
                where, "resolve the revision first");
  }
  Tree tree;
  if (git_commit_tree(&tree.ptr, commit.ptr) != 0) {
    return fail(ErrorKind::io, "cannot read the tree of commit " + id + ": " + last_message(),
                where, "check the repository with git fsck");
  }
  TreeEntry entry;
  const std::string relative(path);
  if (git_tree_entry_bypath(&entry.ptr, tree.ptr, relative.c_str()) != 0) {
    return fail(ErrorKind::usage, "the file does not exist at that commit", where,
                "check the revision and the manifest path (relative to " + m_workdir + ")");
  }
  if (git_tree_entry_type(entry.ptr) != GIT_OBJECT_BLOB) {
    return fail(ErrorKind::usage, "not a file at that commit", where,
                "give the path of the manifest file, not of a directory");
  }
  Blob blob;
  if (git_blob_lookup(&blob.ptr, m_repo, git_tree_entry_id(entry.ptr)) != 0) {
    return fail(ErrorKind::io, "cannot read the file's blob: " + last_message(), where,
                "check the repository with git fsck");
  }
  const auto* data = static_cast<const char*>(git_blob_rawcontent(blob.ptr));
  return std::string(data, static_cast<std::size_t>(git_blob_rawsize(blob.ptr)));
}

Result<FileStatus> Libgit2Repository::status(std::string_view path) {
  const std::string relative(path);
  unsigned int flags = 0;
  const int rc = git_status_file(&flags, m_repo, relative.c_str());
  if (rc == GIT_ENOTFOUND) {
    return fail(ErrorKind::usage, "no such file in the repository or on disk", relative,
                "check the manifest path (relative to " + m_workdir + ")");
  }
  if (rc != 0) {
    return fail(ErrorKind::io, "cannot read the git status: " + last_message(), relative,
                "check that `git status` works in " + m_workdir);
  }
  FileStatus status;
  status.staged =
      (flags & (GIT_STATUS_INDEX_NEW | GIT_STATUS_INDEX_MODIFIED | GIT_STATUS_INDEX_DELETED |
                GIT_STATUS_INDEX_RENAMED | GIT_STATUS_INDEX_TYPECHANGE)) != 0;
  status.modified = (flags & (GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_DELETED |
                              GIT_STATUS_WT_TYPECHANGE | GIT_STATUS_WT_RENAMED)) != 0;
  status.untracked = (flags & GIT_STATUS_WT_NEW) != 0;
  status.ignored = (flags & GIT_STATUS_IGNORED) != 0;
  status.tracked = !status.untracked && !status.ignored;
  return status;
}

Result<bool> Libgit2Repository::contains(const CommitId& commit, const CommitId& ancestor) {
  VM_TRY_ASSIGN(const git_oid commit_oid, parse_commit_id(commit));
  VM_TRY_ASSIGN(const git_oid ancestor_oid, parse_commit_id(ancestor));
  if (git_oid_equal(&commit_oid, &ancestor_oid) != 0) {
    return true;
  }
  const int rc = git_graph_descendant_of(m_repo, &commit_oid, &ancestor_oid);
  if (rc < 0) {
    return fail(ErrorKind::io, "cannot compare commits: " + last_message(),
                commit.substr(0, 12) + " and " + ancestor.substr(0, 12),
                "fetch the full history (a shallow clone may miss the base; use fetch-depth: 0)");
  }
  return rc == 1;
}

} // namespace vmoodle::git
