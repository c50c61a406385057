#include "vmoodle/live/settings_queries.hpp"

#include <algorithm>
#include <set>

#include "vmoodle/live/row_values.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::live {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return text;
}

bool has_table(const model::DatabaseFacts& db, const std::string& name) {
  return std::any_of(db.tables.begin(), db.tables.end(),
                     [&](const model::TableFacts& table) { return table.name == name; });
}

// Tables of different hosts may use different collations (a fleet half migrated):
// converted to one explicit collation, their columns can share a UNION.
std::string column(const char* name) {
  return std::string("CONVERT(") + name + " USING utf8mb4) COLLATE utf8mb4_bin";
}

/// The SELECTs of one request: its config rows, then its config_plugins rows.
std::string selects(const SettingsRequest& request) {
  std::string out;
  const std::string db = sql::literal(request.database);
  if (!request.settings.config.empty()) {
    std::set<std::string> names;
    for (const auto& [name, value] : request.settings.config) {
      names.insert(name);
    }
    out += "SELECT " + db + ", '', " + column("name") + ", " + column("value") + " FROM " +
           sql::ident(request.database, request.prefix + "config") + " WHERE name IN (" +
           in_list(names) + ")";
  }
  if (!request.settings.plugins.empty()) {
    std::set<std::string> plugins;
    std::set<std::string> names;
    for (const auto& [key, value] : request.settings.plugins) {
      plugins.insert(key.first);
      names.insert(key.second);
    }
    // Both lists use the unique (plugin, name) index; pairs not asked for are dropped below.
    out += std::string(out.empty() ? "" : " UNION ALL ") + "SELECT " + db + ", " +
           column("plugin") + ", " + column("name") + ", " + column("value") + " FROM " +
           sql::ident(request.database, request.prefix + "config_plugins") + " WHERE plugin IN (" +
           in_list(plugins) + ") AND name IN (" + in_list(names) + ")";
  }
  return out;
}

/// Files one result row under the manifest's spelling of its key, if it asked for it.
void file_row(const SettingsRequest& request, const db::Row& row, model::SettingsFacts& facts) {
  if (row.size() < 4 || !row[1] || !row[2] || !row[3]) {
    return;
  }
  const std::string plugin = lower(*row[1]);
  const std::string name = lower(*row[2]);
  if (plugin.empty()) {
    for (const auto& [wanted, value] : request.settings.config) {
      if (lower(wanted) == name) {
        facts.config[wanted] = *row[3];
      }
    }
    return;
  }
  for (const auto& [key, value] : request.settings.plugins) {
    if (lower(key.first) == plugin && lower(key.second) == name) {
      facts.plugins[key] = *row[3];
    }
  }
}

} // namespace

Result<std::map<std::string, model::SettingsFacts>>
read_settings(db::Connection& conn, const std::vector<SettingsRequest>& requests,
              const std::map<std::string, model::DatabaseFacts>& databases) {
  std::map<std::string, model::SettingsFacts> out;
  std::vector<const SettingsRequest*> readable;
  for (const auto& request : requests) {
    auto db = databases.find(request.database);
    if (request.settings.empty() || db == databases.end() || !db->second.exists ||
        !has_table(db->second, request.prefix + "config") ||
        !has_table(db->second, request.prefix + "config_plugins")) {
      continue;
    }
    readable.push_back(&request);
    out[request.database].read = true;
  }
  for (std::size_t start = 0; start < readable.size(); start += k_settings_hosts_per_query) {
    const std::size_t end = std::min(readable.size(), start + k_settings_hosts_per_query);
    std::string statement;
    std::map<std::string, const SettingsRequest*> by_database;
    for (std::size_t i = start; i < end; ++i) {
      statement += (statement.empty() ? "" : " UNION ALL ") + selects(*readable[i]);
      by_database[readable[i]->database] = readable[i];
    }
    auto result = conn.query(statement);
    if (!result) {
      Error error = result.error();
      error.message = "cannot read the managed site settings: " + error.message;
      error.hint = "check that the hosts' databases hold Moodle's config tables under their prefix";
      return tl::unexpected(std::move(error));
    }
    for (const auto& row : result->rows) {
      if (row.empty() || !row[0]) {
        continue;
      }
      auto it = by_database.find(*row[0]);
      if (it != by_database.end()) {
        file_row(*it->second, row, out[it->first]);
      }
    }
  }
  return out;
}

} // namespace vmoodle::live
