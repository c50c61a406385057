// `hooks:` in the manifest: argument vectors, per-hook merge over defaults, placeholders.
#include <gtest/gtest.h>

#include "tests/manifest/manifest_test_util.hpp"

namespace vmoodle::manifest {
namespace {

using fixtures::k_base_dir;
using fixtures::k_valid_manifest;
using fixtures::replaced;

// The valid manifest with `defaults_hooks` put into defaults and `host_hooks` into the
// first host (kleber).
std::string with_hooks(const std::string& defaults_hooks, const std::string& host_hooks = "") {
  std::string text =
      replaced(k_valid_manifest, "  enabled: true\n", "  enabled: true\n" + defaults_hooks);
  return replaced(text, "    protect: true\n", "    protect: true\n" + host_hooks);
}

std::string errors_of(const std::string& text) {
  auto result = load(text, "fleet.yaml", k_base_dir);
  EXPECT_FALSE(result.has_value()) << "expected the manifest to be refused";
  return result ? std::string() : result.error().render();
}

const model::Host& host_named(const model::Fleet& fleet, const std::string& shortname) {
  for (const auto& host : fleet.hosts) {
    if (host.shortname == shortname) {
      return host;
    }
  }
  throw std::runtime_error("no host " + shortname);
}

TEST(ManifestHooks, ExpandsPlaceholdersPerHost) {
  auto fleet =
      load(with_hooks("  hooks:\n"
                      "    after_create:\n"
                      "      - [php, /var/www/moodle/local/vmoodle/cli/purge_caches.php,"
                      " \"--host={vhostname}\"]\n"
                      "      - argv: [/usr/local/bin/note, \"{shortname}\", \"{database}\","
                      " \"{dataroot}\"]\n"
                      "        timeout: 30\n"),
           "fleet.yaml", k_base_dir);
  ASSERT_TRUE(fleet) << fleet.error().render();
  const model::Host& kleber = host_named(*fleet, "kleber");
  ASSERT_EQ(kleber.hooks.count("after_create"), 1u);
  const auto& commands = kleber.hooks.at("after_create");
  ASSERT_EQ(commands.size(), 2u);
  EXPECT_EQ(commands[0].argv,
            (std::vector<std::string>{"php", "/var/www/moodle/local/vmoodle/cli/purge_caches.php",
                                      "--host=https://kleber.example.org"}));
  EXPECT_EQ(commands[0].timeout_seconds, 600) << "default timeout";
  EXPECT_EQ(commands[1].argv,
            (std::vector<std::string>{"/usr/local/bin/note", "kleber", "vmdl_kleber",
                                      "/var/moodledata/vhosts/kleber"}));
  EXPECT_EQ(commands[1].timeout_seconds, 30);
  const model::Host& local = host_named(*fleet, "local");
  EXPECT_EQ(local.hooks.at("after_create")[1].argv[2], "local_local")
      << "the host's own database, not the default's";
}

TEST(ManifestHooks, AHostListReplacesTheDefaultOfThatHookOnly) {
  auto fleet = load(with_hooks("  hooks:\n"
                               "    after_create: [[/bin/true, default]]\n"
                               "    before_destroy: [[/bin/true, keep]]\n",
                               "    hooks:\n"
                               "      after_create: [[/bin/true, own]]\n"),
                    "fleet.yaml", k_base_dir);
  ASSERT_TRUE(fleet) << fleet.error().render();
  const model::Host& kleber = host_named(*fleet, "kleber");
  ASSERT_EQ(kleber.hooks.at("after_create").size(), 1u);
  EXPECT_EQ(kleber.hooks.at("after_create")[0].argv[1], "own");
  EXPECT_EQ(kleber.hooks.at("before_destroy")[0].argv[1], "keep");
  EXPECT_EQ(host_named(*fleet, "local").hooks.at("after_create")[0].argv[1], "default");
}

TEST(ManifestHooks, AnEmptyHostListTurnsTheDefaultOff) {
  auto fleet = load(with_hooks("  hooks:\n    after_create: [[/bin/true]]\n",
                               "    hooks:\n      after_create: []\n"),
                    "fleet.yaml", k_base_dir);
  ASSERT_TRUE(fleet) << fleet.error().render();
  EXPECT_EQ(host_named(*fleet, "kleber").hooks.count("after_create"), 0u);
}

TEST(ManifestHooks, RefusesAShellString) {
  const std::string errors = errors_of(with_hooks(
      "  hooks:\n    after_create:\n      - \"php purge_caches.php --host={vhostname}\"\n"));
  EXPECT_NE(errors.find("defaults.hooks.after_create[0]"), std::string::npos) << errors;
  EXPECT_NE(errors.find("an argument vector, not a shell string"), std::string::npos) << errors;
}

TEST(ManifestHooks, RefusesAnUnknownPlaceholderAtTheArgument) {
  const std::string errors = errors_of(
      with_hooks("", "    hooks:\n      after_update:\n        - [php, \"--x={wwwroot}\"]\n"));
  EXPECT_NE(errors.find("hosts[0].hooks.after_update[0][1]"), std::string::npos) << errors;
  EXPECT_NE(errors.find("unknown placeholder `{wwwroot}`"), std::string::npos) << errors;
  EXPECT_NE(errors.find("{vhostname}, {shortname}, {database}, {dataroot}"), std::string::npos)
      << errors;
}

TEST(ManifestHooks, RefusesARelativeProgram) {
  const std::string errors =
      errors_of(with_hooks("  hooks:\n    before_destroy: [{argv: [./archive.sh]}]\n"));
  EXPECT_NE(errors.find("defaults.hooks.before_destroy[0].argv[0]"), std::string::npos) << errors;
  EXPECT_NE(errors.find("neither an absolute path nor a name"), std::string::npos) << errors;
}

TEST(ManifestHooks, RefusesUnknownHooksEmptyCommandsAndBadTimeouts) {
  EXPECT_NE(errors_of(with_hooks("  hooks:\n    after_snapshot: [[/bin/true]]\n"))
                .find("unknown key `after_snapshot`"),
            std::string::npos);
  EXPECT_NE(errors_of(with_hooks("  hooks:\n    after_create: [[]]\n")).find("must not be empty"),
            std::string::npos);
  EXPECT_NE(errors_of(with_hooks("  hooks:\n    after_create: [{argv: [/bin/true], timeout: 0}]\n"))
                .find("out of range"),
            std::string::npos);
  EXPECT_NE(errors_of(with_hooks("  hooks:\n    after_create: [{timeout: 5}]\n"))
                .find("missing required key `argv`"),
            std::string::npos);
}

} // namespace
} // namespace vmoodle::manifest
