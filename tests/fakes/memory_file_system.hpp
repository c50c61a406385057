#pragma once

#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "vmoodle/platform/filesystem.hpp"

namespace vmoodle::testing {

/// An in-memory FileSystem (after ninja's VirtualFileSystem): directories, files
/// and symlinks by absolute path, plus a log of what was written and removed.
/// Safe to share between threads (apply's executor); tests read `written`,
/// `removed` and `reads` once the code under test has returned.
class MemoryFileSystem : public platform::FileSystem {
public:
  struct Node {
    enum class Kind { dir, file, symlink } kind = Kind::file;
    std::string content; ///< file content or symlink target
  };

  void add_dir(const std::string& path) {
    std::lock_guard lock(m_mutex);
    m_nodes[path] = {Node::Kind::dir, ""};
    add_parents(path);
  }
  void add_file(const std::string& path, const std::string& content) {
    std::lock_guard lock(m_mutex);
    m_nodes[path] = {Node::Kind::file, content};
    add_parents(path);
  }
  void add_symlink(const std::string& path, const std::string& target) {
    std::lock_guard lock(m_mutex);
    m_nodes[path] = {Node::Kind::symlink, target};
    add_parents(path);
  }
  bool has(const std::string& path) const { return m_nodes.count(path) != 0; }
  std::string content(const std::string& path) const {
    std::lock_guard lock(m_mutex);
    auto it = m_nodes.find(path);
    return it == m_nodes.end() ? "" : it->second.content;
  }

  Result<platform::FileStat> stat(const std::string& path) override {
    std::lock_guard lock(m_mutex);
    platform::FileStat st;
    auto it = m_nodes.find(path);
    if (const auto slash = path.rfind('/');
        it == m_nodes.end() && slash != std::string::npos && slash > 0) {
      // Like lstat: symlinks among the parents are followed, the last one is not.
      const std::string parent = path.substr(0, slash);
      if (auto real = canonical(parent); real && *real != parent) {
        it = m_nodes.find(*real + path.substr(slash));
      }
    }
    if (it != m_nodes.end()) {
      st.exists = true;
      st.is_dir = it->second.kind == Node::Kind::dir;
      st.is_symlink = it->second.kind == Node::Kind::symlink;
    }
    return st;
  }
  Result<std::string> read_file(const std::string& path) override {
    std::lock_guard lock(m_mutex);
    auto it = m_nodes.find(path);
    if (it == m_nodes.end() || it->second.kind != Node::Kind::file) {
      return fail(ErrorKind::io, "no such file", path);
    }
    ++reads;
    return it->second.content;
  }
  Result<std::unique_ptr<platform::InputStream>> open(const std::string& path) override {
    VM_TRY_ASSIGN(auto text, read_file(path));
    return std::unique_ptr<platform::InputStream>(new Stream(std::move(text)));
  }
  Result<std::vector<std::string>> list_dir(const std::string& path) override {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> names;
    const std::string prefix = path + "/";
    for (const auto& [name, node] : m_nodes) {
      if (name.rfind(prefix, 0) == 0 && name.find('/', prefix.size()) == std::string::npos) {
        names.push_back(name.substr(prefix.size()));
      }
    }
    return names;
  }
  Result<std::string> canonical(const std::string& path) override {
    std::lock_guard lock(m_mutex);
    // Resolves symlinks component by component (absolute targets only).
    std::string out;
    std::size_t start = 1;
    while (start <= path.size()) {
      auto end = path.find('/', start);
      if (end == std::string::npos) {
        end = path.size();
      }
      out += "/" + path.substr(start, end - start);
      auto it = m_nodes.find(out);
      if (it == m_nodes.end()) {
        return fail(ErrorKind::io, "no such path", path);
      }
      if (it->second.kind == Node::Kind::symlink) {
        out = it->second.content;
      }
      start = end + 1;
    }
    return out;
  }

  Status make_dirs(const std::string& path) override {
    std::lock_guard lock(m_mutex);
    if (!has(path)) {
      add_dir(path);
    }
    return {};
  }
  Status write_file(const std::string& path, const std::string& content) override {
    std::lock_guard lock(m_mutex);
    written.push_back(path);
    add_file(path, content);
    return {};
  }
  Status copy_tree(const std::string& from, const std::string& to) override {
    return copy_tree_filtered(from, to, [](const std::string&) { return true; });
  }
  Status copy_tree_filtered(const std::string& from, const std::string& to,
                            const platform::CopyFilter& keep) override {
    std::lock_guard lock(m_mutex);
    VM_TRY(injected("copy", from));
    VM_TRY(injected("copy", to));
    if (has(to)) {
      return fail(ErrorKind::io, "target exists", to);
    }
    if (auto it = m_nodes.find(from); it == m_nodes.end() || it->second.kind != Node::Kind::dir) {
      return fail(ErrorKind::io, "cannot copy " + from + ": not a directory", from);
    }
    std::vector<std::pair<std::string, Node>> copies;
    std::vector<std::string> dropped; // rejected directories: their content goes too
    for (const auto& [name, node] : m_nodes) {
      if (name == from) {
        copies.emplace_back(to, node);
      } else if (name.rfind(from + "/", 0) == 0) {
        const std::string relative = name.substr(from.size() + 1);
        const bool below_dropped =
            std::any_of(dropped.begin(), dropped.end(),
                        [&](const std::string& dir) { return relative.rfind(dir + "/", 0) == 0; });
        if (below_dropped || !keep(relative)) {
          dropped.push_back(relative);
          continue;
        }
        copies.emplace_back(to + "/" + relative, node);
      }
    }
    for (auto& [name, node] : copies) {
      m_nodes[name] = node;
    }
    add_parents(to);
    return {};
  }
  /// Copies like copy_tree (memory has no inodes) and records in `linked` the files
  /// below `link_dirs` that the real one would hard-link.
  Status copy_tree_linking(const std::string& from, const std::string& to,
                           const std::vector<std::string>& link_dirs) override {
    std::lock_guard lock(m_mutex);
    VM_TRY(copy_tree(from, to));
    for (const auto& [name, node] : m_nodes) {
      if (node.kind != Node::Kind::file || name.rfind(from + "/", 0) != 0) {
        continue;
      }
      const std::string relative = name.substr(from.size() + 1);
      const bool below = std::any_of(link_dirs.begin(), link_dirs.end(), [&](const auto& dir) {
        return relative.rfind(dir + "/", 0) == 0;
      });
      if (below) {
        linked.push_back(to + "/" + relative);
      }
    }
    return {};
  }
  Result<std::unique_ptr<platform::OutputStream>> create(const std::string& path) override {
    std::lock_guard lock(m_mutex);
    VM_TRY(injected("create", path));
    if (has(path)) {
      return fail(ErrorKind::io, "cannot create " + path + ": it exists", path);
    }
    written.push_back(path);
    add_file(path, "");
    return std::unique_ptr<platform::OutputStream>(new Output(*this, path));
  }
  Status make_private_dir(const std::string& path) override {
    std::lock_guard lock(m_mutex);
    VM_TRY(injected("mkdir", path));
    if (has(path)) {
      return fail(ErrorKind::io, "cannot create " + path + ": it exists", path);
    }
    if (!has(path.substr(0, path.rfind('/')))) {
      return fail(ErrorKind::io, "cannot create " + path + ": no parent", path);
    }
    add_dir(path);
    return {};
  }
  Status rename(const std::string& from, const std::string& to) override {
    std::lock_guard lock(m_mutex);
    VM_TRY(injected("rename", from));
    VM_TRY(injected("rename", to));
    if (!has(from)) {
      return fail(ErrorKind::io, "cannot rename " + from + ": no such path", from);
    }
    std::vector<std::pair<std::string, Node>> moved;
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
      if (it->first == from || it->first.rfind(from + "/", 0) == 0) {
        moved.emplace_back(to + it->first.substr(from.size()), it->second);
        it = m_nodes.erase(it);
      } else {
        ++it;
      }
    }
    for (auto& [name, node] : moved) {
      m_nodes[name] = node;
    }
    return {};
  }
  Status sync_file_system(const std::string& path) override {
    std::lock_guard lock(m_mutex);
    VM_TRY(injected("sync", path));
    synced.push_back(path);
    return {};
  }
  Status remove_file(const std::string& path) override {
    std::lock_guard lock(m_mutex);
    removed.push_back(path);
    m_nodes.erase(path);
    return {};
  }
  Status remove_tree(const std::string& path, const std::vector<std::string>& roots) override {
    std::lock_guard lock(m_mutex);
    const bool allowed = std::any_of(roots.begin(), roots.end(), [&](const std::string& root) {
      return path.size() > root.size() + 1 && path.rfind(root + "/", 0) == 0;
    });
    if (!allowed) {
      return fail(ErrorKind::unsafe, "outside dataroot_roots", path);
    }
    // Like the real one: a symlink is never removed through, nor is a path whose
    // parent resolves outside the roots.
    if (auto it = m_nodes.find(path);
        it != m_nodes.end() && it->second.kind == Node::Kind::symlink) {
      return fail(ErrorKind::unsafe, "refusing to remove " + path + ": it is a symlink", path);
    }
    if (auto parent = canonical(path.substr(0, path.rfind('/')))) {
      const bool inside = std::any_of(roots.begin(), roots.end(), [&](const std::string& root) {
        const std::string real = canonical(root).value_or(root);
        return *parent == real || parent->rfind(real + "/", 0) == 0;
      });
      if (!inside) {
        return fail(ErrorKind::unsafe,
                    "refusing to remove " + path + ": its parent resolves to " + *parent, path);
      }
    }
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
      if (it->first == path || it->first.rfind(path + "/", 0) == 0) {
        if (it->first == path) {
          removed.push_back(path);
        }
        it = m_nodes.erase(it);
      } else {
        ++it;
      }
    }
    return {};
  }

  std::vector<std::string> written;
  std::vector<std::string> removed;
  std::vector<std::string> synced; ///< sync_file_system calls, in order
  /// Targets of copy_tree_linking that a real file system would hard-link.
  std::vector<std::string> linked;
  int reads = 0;
  /// Operations on a path containing one of these fail (to test error paths): a plain
  /// needle fails create, mkdir (make_private_dir), rename and copy (either path); one
  /// written `op:needle` fails only that operation.
  std::vector<std::string> failing;

private:
  class Output : public platform::OutputStream {
  public:
    Output(MemoryFileSystem& files, std::string path) : m_files(files), m_path(std::move(path)) {}
    Status write(std::string_view data) override {
      std::lock_guard lock(m_files.m_mutex);
      auto it = m_files.m_nodes.find(m_path);
      if (m_closed || it == m_files.m_nodes.end()) {
        return fail(ErrorKind::io, "cannot write " + m_path, m_path);
      }
      it->second.content.append(data);
      return {};
    }
    Status close() override {
      m_closed = true;
      return {};
    }

  private:
    MemoryFileSystem& m_files;
    std::string m_path;
    bool m_closed = false;
  };

  Status injected(const std::string& op, const std::string& path) const {
    for (const auto& entry : failing) {
      std::string needle = entry;
      if (auto colon = entry.find(':'); colon != std::string::npos) {
        if (entry.compare(0, colon, op) != 0) {
          continue;
        }
        needle = entry.substr(colon + 1);
      }
      if (path.find(needle) != std::string::npos) {
        return fail(ErrorKind::io, "injected failure", path);
      }
    }
    return {};
  }

  class Stream : public platform::InputStream {
  public:
    explicit Stream(std::string text) : m_text(std::move(text)) {}
    Result<std::size_t> read(char* buffer, std::size_t size) override {
      const std::size_t n = std::min(size, m_text.size() - m_pos);
      std::memcpy(buffer, m_text.data() + m_pos, n);
      m_pos += n;
      return n;
    }

  private:
    std::string m_text;
    std::size_t m_pos = 0;
  };

  void add_parents(const std::string& path) {
    for (auto slash = path.rfind('/'); slash != std::string::npos && slash > 0;
         slash = path.rfind('/', slash - 1)) {
      const std::string parent = path.substr(0, slash);
      if (m_nodes.count(parent) == 0) {
        m_nodes[parent] = {Node::Kind::dir, ""};
      }
    }
  }

  // Recursive: public members call each other (make_dirs → has, add_dir).
  mutable std::recursive_mutex m_mutex;
  std::map<std::string, Node> m_nodes;
};

} // namespace vmoodle::testing
