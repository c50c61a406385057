#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "vmoodle/platform/filesystem.hpp"

namespace vmoodle::testing {

/// An InputStream over a string. Each read returns at most the next entry of
/// `chunk_sizes` (cycled; empty = as much as asked), so tests can place chunk boundaries
/// anywhere. `fail_at(offset)` makes the read reaching `offset` fail instead.
class MemoryInputStream : public platform::InputStream {
public:
  explicit MemoryInputStream(std::string data, std::vector<std::size_t> chunk_sizes = {})
      : m_data(std::move(data)), m_chunk_sizes(std::move(chunk_sizes)) {}

  void fail_at(std::size_t offset) { m_fail_at = offset; }

  Result<std::size_t> read(char* buffer, std::size_t size) override {
    ++m_reads;
    std::size_t count = std::min(size, m_data.size() - m_offset);
    if (!m_chunk_sizes.empty()) {
      count = std::min(count, m_chunk_sizes[m_next_chunk++ % m_chunk_sizes.size()]);
    }
    if (m_fail_at && m_offset + count >= *m_fail_at && m_offset < m_data.size()) {
      return fail(ErrorKind::io, "read failed (injected)", "memory stream");
    }
    std::memcpy(buffer, m_data.data() + m_offset, count);
    m_offset += count;
    return count;
  }

  /// How many times read() was called.
  std::size_t reads() const { return m_reads; }

private:
  std::string m_data;
  std::vector<std::size_t> m_chunk_sizes;
  std::size_t m_next_chunk = 0;
  std::size_t m_offset = 0;
  std::size_t m_reads = 0;
  std::optional<std::size_t> m_fail_at;
};

} // namespace vmoodle::testing
