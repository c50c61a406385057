// The manifests shipped in examples/ (and installed by the package) are what operators
// copy first: each must load without an error.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "vmoodle/manifest/manifest.hpp"

namespace vmoodle::manifest {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Examples, EveryExampleManifestLoads) {
  int seen = 0;
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(VMOODLE_SOURCE_DIR) / "examples")) {
    if (entry.path().filename() != "fleet.yaml") {
      continue;
    }
    ++seen;
    auto fleet =
        load(read_text(entry.path()), entry.path().string(), entry.path().parent_path().string());
    std::string problems;
    if (!fleet) {
      problems = fleet.error().message;
      for (const auto& cause : fleet.error().causes) {
        problems += "\n" + cause.where + ": " + cause.message;
      }
    }
    EXPECT_TRUE(fleet.has_value()) << entry.path() << "\n" << problems;
  }
  EXPECT_GE(seen, 2) << "examples/fleet.yaml and examples/quickstart/fleet.yaml";
}

} // namespace
} // namespace vmoodle::manifest
