// Every manifest of the hostile corpus (tests/hostile/manifests/, written by
// tests/hostile/generate.py) goes through manifest::load: it must be refused with the
// expected message at the expected place, or, for hostile-looking data, kept verbatim;
// never crash, never hang.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "vmoodle/manifest/manifest.hpp"

namespace vmoodle::manifest {
namespace {

namespace fs = std::filesystem;

// Generous: a watchdog for hangs (alias bombs), not a performance assertion. The loader
// takes 1.6 s on 211-many-bad-hosts (20,002 hosts) in a Release build, 8–11 s under the
// sanitizers.
#ifdef VMOODLE_SANITIZED
constexpr auto k_watchdog = std::chrono::seconds(40);
#else
constexpr auto k_watchdog = std::chrono::seconds(10);
#endif

fs::path corpus_dir() {
  return fs::path(VMOODLE_SOURCE_DIR) / "tests" / "hostile" / "manifests";
}

std::string read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Expectation {
  bool accept = false;
  std::string error;      ///< substring of the rendered error
  std::string path;       ///< where the error is located; empty = the file as a whole
  std::string value_path; ///< accept: which field to compare
  std::string value;      ///< accept: its exact expected value
};

Expectation read_expectation(const fs::path& path) {
  Expectation out;
  std::istringstream in(read_all(path));
  std::string line;
  while (std::getline(in, line)) {
    if (line == "accept") {
      out.accept = true;
    } else if (line.rfind("error: ", 0) == 0) {
      out.error = line.substr(7);
    } else if (line.rfind("path: ", 0) == 0 || line == "path:") {
      out.path = line.size() > 6 ? line.substr(6) : "";
    } else if (line.rfind("value: ", 0) == 0) {
      const auto rest = line.substr(7);
      const auto eq = rest.find(" = ");
      out.value_path = rest.substr(0, eq);
      out.value = nlohmann::json::parse(rest.substr(eq + 3)).get<std::string>();
    }
  }
  return out;
}

struct Case {
  std::string name;
  fs::path manifest;
  fs::path expect;
};

// gtest prints the parameter of a failed test; the name says it all.
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.name;
}

std::vector<Case> corpus() {
  std::vector<Case> out;
  if (!fs::is_directory(corpus_dir())) {
    return out;
  }
  for (const auto& entry : fs::directory_iterator(corpus_dir())) {
    if (entry.path().extension() == ".yaml") {
      auto expect = entry.path();
      expect.replace_extension(".expect");
      out.push_back(Case{entry.path().stem().string(), entry.path(), expect});
    }
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.name < b.name; });
  return out;
}

std::string field(const model::Fleet& fleet, const std::string& path) {
  if (path == "hosts[0].name") {
    return fleet.hosts.at(0).name;
  }
  if (path == "hosts[0].description") {
    return fleet.hosts.at(0).description;
  }
  if (path == "hosts[0].dataroot") {
    return fleet.hosts.at(0).dataroot;
  }
  ADD_FAILURE() << "test bug: no accessor for " << path;
  return {};
}

// A cause's `where` is `file:line:col: path` or `file: path`; the path part, exactly.
std::string path_of(const std::string& where, const std::string& file) {
  std::string rest = where.substr(std::min(where.size(), file.size()));
  const auto sep = rest.find(": ");
  if (sep == std::string::npos) {
    return {};
  }
  return rest.substr(sep + 2);
}

bool has_position(const std::string& where, const std::string& file) {
  return where.size() > file.size() + 1 && where.compare(0, file.size(), file) == 0 &&
         where[file.size()] == ':' &&
         std::isdigit(static_cast<unsigned char>(where[file.size() + 1]));
}

class HostileCorpus : public ::testing::TestWithParam<Case> {};

TEST(HostileCorpusShape, HasAtLeastAHundredCasesEachWithAnExpectation) {
  const auto cases = corpus();
  EXPECT_GE(cases.size(), 100u) << "run tests/hostile/generate.py";
  for (const auto& c : cases) {
    EXPECT_TRUE(fs::exists(c.expect)) << c.name;
  }
}

TEST_P(HostileCorpus, IsRefusedOrKeptVerbatimWithoutCrashOrHang) {
  const Case& c = GetParam();
  const Expectation expected = read_expectation(c.expect);
  const std::string text = read_all(c.manifest);
  const std::string file = c.name + ".yaml";

  // A detached worker, so that a hang fails this test instead of blocking the
  // suite in a future's destructor.
  auto promise = std::make_shared<std::promise<Result<model::Fleet>>>();
  auto future = promise->get_future();
  std::thread([promise, text, file] {
    promise->set_value(load(text, file, "/srv/fleet"));
  }).detach();
  if (future.wait_for(k_watchdog) != std::future_status::ready) {
    FAIL() << c.name << ": manifest::load did not return within " << k_watchdog.count() << " s";
  }
  const auto result = future.get();

  if (expected.accept) {
    ASSERT_TRUE(result.has_value()) << c.name << ":\n" << result.error().render();
    EXPECT_EQ(field(*result, expected.value_path), expected.value) << c.name;
    return;
  }
  ASSERT_FALSE(result.has_value()) << c.name << ": the manifest was accepted";
  const Error& error = result.error();
  EXPECT_EQ(error.kind, ErrorKind::manifest) << c.name;
  ASSERT_FALSE(error.causes.empty()) << c.name << ": " << error.render();
  // One cause must carry both the expected text and the expected location.
  bool found = false;
  for (const auto& cause : error.causes) {
    const std::string rendered = cause.render();
    const bool located = expected.path.empty()
                             ? cause.where.compare(0, file.size(), file) == 0
                             : path_of(cause.where, file).rfind(expected.path, 0) == 0 &&
                                   has_position(cause.where, file);
    if (located && rendered.find(expected.error) != std::string::npos) {
      found = true;
    }
  }
  EXPECT_TRUE(found) << c.name << ": expected `" << expected.error << "` at `" << expected.path
                     << "`; got:\n"
                     << error.render().substr(0, 4000);
  // The rendered error stays readable whatever the input: no amplification beyond a
  // message per value (an alias bomb must not become a billion messages), and no raw
  // control characters that could forge or erase lines on a terminal.
  const std::string rendered = error.render();
  EXPECT_LT(rendered.size(), 16 * text.size() + 64 * 1024) << c.name;
  for (const auto& cause : error.causes) {
    for (char ch : cause.where + cause.message) {
      EXPECT_FALSE(ch == '\n' || ch == '\r' || ch == '\x1b' || ch == '\0')
          << c.name << ": raw control character in `" << cause.where << ": " << cause.message
          << "`";
      if (ch == '\n' || ch == '\r' || ch == '\x1b' || ch == '\0') {
        break;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, HostileCorpus, ::testing::ValuesIn(corpus()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name = info.param.name;
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) {
                               ch = '_';
                             }
                           }
                           return name;
                         });

} // namespace
} // namespace vmoodle::manifest
