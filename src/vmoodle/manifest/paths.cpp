#include "vmoodle/manifest/paths.hpp"

#include <vector>

namespace vmoodle::manifest {

namespace {

std::vector<std::string> split(const std::string& path) {
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

} // namespace

std::optional<std::string> path_problem(const std::string& path) {
  if (path.empty()) {
    return "the path is empty";
  }
  if (path.find('\0') != std::string::npos) {
    return "the path contains a NUL byte";
  }
  for (char c : path) {
    // A newline or escape in a path would forge lines in plans and logs, and no
    // moodledata or socket path needs one.
    if ((static_cast<unsigned char>(c) < 0x20) || c == '\x7f') {
      return "the path contains a control character (newline, tab...)";
    }
  }
  if (path == "/") {
    return std::nullopt;
  }
  const bool absolute = path.front() == '/';
  if (path.back() == '/') {
    return "the path must not end with `/`";
  }
  const auto parts = split(absolute ? path.substr(1) : path);
  for (const auto& part : parts) {
    if (part.empty()) {
      return "the path must not contain `//`";
    }
    if (part == "." || part == "..") {
      return "the path must not contain `" + part + "` segments";
    }
  }
  return std::nullopt;
}

std::string normalise_lexically(const std::string& path) {
  const bool absolute = !path.empty() && path.front() == '/';
  std::vector<std::string> kept;
  for (const auto& part : split(path)) {
    if (part.empty() || part == ".") {
      continue;
    }
    if (part == "..") {
      if (!kept.empty() && kept.back() != "..") {
        kept.pop_back();
      } else if (!absolute) {
        kept.push_back(part);
      }
      continue;
    }
    kept.push_back(part);
  }
  std::string out = absolute ? "/" : "";
  for (std::size_t i = 0; i < kept.size(); ++i) {
    out += (i == 0 ? "" : "/") + kept[i];
  }
  return out.empty() ? "." : out;
}

std::optional<std::string> resolve_path(const std::string& path, const std::string& base_dir) {
  if (!path.empty() && path.front() == '/') {
    return path;
  }
  if (base_dir.empty()) {
    return std::nullopt;
  }
  const std::string base = normalise_lexically(base_dir);
  return base == "/" ? "/" + path : base + "/" + path;
}

bool is_strictly_under(const std::string& path, const std::string& root) {
  if (root == "/") {
    return path.size() > 1 && path.front() == '/';
  }
  return path.size() > root.size() + 1 && path.compare(0, root.size(), root) == 0 &&
         path[root.size()] == '/';
}

std::string parent_directory(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) {
    return {};
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

} // namespace vmoodle::manifest
