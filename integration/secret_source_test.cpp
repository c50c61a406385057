// EnvSecretSource with the real environment and real files; SystemClock.

#include <stdlib.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "vmoodle/platform/env_secret_source.hpp"
#include "vmoodle/platform/system_clock.hpp"

namespace vmoodle::testing {
namespace {

namespace fs = std::filesystem;
using model::SecretRef;
using platform::EnvSecretSource;

SecretRef reference(SecretRef::Source source, std::string name) {
  SecretRef ref;
  ref.source = source;
  ref.name = std::move(name);
  ref.loc.file = "fleet.yaml";
  ref.loc.line = 7;
  ref.loc.column = 15;
  ref.loc.path = "servers.db1.password";
  return ref;
}

class SecretSourceTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "vmoodle-secret-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_dir = pattern;
  }
  void TearDown() override {
    ::unsetenv(k_variable);
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }

  std::string file_with(const std::string& name, const std::string& content) {
    fs::path path = m_dir / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
  }

  static constexpr const char* k_variable = "VMOODLE_IT_SECRET_SOURCE_PW";
  EnvSecretSource m_source;
  fs::path m_dir;
};

TEST_F(SecretSourceTest, ReadsTheEnvironmentVariable) {
  ::setenv(k_variable, "s3cret 'with' \\ odd chars\n", 1);
  auto secret = m_source.resolve(reference(SecretRef::Source::env, k_variable));
  ASSERT_TRUE(secret) << secret.error().render();
  // Taken as is: only files lose their trailing newline.
  EXPECT_EQ(secret->reveal(), "s3cret 'with' \\ odd chars\n");
}

TEST_F(SecretSourceTest, UnsetVariableIsASecretErrorAtTheReference) {
  ::unsetenv(k_variable);
  auto secret = m_source.resolve(reference(SecretRef::Source::env, k_variable));
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().kind, ErrorKind::secret);
  EXPECT_EQ(secret.error().message,
            std::string("environment variable ") + k_variable + " is not set");
  EXPECT_EQ(secret.error().where, "fleet.yaml:7:15: servers.db1.password");
  EXPECT_NE(secret.error().hint.find(k_variable), std::string::npos);
}

TEST_F(SecretSourceTest, EmptyVariableIsAnError) {
  ::setenv(k_variable, "", 1);
  auto secret = m_source.resolve(reference(SecretRef::Source::env, k_variable));
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().kind, ErrorKind::secret);
  EXPECT_NE(secret.error().message.find("is empty"), std::string::npos);
}

TEST_F(SecretSourceTest, FileLosesExactlyOneTrailingLineEnd) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"plain", "plain"},
      {"unix\n", "unix"},
      {"windows\r\n", "windows"},
      {"two\n\n", "two\n"},
      {"lone-cr\r", "lone-cr\r"},
      {" spaces kept \n", " spaces kept "},
      {std::string("nul\0inside\n", 11), std::string("nul\0inside", 10)},
  };
  int i = 0;
  for (const auto& [content, expected] : cases) {
    std::string path = file_with("pw" + std::to_string(i++), content);
    auto secret = m_source.resolve(reference(SecretRef::Source::file, path));
    ASSERT_TRUE(secret) << path << ": " << secret.error().render();
    EXPECT_EQ(secret->reveal(), expected);
  }
}

TEST_F(SecretSourceTest, MissingFileNamesThePath) {
  std::string path = (m_dir / "absent.pass").string();
  auto secret = m_source.resolve(reference(SecretRef::Source::file, path));
  ASSERT_FALSE(secret);
  EXPECT_EQ(secret.error().kind, ErrorKind::secret);
  EXPECT_NE(secret.error().message.find(path), std::string::npos);
  EXPECT_EQ(secret.error().where, "fleet.yaml:7:15: servers.db1.password");
}

TEST_F(SecretSourceTest, UnreadableOrEmptyFileIsAnErrorWithoutContent) {
  // A directory opens but cannot be read.
  auto directory = m_source.resolve(reference(SecretRef::Source::file, m_dir.string()));
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().kind, ErrorKind::secret);
  EXPECT_NE(directory.error().message.find(m_dir.string()), std::string::npos);

  std::string empty = file_with("empty", "\n");
  auto blank = m_source.resolve(reference(SecretRef::Source::file, empty));
  ASSERT_FALSE(blank);
  EXPECT_NE(blank.error().message.find("is empty"), std::string::npos);

  if (::geteuid() != 0) { // root reads anything
    std::string locked = file_with("locked", "hidden-content");
    fs::permissions(locked, fs::perms::none);
    auto denied = m_source.resolve(reference(SecretRef::Source::file, locked));
    ASSERT_FALSE(denied);
    EXPECT_EQ(denied.error().render().find("hidden-content"), std::string::npos);
    EXPECT_NE(denied.error().message.find(locked), std::string::npos);
  }
}

TEST(SystemClockTest, TellsWallAndMonotonicTime) {
  platform::SystemClock clock;
  std::int64_t before = std::time(nullptr);
  std::int64_t now = clock.unix_seconds();
  EXPECT_GE(now, before);
  EXPECT_LE(now, std::time(nullptr));
  std::int64_t start = clock.monotonic_ms();
  ::usleep(20000);
  std::int64_t elapsed = clock.monotonic_ms() - start;
  EXPECT_GE(elapsed, 20);
  EXPECT_LT(elapsed, 5000);
}

} // namespace
} // namespace vmoodle::testing
