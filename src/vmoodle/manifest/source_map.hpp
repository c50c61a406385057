#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "vmoodle/util/error.hpp"

namespace vmoodle::manifest {

/// One step of a path into the manifest: a mapping key or a list index.
struct PathSegment {
  std::string key;
  int index = -1; ///< >= 0 for a list item

  static PathSegment item(int i) { return PathSegment{{}, i}; }
  static PathSegment field(std::string name) { return PathSegment{std::move(name), -1}; }
  bool is_index() const { return index >= 0; }
};

using JsonPath = std::vector<PathSegment>;

/// `hosts[2].database`, `servers.db1.port`, `servers["odd name"]`; empty for the root.
std::string render_path(const JsonPath& path);

/// Where each value of the manifest was written. A mapping value is located at its
/// key (the path names the key), a list item at the item itself.
class SourceMap {
public:
  explicit SourceMap(std::string file = {}) : m_file(std::move(file)) {}

  /// Records the 0-based yaml-cpp position of `path`.
  void add(const JsonPath& path, int line0, int column0);

  /// Location of `path`, or of its nearest recorded ancestor (with `path` still
  /// rendered), so that an error is always placed somewhere.
  Location at(const JsonPath& path) const;
  /// Whether `path` itself was recorded.
  bool has(const JsonPath& path) const;
  /// Marks `path` as already reported: later stages stay silent about it.
  void suppress(const JsonPath& path) { m_suppressed.insert(render_path(path)); }
  bool suppressed(const JsonPath& path) const { return m_suppressed.count(render_path(path)) > 0; }
  const std::string& file() const { return m_file; }

private:
  struct Position {
    int line = 0;   // 1-based
    int column = 0; // 1-based
  };
  std::string m_file;
  std::map<std::string, Position> m_positions;
  std::set<std::string> m_suppressed;
};

} // namespace vmoodle::manifest
