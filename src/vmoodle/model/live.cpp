#include "vmoodle/model/live.hpp"

namespace vmoodle::model {

std::vector<const RegistryRow*> LiveState::rows_for(const std::string& vhostname) const {
  std::vector<const RegistryRow*> rows;
  for (const auto& row : registry) {
    if (row.vhostname == vhostname) {
      rows.push_back(&row);
    }
  }
  return rows;
}

const DatabaseFacts* LiveState::database(const std::string& server, const std::string& name) const {
  auto it = databases.find({server, name});
  return it == databases.end() ? nullptr : &it->second;
}

const DatarootFacts* LiveState::dataroot(const std::string& path) const {
  auto it = dataroots.find(path);
  return it == dataroots.end() ? nullptr : &it->second;
}

const TemplateFacts* LiveState::find_template(const std::string& name) const {
  auto it = templates.find(name);
  return it == templates.end() ? nullptr : &it->second;
}

const SettingsFacts* LiveState::settings_of(const std::string& server,
                                            const std::string& database) const {
  auto it = settings.find({server, database});
  return it == settings.end() ? nullptr : &it->second;
}

} // namespace vmoodle::model
