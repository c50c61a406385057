// Every input a fuzzer (fuzz/, scripts/fuzz.sh) found to break a property, kept in
// fuzz/regressions/<target>/ and replayed here with the same checks as the fuzz target,
// so that the bug stays fixed without a fuzzing run.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/fakes/memory_input_stream.hpp"
#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/manifest/utf8.hpp"
#include "vmoodle/sql/dump_reader.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;

/// The files of fuzz/<kind>/<target>/ (kind: regressions, corpus).
std::vector<fs::path> regressions(const std::string& target,
                                  const std::string& kind = "regressions") {
  std::vector<fs::path> out;
  const fs::path dir = fs::path(VMOODLE_SOURCE_DIR) / "fuzz" / kind / target;
  if (fs::exists(dir)) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool has_raw_control(const std::string& text) {
  return std::any_of(text.begin(), text.end(), [](char ch) {
    return ch == '\n' || ch == '\r' || ch == '\x1b' || ch == '\0';
  });
}

TEST(FuzzRegressions, ManifestErrorsStayPrintableAndLocated) {
  const auto files = regressions("manifest");
  ASSERT_FALSE(files.empty()) << "fuzz/regressions/manifest/ is empty";
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string text = read_bytes(file);
    auto fleet = manifest::load(text, "/fuzz/fleet.yaml");
    ASSERT_FALSE(fleet.has_value());
    const Error& error = fleet.error();
    EXPECT_EQ(error.kind, ErrorKind::manifest);
    ASSERT_FALSE(error.causes.empty());
    EXPECT_LT(error.render().size(), 16 * text.size() + 64 * 1024);
    for (const auto& cause : error.causes) {
      EXPECT_FALSE(has_raw_control(cause.where + cause.message)) << cause.render();
      EXPECT_EQ(manifest::invalid_utf8_offset(cause.where + cause.message), std::nullopt)
          << cause.render();
    }
  }
}

TEST(FuzzRegressions, YamlEscapeErrorsShowTheByteEscaped) {
  auto fleet = manifest::load("version: 1\nname: \"a\\\x1b\"\n", "/f.yaml");
  ASSERT_FALSE(fleet.has_value());
  EXPECT_NE(fleet.error().render().find("unknown escape character: \\x1b"), std::string::npos)
      << fleet.error().render();
}

// The dump reader: the same statements, lines and error whatever the chunk size (first
// byte of each file + 1), over the regressions and the seed corpus.
TEST(FuzzRegressions, DumpReaderIgnoresChunkBoundaries) {
  auto files = regressions("dump_reader");
  const auto seeds = regressions("dump_reader", "corpus");
  ASSERT_FALSE(seeds.empty()) << "fuzz/corpus/dump_reader/ is empty";
  files.insert(files.end(), seeds.begin(), seeds.end());
  for (const auto& file : files) {
    SCOPED_TRACE(file.filename().string());
    const std::string bytes = read_bytes(file);
    ASSERT_FALSE(bytes.empty());
    const std::string dump = bytes.substr(1);
    auto read_all = [&](std::vector<std::size_t> chunks) {
      MemoryInputStream stream(dump, std::move(chunks));
      sql::DumpReader reader(stream);
      std::vector<std::string> out;
      for (std::size_t guard = 0; guard <= dump.size() + 1; ++guard) {
        auto next = reader.next();
        if (!next) {
          out.push_back("error: " + next.error().render());
          break;
        }
        if (!*next) {
          break;
        }
        out.push_back(std::to_string(reader.line()) + ": " + **next);
      }
      return out;
    };
    EXPECT_EQ(read_all({static_cast<unsigned char>(bytes[0]) + 1u}), read_all({}));
  }
}

} // namespace
} // namespace vmoodle::testing
