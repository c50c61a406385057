#pragma once

#include <algorithm>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "vmoodle/platform/filesystem.hpp"

namespace vmoodle::testing {

/// An in-memory, read-only file tree for unit tests: files, directories and
/// symlinks by absolute path. Parent directories are created implicitly.
class MemoryFileReader : public platform::FileReader {
public:
  /// Adds (or replaces) the file `path` holding `content`.
  void add_file(const std::string& path, std::string content) {
    add_parents(path);
    m_files[path] = std::move(content);
  }
  void add_dir(const std::string& path) {
    add_parents(path);
    m_dirs.insert(path);
  }
  /// Adds a symlink at `path` pointing to `target` (absolute, or relative to its directory).
  void add_symlink(const std::string& path, std::string target) {
    add_parents(path);
    m_symlinks[path] = std::move(target);
  }
  /// Makes every operation on `path` fail with `error`.
  void fail_on(const std::string& path, Error error) { m_failures[path] = std::move(error); }
  /// Paths passed to read_file() or open(), in call order.
  const std::vector<std::string>& reads() const { return m_reads; }

  Result<platform::FileStat> stat(const std::string& path) override {
    if (auto failure = failure_for(path)) {
      return tl::unexpected(*failure);
    }
    platform::FileStat out;
    out.is_symlink = m_symlinks.count(path) > 0;
    out.is_dir = m_dirs.count(path) > 0;
    out.exists = out.is_symlink || out.is_dir || m_files.count(path) > 0;
    return out;
  }

  Result<std::string> read_file(const std::string& path) override {
    m_reads.push_back(path);
    if (auto failure = failure_for(path)) {
      return tl::unexpected(*failure);
    }
    auto real = canonical(path);
    if (!real) {
      return tl::unexpected(real.error());
    }
    auto it = m_files.find(*real);
    if (it == m_files.end()) {
      return tl::unexpected(io_error("not a regular file", path));
    }
    return it->second;
  }

  Result<std::unique_ptr<platform::InputStream>> open(const std::string& path) override {
    auto content = read_file(path);
    if (!content) {
      return tl::unexpected(content.error());
    }
    return std::unique_ptr<platform::InputStream>(new StringStream(std::move(*content)));
  }

  Result<std::vector<std::string>> list_dir(const std::string& path) override {
    if (auto failure = failure_for(path)) {
      return tl::unexpected(*failure);
    }
    auto real = canonical(path);
    if (!real) {
      return tl::unexpected(real.error());
    }
    if (m_dirs.count(*real) == 0) {
      return tl::unexpected(io_error("not a directory", path));
    }
    std::set<std::string> names;
    const std::string prefix = *real == "/" ? "/" : *real + "/";
    auto collect = [&](const std::string& entry) {
      if (entry.size() > prefix.size() && entry.compare(0, prefix.size(), prefix) == 0 &&
          entry.find('/', prefix.size()) == std::string::npos) {
        names.insert(entry.substr(prefix.size()));
      }
    };
    for (const auto& [file, ignored] : m_files) {
      collect(file);
    }
    for (const auto& dir : m_dirs) {
      collect(dir);
    }
    for (const auto& [link, ignored] : m_symlinks) {
      collect(link);
    }
    return std::vector<std::string>(names.begin(), names.end());
  }

  Result<std::string> canonical(const std::string& path) override {
    if (auto failure = failure_for(path)) {
      return tl::unexpected(*failure);
    }
    std::vector<std::string> pending = split(path);
    std::reverse(pending.begin(), pending.end());
    std::vector<std::string> done;
    int links_followed = 0;
    while (!pending.empty()) {
      std::string part = pending.back();
      pending.pop_back();
      if (part.empty() || part == ".") {
        continue;
      }
      if (part == "..") {
        if (!done.empty()) {
          done.pop_back();
        }
        continue;
      }
      done.push_back(part);
      const std::string current = join(done);
      auto link = m_symlinks.find(current);
      if (link == m_symlinks.end()) {
        continue;
      }
      if (++links_followed > 40) {
        return tl::unexpected(io_error("too many levels of symbolic links", path));
      }
      done.pop_back();
      if (!link->second.empty() && link->second.front() == '/') {
        done.clear();
      }
      auto target = split(link->second);
      for (auto it = target.rbegin(); it != target.rend(); ++it) {
        pending.push_back(*it);
      }
    }
    const std::string out = join(done);
    if (m_files.count(out) == 0 && m_dirs.count(out) == 0) {
      return tl::unexpected(io_error("no such file or directory", path));
    }
    return out;
  }

private:
  class StringStream : public platform::InputStream {
  public:
    explicit StringStream(std::string content) : m_content(std::move(content)) {}
    Result<std::size_t> read(char* buffer, std::size_t size) override {
      const std::size_t count = std::min(size, m_content.size() - m_offset);
      std::memcpy(buffer, m_content.data() + m_offset, count);
      m_offset += count;
      return count;
    }

  private:
    std::string m_content;
    std::size_t m_offset = 0;
  };

  static Error io_error(const std::string& message, const std::string& path) {
    return Error{ErrorKind::io, message, path, {}, {}};
  }

  static std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> parts;
    std::string current;
    for (char c : path) {
      if (c == '/') {
        parts.push_back(current);
        current.clear();
      } else {
        current += c;
      }
    }
    parts.push_back(current);
    return parts;
  }

  static std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) {
      out += "/" + part;
    }
    return out.empty() ? "/" : out;
  }

  void add_parents(const std::string& path) {
    auto slash = path.rfind('/');
    while (slash != std::string::npos && slash > 0) {
      m_dirs.insert(path.substr(0, slash));
      slash = path.rfind('/', slash - 1);
    }
    m_dirs.insert("/");
  }

  const Error* failure_for(const std::string& path) const {
    auto it = m_failures.find(path);
    return it == m_failures.end() ? nullptr : &it->second;
  }

  std::map<std::string, std::string> m_files;
  std::set<std::string> m_dirs;
  std::map<std::string, std::string> m_symlinks;
  std::map<std::string, Error> m_failures;
  std::vector<std::string> m_reads;
};

} // namespace vmoodle::testing
