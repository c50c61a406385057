#include "vmoodle/platform/tree_copy.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <memory>
#include <system_error>
#include <vector>

#include "vmoodle/platform/file_descriptors.hpp"

namespace vmoodle::platform {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_copy_chunk = std::size_t{1} << 20;

Error not_copyable(const std::string& path) {
  return Error{ErrorKind::io,
               "cannot copy " + path + ": it is not a regular file, directory or symlink",
               path,
               "remove it from the source tree",
               {}};
}

// What one copy_tree_posix call shares with every level of its recursion.
struct CopyJob {
  const CopyFilter* keep = nullptr;
  const std::vector<std::string>* link_dirs = nullptr;
  // Only root may give files away; an ordinary user's copy is simply theirs.
  bool keeps_owners = false;
};

bool is_link_dir(const CopyJob& job, const std::string& top_level) {
  return job.link_dirs != nullptr &&
         std::find(job.link_dirs->begin(), job.link_dirs->end(), top_level) != job.link_dirs->end();
}

// Owners first: fchown() clears set-user-ID bits, which fchmod() then restores.
Status copy_metadata(int fd, const struct stat& st, const CopyJob& job, const std::string& path) {
  if (job.keeps_owners && ::fchown(fd, st.st_uid, st.st_gid) != 0) {
    return tl::unexpected(errno_error(path, "cannot set the owner of", errno));
  }
  if (::fchmod(fd, st.st_mode & 07777) != 0) {
    return tl::unexpected(errno_error(path, "cannot set the permissions of", errno));
  }
  return {};
}

// In the kernel where it can (copy_file_range), else through a buffer.
Status copy_bytes(int in, int out, const std::string& source, const std::string& target) {
  bool in_kernel = true;
  std::unique_ptr<char[]> buffer;
  for (;;) {
    ssize_t count = 0;
    if (in_kernel) {
      count = ::copy_file_range(in, nullptr, out, nullptr, k_copy_chunk, 0);
      if (count < 0 &&
          (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP)) {
        in_kernel = false;
        continue;
      }
    } else {
      if (!buffer) {
        buffer.reset(new char[k_copy_chunk]);
      }
      count = ::read(in, buffer.get(), k_copy_chunk);
      if (count > 0) {
        VM_TRY(write_all(out, {buffer.get(), static_cast<std::size_t>(count)}, target));
      }
    }
    if (count == 0) {
      return {};
    }
    if (count < 0 && errno != EINTR) {
      return tl::unexpected(errno_error(source, "cannot copy", errno));
    }
  }
}

// The file is opened without following a symlink and without blocking on a FIFO, and is
// checked once open: what is copied is what was checked.
Status copy_file(int from_dir, int to_dir, const std::string& name, const std::string& source,
                 const std::string& target, const CopyJob& job) {
  UniqueFd in(::openat(from_dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!in.valid()) {
    return tl::unexpected(errno == ELOOP ? not_copyable(source)
                                         : errno_error(source, "cannot open", errno));
  }
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) {
    return tl::unexpected(errno_error(source, "cannot stat", errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return tl::unexpected(not_copyable(source));
  }
  UniqueFd out(
      ::openat(to_dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out.valid()) {
    return tl::unexpected(errno_error(target, "cannot create", errno));
  }
  VM_TRY(copy_bytes(in.get(), out.get(), source, target));
  return copy_metadata(out.get(), st, job, target);
}

Status copy_symlink(int from_dir, int to_dir, const std::string& name, const std::string& source,
                    const CopyJob& job) {
  struct stat st {};
  if (::fstatat(from_dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return tl::unexpected(errno_error(source, "cannot stat", errno));
  }
  std::string link(static_cast<std::size_t>(std::max<off_t>(st.st_size, 255)) + 1, '\0');
  for (;;) {
    const ssize_t length = ::readlinkat(from_dir, name.c_str(), link.data(), link.size());
    if (length < 0) {
      return tl::unexpected(errno_error(source, "cannot copy the symlink", errno));
    }
    if (static_cast<std::size_t>(length) < link.size()) {
      link.resize(static_cast<std::size_t>(length));
      break;
    }
    link.resize(link.size() * 2); // it grew since fstatat
  }
  if (::symlinkat(link.c_str(), to_dir, name.c_str()) != 0) {
    return tl::unexpected(errno_error(source, "cannot copy the symlink", errno));
  }
  if (job.keeps_owners &&
      ::fchownat(to_dir, name.c_str(), st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) != 0) {
    return tl::unexpected(errno_error(source, "cannot set the owner of", errno));
  }
  return {};
}

// True when `name` in `to_dir` is now a hard link to `name` in `from_dir`; false when the
// file must be copied instead: another file system, or a link the system refuses for
// reasons a copy avoids.
Result<bool> try_link(int from_dir, int to_dir, const std::string& name,
                      const std::string& source) {
  // Flags 0: a symlink put in the file's place is linked as a symlink, never followed.
  if (::linkat(from_dir, name.c_str(), to_dir, name.c_str(), 0) == 0) {
    return true;
  }
  const int error = errno;
  // EXDEV: another file system, or another mount of the same one; EMLINK: the inode's
  // link count is full; EPERM: fs.protected_hardlinks and a file owned by someone else.
  if (error == EXDEV || error == EMLINK || error == EPERM) {
    return false;
  }
  return tl::unexpected(errno_error(source, "cannot link", error));
}

Status copy_entries(int from_dir, int to_dir, const std::string& from_path,
                    const std::string& to_path, const CopyJob& job, const std::string& relative,
                    bool linking);

Status copy_directory(int from_dir, int to_dir, const std::string& name, const std::string& source,
                      const std::string& target, const CopyJob& job, const std::string& entry,
                      bool linking) {
  UniqueFd in(::openat(from_dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!in.valid()) {
    return tl::unexpected(errno_error(source, "cannot open", errno));
  }
  struct stat st {};
  if (::fstat(in.get(), &st) != 0) {
    return tl::unexpected(errno_error(source, "cannot stat", errno));
  }
  if (::mkdirat(to_dir, name.c_str(), 0700) != 0) {
    return tl::unexpected(errno_error(target, "cannot create", errno));
  }
  UniqueFd out(::openat(to_dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!out.valid()) {
    return tl::unexpected(errno_error(target, "cannot open", errno));
  }
  VM_TRY(copy_entries(in.get(), out.get(), source, target, job, entry, linking));
  // Permissions last, so that a read-only source directory can still be filled.
  return copy_metadata(out.get(), st, job, target);
}

// The kind of an entry the listing did not give one for, as a d_type.
Result<unsigned char> type_of(int dir, const std::string& name, const std::string& path) {
  struct stat st {};
  if (::fstatat(dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return tl::unexpected(errno_error(path, "cannot stat", errno));
  }
  return static_cast<unsigned char>(IFTODT(st.st_mode));
}

// Everything is reached through the descriptors of directories opened without following
// symlinks, so that a symlink put in place of a directory during the copy is never
// followed; the paths only name things in errors.
Status copy_entries(int from_dir, int to_dir, const std::string& from_path,
                    const std::string& to_path, const CopyJob& job, const std::string& relative,
                    bool linking) {
  VM_TRY_ASSIGN(auto entries, list_dir_fd(from_dir, from_path));
  std::sort(entries.begin(), entries.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  for (const auto& [name, listed_type] : entries) {
    const std::string entry = relative.empty() ? name : relative + "/" + name;
    if (job.keep != nullptr && !(*job.keep)(entry)) {
      continue;
    }
    const std::string source = from_path + "/" + name;
    const std::string target = to_path + "/" + name;
    unsigned char type = listed_type;
    if (type == DT_UNKNOWN) {
      VM_TRY_ASSIGN(type, type_of(from_dir, name, source));
    }
    switch (type) {
    case DT_REG:
      if (linking) {
        // d_type is enough: the link needs no stat, and shares the inode's metadata.
        VM_TRY_ASSIGN(const bool linked, try_link(from_dir, to_dir, name, source));
        if (linked) {
          continue;
        }
      }
      VM_TRY(copy_file(from_dir, to_dir, name, source, target, job));
      break;
    case DT_DIR:
      VM_TRY(copy_directory(from_dir, to_dir, name, source, target, job, entry,
                            linking || (relative.empty() && is_link_dir(job, entry))));
      break;
    case DT_LNK:
      VM_TRY(copy_symlink(from_dir, to_dir, name, source, job));
      break;
    default:
      return tl::unexpected(not_copyable(source));
    }
  }
  return {};
}

bool is_within(const fs::path& child, const fs::path& root) {
  auto c = child.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++c) {
    if (c == child.end() || *c != *r) {
      return false;
    }
  }
  return true;
}

} // namespace

Status copy_tree_posix(const std::string& from, const std::string& to, const CopyFilter* keep,
                       const std::vector<std::string>* link_dirs) {
  fs::path source(from);
  fs::path target(to);
  std::error_code ec;
  // The top directory may be a symlink (a template folder linked from elsewhere).
  UniqueFd source_dir(::open(from.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!source_dir.valid()) {
    if (errno == ENOTDIR) {
      return fail(ErrorKind::io, "cannot copy " + from + ": it is not a directory", from);
    }
    return tl::unexpected(errno_error(from, "cannot copy", errno));
  }
  struct stat source_st {};
  if (::fstat(source_dir.get(), &source_st) != 0) {
    return tl::unexpected(errno_error(from, "cannot stat", errno));
  }
  if (fs::symlink_status(target, ec).type() != fs::file_type::not_found) {
    return fail(ErrorKind::io, "cannot copy into " + to + ": it already exists", to,
                "copies go to a new directory; remove or rename the existing one");
  }
  fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::path real_parent = fs::canonical(parent, ec);
  if (ec) {
    return tl::unexpected(errno_error(parent.string(), "cannot copy into", ec.value()));
  }
  fs::path real_source = fs::canonical(source, ec);
  if (ec) {
    return tl::unexpected(errno_error(from, "cannot resolve", ec.value()));
  }
  if (is_within(real_parent / target.filename(), real_source)) {
    return fail(ErrorKind::io, "cannot copy " + from + " into itself (" + to + ")", to);
  }
  if (::mkdir(target.c_str(), 0700) != 0) {
    return tl::unexpected(errno_error(to, "cannot create", errno));
  }
  const CopyJob job{keep, link_dirs, ::geteuid() == 0};
  Status status;
  {
    UniqueFd target_dir(::open(to.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!target_dir.valid()) {
      status = tl::unexpected(errno_error(to, "cannot open", errno));
    } else {
      status = copy_entries(source_dir.get(), target_dir.get(), from, to, job, "", false);
      if (status) {
        status = copy_metadata(target_dir.get(), source_st, job, to);
      }
    }
  }
  if (!status) {
    // Only what this call created: `to` did not exist before it.
    fs::remove_all(target, ec);
  }
  return status;
}

} // namespace vmoodle::platform
