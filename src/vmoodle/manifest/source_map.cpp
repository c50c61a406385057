#include "vmoodle/manifest/source_map.hpp"

#include <nlohmann/json.hpp>

namespace vmoodle::manifest {

namespace {

bool is_plain_key(const std::string& key) {
  if (key.empty()) {
    return false;
  }
  for (char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

} // namespace

std::string render_path(const JsonPath& path) {
  std::string out;
  for (const auto& segment : path) {
    if (segment.is_index()) {
      out += "[" + std::to_string(segment.index) + "]";
    } else if (is_plain_key(segment.key)) {
      out += out.empty() ? segment.key : "." + segment.key;
    } else {
      // Keys with dots, spaces or brackets are quoted so the path stays unambiguous.
      out += "[" + nlohmann::json(segment.key).dump() + "]";
    }
  }
  return out;
}

void SourceMap::add(const JsonPath& path, int line0, int column0) {
  if (line0 < 0 || column0 < 0) {
    return;
  }
  m_positions[render_path(path)] = Position{line0 + 1, column0 + 1};
}

bool SourceMap::has(const JsonPath& path) const {
  return m_positions.count(render_path(path)) > 0;
}

Location SourceMap::at(const JsonPath& path) const {
  Location loc;
  loc.file = m_file;
  loc.path = render_path(path);
  JsonPath probe = path;
  while (true) {
    auto it = m_positions.find(render_path(probe));
    if (it != m_positions.end()) {
      loc.line = it->second.line;
      loc.column = it->second.column;
      return loc;
    }
    if (probe.empty()) {
      return loc;
    }
    probe.pop_back();
  }
}

} // namespace vmoodle::manifest
