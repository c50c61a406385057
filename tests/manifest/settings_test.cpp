// Site settings in the manifest: `config:`, `config_plugins:`, `maintenance:`.
#include <gtest/gtest.h>

#include "tests/manifest/manifest_test_util.hpp"
#include "vmoodle/manifest/resolve_settings.hpp"

namespace vmoodle::manifest {
namespace {

using fixtures::k_base_dir;
using fixtures::k_valid_manifest;
using fixtures::load_error;
using fixtures::replaced;

// The valid manifest with `defaults_block` appended to `defaults:` and `kleber_block`
// to the first host (kleber).
std::string with_settings(const std::string& defaults_block, const std::string& kleber_block) {
  std::string text = replaced(k_valid_manifest, "  enabled: true\nhosts:\n",
                              "  enabled: true\n" + defaults_block + "hosts:\n");
  return replaced(text, "    protect: true\n", "    protect: true\n" + kleber_block);
}

model::Fleet load_ok(const std::string& text) {
  auto result = load(text, "fleet.yaml", k_base_dir);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().render());
  return result ? *result : model::Fleet{};
}

std::string all_messages(const Error& error) {
  std::string out = error.message + "\n";
  for (const auto& cause : error.causes) {
    out += cause.where + ": " + cause.message + " (" + cause.hint + ")\n";
  }
  return out;
}

TEST(ManifestSettings, HostKeysAreMergedOverDefaultsKeyByKey) {
  const auto fleet = load_ok(with_settings("  config:\n"
                                           "    theme: classic\n"
                                           "    forcelogin: true\n"
                                           "    sessiontimeout: 7200\n"
                                           "    lang: fr\n"
                                           "  config_plugins:\n"
                                           "    mod_forum: {maxbytes: 512000, maxattachments: 9}\n",
                                           "    config:\n"
                                           "      theme: boost\n"
                                           "      lang: null\n"
                                           "      stringfilters: ''\n"
                                           "    config_plugins:\n"
                                           "      mod_forum: {maxbytes: 0}\n"
                                           "      theme_boost: {brandcolor: '#00305c'}\n"));
  ASSERT_EQ(fleet.hosts.size(), 3u);
  const auto& kleber = fleet.hosts[0].settings;
  EXPECT_EQ(kleber.config, (std::map<std::string, std::string>{{"forcelogin", "1"},
                                                               {"sessiontimeout", "7200"},
                                                               {"stringfilters", ""},
                                                               {"theme", "boost"}}));
  EXPECT_EQ(kleber.plugins, (std::map<model::PluginSettingKey, std::string>{
                                {{"mod_forum", "maxattachments"}, "9"},
                                {{"mod_forum", "maxbytes"}, "0"},
                                {{"theme_boost", "brandcolor"}, "#00305c"}}));
  // Another host inherits the defaults untouched.
  const auto& local = fleet.hosts[2].settings;
  EXPECT_EQ(local.config.at("theme"), "classic");
  EXPECT_EQ(local.config.at("lang"), "fr");
  EXPECT_EQ(local.plugins.at({"mod_forum", "maxbytes"}), "512000");
  // Inherited keys are located at defaults but name the host.
  EXPECT_EQ(host_key_location(fleet.hosts[2], "config.theme").path,
            "hosts[2].config.theme (from defaults.config.theme)");
  EXPECT_EQ(host_key_location(fleet.hosts[0], "config.theme").path, "hosts[0].config.theme");
}

TEST(ManifestSettings, NoSettingsManagesNothing) {
  const auto fleet = load_ok(k_valid_manifest);
  for (const auto& host : fleet.hosts) {
    EXPECT_TRUE(host.settings.empty());
  }
}

TEST(ManifestSettings, MaintenanceMapsToTheMaintenanceFlag) {
  const auto fleet = load_ok(with_settings("  maintenance: false\n", "    maintenance: true\n"));
  EXPECT_EQ(fleet.hosts[0].settings.config.at("maintenance_enabled"), "1");
  EXPECT_EQ(fleet.hosts[2].settings.config.at("maintenance_enabled"), "0");
}

TEST(ManifestSettings, MaintenanceAndTheFlagTogetherAreRefused) {
  const Error error =
      load_error(with_settings("  config: {maintenance_enabled: 1}\n", "    maintenance: true\n"));
  const std::string text = all_messages(error);
  EXPECT_NE(text.find("`maintenance` and `config.maintenance_enabled` both set Moodle's "
                      "maintenance flag"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("hosts[0].maintenance"), std::string::npos) << text;
}

TEST(ManifestSettings, BadPluginNameIsRefused) {
  const Error error =
      load_error(with_settings("", "    config_plugins:\n      Mod-Forum: {maxbytes: 1}\n"));
  EXPECT_NE(all_messages(error).find("Mod-Forum"), std::string::npos) << all_messages(error);
}

TEST(ManifestSettings, SettingNamesMustFitMoodlesColumns) {
  const std::string long_name(256, 'x');
  const Error error = load_error(with_settings("", "    config:\n      " + long_name + ": 1\n"));
  const std::string text = all_messages(error);
  EXPECT_NE(text.find("longer than Moodle's column (255 characters)"), std::string::npos) << text;
  EXPECT_NE(text.find("hosts[0].config"), std::string::npos) << text;

  const std::string plugin_name(101, 'p');
  const Error plugin =
      load_error(with_settings("", "    config_plugins:\n      mod_x: {" + plugin_name + ": 1}\n"));
  EXPECT_NE(all_messages(plugin).find("(100 characters)"), std::string::npos)
      << all_messages(plugin);
}

TEST(ManifestSettings, ControlCharactersAndSpacesInNamesAreRefused) {
  for (const std::string name : {"\"the\\tme\"", "\"theme \"", "\"th\\u00e8me\""}) {
    const Error error = load_error(with_settings("", "    config:\n      " + name + ": x\n"));
    EXPECT_NE(all_messages(error).find("not a Moodle setting name"), std::string::npos)
        << name << "\n"
        << all_messages(error);
  }
}

TEST(ManifestSettings, NamesDifferingOnlyInCaseAreRefused) {
  const Error error =
      load_error(with_settings("  config: {Theme: classic}\n", "    config: {theme: boost}\n"));
  const std::string text = all_messages(error);
  EXPECT_NE(text.find("name the same setting"), std::string::npos) << text;
}

TEST(ManifestSettings, DecimalsMustBeQuoted) {
  const Error error = load_error(with_settings("", "    config: {gradepointmax: 1.5}\n"));
  EXPECT_NE(all_messages(error).find("hosts[0].config.gradepointmax"), std::string::npos)
      << all_messages(error);
  const auto fleet = load_ok(with_settings("", "    config: {gradepointmax: '1.50'}\n"));
  EXPECT_EQ(fleet.hosts[0].settings.config.at("gradepointmax"), "1.50");
}

TEST(ManifestSettings, ValuesAreWrittenAsMoodleStoresThem) {
  EXPECT_EQ(setting_text(nlohmann::json(true)), "1");
  EXPECT_EQ(setting_text(nlohmann::json(false)), "0");
  EXPECT_EQ(setting_text(nlohmann::json(-3)), "-3");
  EXPECT_EQ(setting_text(nlohmann::json(18446744073709551615ULL)), "18446744073709551615");
  EXPECT_EQ(setting_text(nlohmann::json("a'b\n")), "a'b\n");
}

} // namespace
} // namespace vmoodle::manifest
