#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vmoodle/util/error.hpp"

namespace vmoodle::platform {

/// An owned file descriptor, closed when it goes.
class UniqueFd {
public:
  explicit UniqueFd(int fd = -1) : m_fd(fd) {}
  ~UniqueFd() { reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  UniqueFd(UniqueFd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
  }
  int get() const { return m_fd; }
  bool valid() const { return m_fd >= 0; }

private:
  void reset();
  int m_fd;
};

/// One name in a directory and its `d_type` (DT_REG, DT_DIR, …, or DT_UNKNOWN when the
/// file system does not say: then ask fstatat).
struct DirEntry {
  std::string name;
  unsigned char type;
};

/// The entries of the open directory `dir_fd` but `.` and `..`, in no particular order;
/// `dir_path` names it in errors. `dir_fd` stays open and is not moved.
Result<std::vector<DirEntry>> list_dir_fd(int dir_fd, const std::string& dir_path);

/// `what path: strerror(error_number)` as an io error about `path`.
Error errno_error(const std::string& path, const std::string& what, int error_number);

/// Writes all of `content` to `fd`, again after a short write or EINTR; `path` names the
/// file in the error.
Status write_all(int fd, std::string_view content, const std::string& path);

} // namespace vmoodle::platform
