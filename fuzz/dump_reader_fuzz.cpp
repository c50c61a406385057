// libFuzzer target: sql::DumpReader over arbitrary bytes. The first input byte picks
// the size of the chunks the stream hands out (1..256 bytes); the rest is the dump. The
// reader must give the same statements, lines and error, whatever the chunk size: it is
// read once in 1-MiB reads and once in small chunks, and the two runs are compared.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "vmoodle/sql/dump_reader.hpp"

namespace {

class ChunkedStream : public vmoodle::platform::InputStream {
public:
  ChunkedStream(std::string_view data, std::size_t chunk) : m_data(data), m_chunk(chunk) {}

  vmoodle::Result<std::size_t> read(char* buffer, std::size_t size) override {
    const std::size_t count = std::min({size, m_chunk, m_data.size() - m_offset});
    std::memcpy(buffer, m_data.data() + m_offset, count);
    m_offset += count;
    return count;
  }

private:
  std::string_view m_data;
  std::size_t m_chunk;
  std::size_t m_offset = 0;
};

struct Outcome {
  std::vector<std::string> statements;
  std::vector<std::size_t> lines;
  std::optional<std::string> error;

  bool operator==(const Outcome&) const = default;
};

Outcome read_all(std::string_view dump, std::size_t chunk) {
  ChunkedStream stream(dump, chunk);
  vmoodle::sql::DumpReader reader(stream);
  Outcome out;
  // A statement is at least one byte of input: more than that many means a loop.
  for (std::size_t guard = 0; guard <= dump.size() + 1; ++guard) {
    auto next = reader.next();
    if (!next) {
      out.error = next.error().render();
      // Every later call repeats the error.
      auto again = reader.next();
      if (again || again.error().render() != *out.error) {
        __builtin_trap();
      }
      return out;
    }
    if (!*next) {
      return out;
    }
    if (next->value().empty()) {
      __builtin_trap(); // empty statements are skipped, never returned
    }
    out.statements.push_back(std::move(**next));
    out.lines.push_back(reader.line());
  }
  __builtin_trap(); // more statements than bytes
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::size_t chunk = static_cast<std::size_t>(data[0]) + 1;
  const std::string_view dump(reinterpret_cast<const char*>(data) + 1, size - 1);
  const Outcome whole = read_all(dump, std::size_t{1} << 20);
  const Outcome chunked = read_all(dump, chunk);
  if (!(whole == chunked)) {
    __builtin_trap();
  }
  return 0;
}
