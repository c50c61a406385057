#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>

namespace vmoodle::model {

/// Moodle's column sizes: `config.name` VARCHAR(255), `config_plugins.plugin` and
/// `config_plugins.name` VARCHAR(100), counted in characters.
constexpr std::size_t k_max_config_name = 255;
constexpr std::size_t k_max_plugin_name = 100;
constexpr std::size_t k_max_plugin_setting_name = 100;

/// The `{prefix}config` name that holds Moodle's maintenance flag (`maintenance:`).
constexpr const char* k_maintenance_setting = "maintenance_enabled";

/// (plugin, name) of a `{prefix}config_plugins` row.
using PluginSettingKey = std::pair<std::string, std::string>;

/// A host's managed site settings (`config:`, `config_plugins:`, `maintenance:`), with
/// `defaults:` merged in and values as Moodle stores them (text; booleans `1`/`0`).
/// Only these keys are read and written; every other setting is left alone.
struct Settings {
  std::map<std::string, std::string> config;       ///< `{prefix}config` name → value
  std::map<PluginSettingKey, std::string> plugins; ///< `{prefix}config_plugins`
  bool empty() const { return config.empty() && plugins.empty(); }
  bool operator==(const Settings&) const = default;
};

/// What refresh read of the managed settings of one host database. A key that has no
/// row is absent from the maps: absent is not the same as an empty value.
struct SettingsFacts {
  /// False when the settings could not be read: no such database, or no
  /// `{prefix}config`/`{prefix}config_plugins` table in it.
  bool read = false;
  std::map<std::string, std::string> config;
  std::map<PluginSettingKey, std::string> plugins;

  std::optional<std::string> config_value(const std::string& name) const;
  std::optional<std::string> plugin_value(const PluginSettingKey& key) const;
};

/// `config.NAME` or `config_plugins.PLUGIN.NAME`: how plans, drift and errors name a key.
std::string setting_label(const std::string& plugin, const std::string& name);

} // namespace vmoodle::model
