#include "vmoodle/platform/tree_copy.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <system_error>
#include <vector>

namespace vmoodle::platform {

namespace fs = std::filesystem;

namespace {

Error io_error(const fs::path& path, const std::string& what, const std::error_code& ec) {
  return Error{
      ErrorKind::io, what + " " + path.string() + ": " + ec.message(), path.string(), {}, {}};
}

std::error_code last_error() {
  return {errno, std::generic_category()};
}

// Owners first: chown() clears set-user-ID bits, which chmod() then restores.
Status copy_metadata(const fs::path& to, const struct stat& st, bool is_symlink) {
  // Only root may give files away; an ordinary user's copy is simply theirs.
  if (::geteuid() == 0 && ::lchown(to.c_str(), st.st_uid, st.st_gid) != 0) {
    return tl::unexpected(io_error(to, "cannot set the owner of", last_error()));
  }
  if (!is_symlink && ::chmod(to.c_str(), st.st_mode & 07777) != 0) {
    return tl::unexpected(io_error(to, "cannot set the permissions of", last_error()));
  }
  return {};
}

// What one copy_tree_posix call shares with every level of its recursion.
struct CopyJob {
  const CopyFilter* keep = nullptr;
  const std::vector<std::string>* link_dirs = nullptr;
  dev_t target_device = 0;
};

bool is_link_dir(const CopyJob& job, const std::string& top_level) {
  return job.link_dirs != nullptr &&
         std::find(job.link_dirs->begin(), job.link_dirs->end(), top_level) != job.link_dirs->end();
}

// True when `target` is now a hard link to `source`; false when the file must be copied
// instead: another file system, or a link the system refuses for reasons a copy avoids.
Result<bool> try_link(const fs::path& source, const fs::path& target, const struct stat& st,
                      const CopyJob& job) {
  if (st.st_dev != job.target_device) {
    return false;
  }
  if (::link(source.c_str(), target.c_str()) == 0) {
    return true;
  }
  const int error = errno;
  // EXDEV: another mount of the same device; EMLINK: the inode's link count is full;
  // EPERM: fs.protected_hardlinks and a file owned by someone else.
  if (error == EXDEV || error == EMLINK || error == EPERM) {
    return false;
  }
  return tl::unexpected(io_error(source, "cannot link", {error, std::generic_category()}));
}

Status copy_entries(const fs::path& from, const fs::path& to, const CopyJob& job,
                    const std::string& relative, bool linking) {
  std::error_code ec;
  std::vector<fs::path> names;
  for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) {
    names.push_back(it->path().filename());
  }
  if (ec) {
    return tl::unexpected(io_error(from, "cannot list", ec));
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    const std::string entry = relative.empty() ? name.string() : relative + "/" + name.string();
    if (job.keep != nullptr && !(*job.keep)(entry)) {
      continue;
    }
    fs::path source = from / name;
    fs::path target = to / name;
    struct stat st {};
    if (::lstat(source.c_str(), &st) != 0) {
      return tl::unexpected(io_error(source, "cannot stat", last_error()));
    }
    if (S_ISLNK(st.st_mode)) {
      fs::path link = fs::read_symlink(source, ec);
      if (!ec) {
        fs::create_symlink(link, target, ec);
      }
      if (ec) {
        return tl::unexpected(io_error(source, "cannot copy the symlink", ec));
      }
      VM_TRY(copy_metadata(target, st, true));
    } else if (S_ISDIR(st.st_mode)) {
      if (::mkdir(target.c_str(), 0700) != 0) {
        return tl::unexpected(io_error(target, "cannot create", last_error()));
      }
      VM_TRY(copy_entries(source, target, job, entry,
                          linking || (relative.empty() && is_link_dir(job, entry))));
      // Permissions last, so that a read-only source directory can still be filled.
      VM_TRY(copy_metadata(target, st, false));
    } else if (S_ISREG(st.st_mode)) {
      if (linking) {
        VM_TRY_ASSIGN(bool linked, try_link(source, target, st, job));
        if (linked) {
          continue;
        }
      }
      fs::copy_file(source, target, fs::copy_options::none, ec);
      if (ec) {
        return tl::unexpected(io_error(source, "cannot copy", ec));
      }
      VM_TRY(copy_metadata(target, st, false));
    } else {
      return tl::unexpected(Error{ErrorKind::io,
                                  "cannot copy " + source.string() +
                                      ": it is not a regular file, directory or symlink",
                                  source.string(),
                                  "remove it from the source tree",
                                  {}});
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
  struct stat source_st {};
  if (::stat(source.c_str(), &source_st) != 0) {
    return tl::unexpected(io_error(source, "cannot copy", last_error()));
  }
  if (!S_ISDIR(source_st.st_mode)) {
    return fail(ErrorKind::io, "cannot copy " + from + ": it is not a directory", from);
  }
  if (fs::symlink_status(target, ec).type() != fs::file_type::not_found) {
    return fail(ErrorKind::io, "cannot copy into " + to + ": it already exists", to,
                "copies go to a new directory; remove or rename the existing one");
  }
  fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::path real_parent = fs::canonical(parent, ec);
  if (ec) {
    return tl::unexpected(io_error(parent, "cannot copy into", ec));
  }
  fs::path real_source = fs::canonical(source, ec);
  if (ec) {
    return tl::unexpected(io_error(source, "cannot resolve", ec));
  }
  if (is_within(real_parent / target.filename(), real_source)) {
    return fail(ErrorKind::io, "cannot copy " + from + " into itself (" + to + ")", to);
  }
  if (::mkdir(target.c_str(), 0700) != 0) {
    return tl::unexpected(io_error(target, "cannot create", last_error()));
  }
  CopyJob job{keep, link_dirs, 0};
  struct stat target_st {};
  if (::stat(target.c_str(), &target_st) != 0) {
    const std::error_code stat_error = last_error();
    fs::remove(target, ec);
    return tl::unexpected(io_error(target, "cannot stat", stat_error));
  }
  job.target_device = target_st.st_dev;
  Status status = copy_entries(source, target, job, "", false);
  if (status) {
    status = copy_metadata(target, source_st, false);
  }
  if (!status) {
    // Only what this call created: `to` did not exist before it.
    fs::remove_all(target, ec);
  }
  return status;
}

} // namespace vmoodle::platform
