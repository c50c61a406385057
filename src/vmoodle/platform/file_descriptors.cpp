#include "vmoodle/platform/file_descriptors.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

namespace vmoodle::platform {

void UniqueFd::reset() {
  if (m_fd >= 0) {
    ::close(m_fd);
    m_fd = -1;
  }
}

Error errno_error(const std::string& path, const std::string& what, int error_number) {
  return Error{ErrorKind::io, what + " " + path + ": " + std::strerror(error_number), path, {}, {}};
}

Status write_all(int fd, std::string_view content, const std::string& path) {
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return tl::unexpected(errno_error(path, "cannot write", errno));
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  return {};
}

Result<std::vector<DirEntry>> list_dir_fd(int dir_fd, const std::string& dir_path) {
  // fdopendir takes the descriptor it is given: a duplicate leaves the caller's open.
  const int listing_fd = ::dup(dir_fd);
  DIR* listing = listing_fd < 0 ? nullptr : ::fdopendir(listing_fd);
  if (listing == nullptr) {
    const int error_number = errno;
    if (listing_fd >= 0) {
      ::close(listing_fd);
    }
    return tl::unexpected(errno_error(dir_path, "cannot list", error_number));
  }
  std::vector<DirEntry> entries;
  errno = 0;
  while (const dirent* entry = ::readdir(listing)) {
    const std::string_view name = entry->d_name;
    if (name != "." && name != "..") {
      entries.push_back({std::string(name), entry->d_type});
    }
  }
  const int error_number = errno;
  ::closedir(listing);
  if (error_number != 0) {
    return tl::unexpected(errno_error(dir_path, "cannot list", error_number));
  }
  return entries;
}

} // namespace vmoodle::platform
