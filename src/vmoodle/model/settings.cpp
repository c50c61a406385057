#include "vmoodle/model/settings.hpp"

namespace vmoodle::model {

std::optional<std::string> SettingsFacts::config_value(const std::string& name) const {
  auto it = config.find(name);
  if (it == config.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::optional<std::string> SettingsFacts::plugin_value(const PluginSettingKey& key) const {
  auto it = plugins.find(key);
  if (it == plugins.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::string setting_label(const std::string& plugin, const std::string& name) {
  return plugin.empty() ? "config." + name : "config_plugins." + plugin + "." + name;
}

} // namespace vmoodle::model
