#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace vmoodle::testing {

/// Writes `content` to `path` byte for byte, creating its parent directories.
inline void write_file(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

/// The bytes of `path`; empty when it cannot be read.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace vmoodle::testing
