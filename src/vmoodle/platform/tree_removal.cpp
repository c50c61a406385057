#include "vmoodle/platform/tree_removal.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <utility>

#include "vmoodle/platform/file_descriptors.hpp"

namespace vmoodle::platform {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_removal_hint =
    "only paths strictly below dataroot_roots are removed, never through a symlink; "
    "check the host's dataroot";

std::string join(const std::vector<std::string>& items) {
  if (items.empty()) {
    return "(none)";
  }
  std::string out;
  for (const auto& item : items) {
    out += out.empty() ? item : ", " + item;
  }
  return out;
}

Error refusal(const std::string& path, const std::string& why) {
  return Error{
      ErrorKind::unsafe, "refusing to remove " + path + ": " + why, path, k_removal_hint, {}};
}

// Component-wise, so that `/srv/data2` is not taken to be below `/srv/data`.
bool is_below(const fs::path& child, const fs::path& root, bool strictly) {
  auto c = child.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++c) {
    if (c == child.end() || *c != *r) {
      return false;
    }
  }
  return !strictly || c != child.end();
}

// The root as a comparable path (`/a/b/` → `/a/b`); empty when it cannot be a root.
fs::path normal_root(const std::string& root) {
  fs::path normal = fs::path(root).lexically_normal();
  if (!normal.has_filename() && normal.has_relative_path()) {
    normal = normal.parent_path();
  }
  // A relative root means nothing; `/` as a root would allow removing anything.
  if (!normal.is_absolute() || !normal.has_relative_path()) {
    return {};
  }
  return normal;
}

std::string child_path(const std::string& dir, const char* name) {
  return dir + "/" + name;
}

// Best effort: a tree copied with read-only directories must still be removable.
void make_writable(int fd, const struct stat& st) {
  if ((st.st_mode & S_IRWXU) != S_IRWXU) {
    ::fchmod(fd, (st.st_mode & 07777) | S_IRWXU);
  }
}

Status remove_contents(int dir_fd, dev_t device, const std::string& dir_path) {
  VM_TRY_ASSIGN(const auto entries, list_dir_fd(dir_fd, dir_path));
  for (const auto& entry : entries) {
    const std::string& name = entry.name;
    std::string path = child_path(dir_path, name.c_str());
    struct stat st {};
    if (::fstatat(dir_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) {
        continue;
      }
      return tl::unexpected(errno_error(path, "cannot stat", errno));
    }
    if (!S_ISDIR(st.st_mode)) {
      // Symlinks included: unlinking one never touches what it points to.
      if (::unlinkat(dir_fd, name.c_str(), 0) != 0 && errno != ENOENT) {
        return tl::unexpected(errno_error(path, "cannot remove", errno));
      }
      continue;
    }
    if (st.st_dev != device) {
      return tl::unexpected(refusal(path, "another file system is mounted there"));
    }
    UniqueFd child(::openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!child.valid()) {
      return tl::unexpected(errno_error(path, "cannot open", errno));
    }
    make_writable(child.get(), st);
    VM_TRY(remove_contents(child.get(), device, path));
    if (::unlinkat(dir_fd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) {
      return tl::unexpected(errno_error(path, "cannot remove", errno));
    }
  }
  return {};
}

// Opens `parent` by walking down from `root` without following any symlink, so that
// what was checked is what gets opened.
Result<UniqueFd> open_below(const fs::path& root, const fs::path& parent, const std::string& path) {
  UniqueFd dir(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) {
    return tl::unexpected(errno_error(root.string(), "cannot open", errno));
  }
  for (const auto& component : parent.lexically_relative(root)) {
    if (component == ".") {
      continue;
    }
    UniqueFd next(
        ::openat(dir.get(), component.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next.valid()) {
      if (errno == ELOOP || errno == ENOTDIR) {
        return tl::unexpected(refusal(path, "a directory on its way was replaced meanwhile"));
      }
      return tl::unexpected(errno_error(path, "cannot open the parent of", errno));
    }
    dir = std::move(next);
  }
  return dir;
}

} // namespace

Result<std::vector<std::string>> roots_containing(const std::string& path,
                                                  const std::vector<std::string>& allowed_roots) {
  fs::path target(path);
  if (!target.is_absolute()) {
    return tl::unexpected(refusal(path, "it is not an absolute path"));
  }
  if (target.lexically_normal().native() != path || !target.has_filename()) {
    return tl::unexpected(
        refusal(path, "it is not in normal form (no `.`, `..`, `//` or trailing `/`)"));
  }
  std::vector<std::string> containing;
  for (const auto& root : allowed_roots) {
    fs::path normal = normal_root(root);
    if (!normal.empty() && is_below(target, normal, true)) {
      containing.push_back(normal.string());
    }
  }
  if (containing.empty()) {
    return tl::unexpected(
        refusal(path, "it is not strictly below an allowed root (" + join(allowed_roots) + ")"));
  }
  return containing;
}

Status remove_tree_below(const std::string& path, const std::vector<std::string>& allowed_roots) {
  VM_TRY_ASSIGN(auto roots, roots_containing(path, allowed_roots));
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return {}; // already gone
    }
    return tl::unexpected(errno_error(path, "cannot stat", errno));
  }
  if (S_ISLNK(st.st_mode)) {
    return tl::unexpected(refusal(path, "it is a symlink"));
  }

  fs::path target(path);
  std::error_code ec;
  fs::path parent = fs::canonical(target.parent_path(), ec);
  if (ec) {
    return tl::unexpected(errno_error(target.parent_path().string(), "cannot resolve", ec.value()));
  }
  fs::path chosen_root;
  for (const auto& root : roots) {
    fs::path resolved = fs::canonical(root, ec);
    if (!ec && is_below(parent, resolved, false)) {
      chosen_root = resolved;
      break;
    }
  }
  if (chosen_root.empty()) {
    return tl::unexpected(refusal(path, "its parent resolves to " + parent.string() + ", outside " +
                                            join(roots) + " (a symlink leads out of the root)"));
  }

  VM_TRY_ASSIGN(auto parent_fd, open_below(chosen_root, parent, path));
  std::string name = target.filename().string();
  if (::fstatat(parent_fd.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) {
      return {};
    }
    return tl::unexpected(errno_error(path, "cannot stat", errno));
  }
  if (S_ISLNK(st.st_mode)) {
    return tl::unexpected(refusal(path, "it is a symlink"));
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlinkat(parent_fd.get(), name.c_str(), 0) != 0 && errno != ENOENT) {
      return tl::unexpected(errno_error(path, "cannot remove", errno));
    }
    return {};
  }
  struct stat parent_st {};
  if (::fstat(parent_fd.get(), &parent_st) != 0) {
    return tl::unexpected(errno_error(parent.string(), "cannot stat", errno));
  }
  if (st.st_dev != parent_st.st_dev) {
    return tl::unexpected(refusal(path, "another file system is mounted there"));
  }
  UniqueFd top(
      ::openat(parent_fd.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!top.valid()) {
    return tl::unexpected(errno_error(path, "cannot open", errno));
  }
  make_writable(top.get(), st);
  VM_TRY(remove_contents(top.get(), st.st_dev, path));
  if (::unlinkat(parent_fd.get(), name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) {
    return tl::unexpected(errno_error(path, "cannot remove", errno));
  }
  return {};
}

} // namespace vmoodle::platform
