#pragma once

#include <map>
#include <string>
#include <vector>

#include "vmoodle/db/connection.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/model/settings.hpp"

namespace vmoodle::live {

/// The managed settings to read from one host database.
struct SettingsRequest {
  std::string database;
  std::string prefix;
  model::Settings settings; ///< only these keys are read
};

/// Hosts per statement: keeps a statement far below `max_allowed_packet`.
constexpr std::size_t k_settings_hosts_per_query = 100;

/// Reads the managed settings of the hosts of one server, by database: one UNION ALL
/// statement per k_settings_hosts_per_query hosts over their `{prefix}config` and
/// `{prefix}config_plugins`, selecting only the names the manifest lists. A database
/// that does not exist in `databases`, or lacks either table, is skipped (its facts
/// stay unread). Names are matched as the tables compare them, ignoring ASCII case.
Result<std::map<std::string, model::SettingsFacts>>
read_settings(db::Connection& conn, const std::vector<SettingsRequest>& requests,
              const std::map<std::string, model::DatabaseFacts>& databases);

} // namespace vmoodle::live
