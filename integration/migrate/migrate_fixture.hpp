#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "integration/migrate/legacy_site.hpp"
#include "tests/fakes/fake_effects.hpp"
#include "vmoodle/apply/migrate_host.hpp"
#include "vmoodle/db/mysql_connector.hpp"
#include "vmoodle/diff/migration_diff.hpp"
#include "vmoodle/live/refresh.hpp"
#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/platform/env_secret_source.hpp"
#include "vmoodle/platform/posix_filesystem.hpp"
#include "vmoodle/platform/system_clock.hpp"

namespace vmoodle::testing {

inline std::string vhost(const std::string& shortname) {
  return "https://" + shortname + ".example.org";
}

/// `hosts:` entries for `shortnames`, each with `extra` lines (indented by four spaces).
inline std::string host_entries(const std::vector<std::string>& shortnames,
                                const std::string& extra = "") {
  std::string out = "hosts:\n";
  for (const auto& name : shortnames) {
    out += "  - vhostname: " + vhost(name) + "\n    shortname: " + name + "\n" + extra;
  }
  return out;
}

/// The workspace's manifest head with `keys` (e.g. `  collation: x\n`) added to `defaults:`.
inline std::string head_with_defaults(FleetWorkspace& ws, const std::string& keys) {
  std::string head = ws.manifest_head();
  const std::string defaults = "defaults:\n";
  head.insert(head.find(defaults) + defaults.size(), keys);
  return head;
}

inline const char* k_moodle_target = "  charset: utf8mb4\n"
                                     "  collation: utf8mb4_unicode_ci\n"
                                     "  engine: InnoDB\n"
                                     "  row_format: Dynamic\n";

/// Loads manifests, refreshes live state and runs migrate_host with the real adapters,
/// as apply does.
class MigrationRunner {
public:
  explicit MigrationRunner(FleetWorkspace& ws) : m_ws(ws) {}

  /// Loads `text` and refreshes live state.
  void load(const std::string& text) {
    auto fleet = manifest::load(text, m_ws.dir() + "/fleet.yaml");
    ASSERT_TRUE(fleet) << fleet.error().render();
    m_fleet = std::move(*fleet);
    auto live = live::refresh(m_fleet, {m_connector, m_files, m_secrets});
    ASSERT_TRUE(live) << live.error().render();
    m_live = std::move(*live);
  }

  /// What plan would show for host `shortname`: its migration, if any.
  std::optional<plan::Migration> planned(const std::string& shortname) {
    const model::Host* host = m_fleet.find_host(vhost(shortname));
    EXPECT_NE(host, nullptr) << shortname;
    const model::DatabaseFacts* db = m_live.database(host->server, host->database);
    EXPECT_NE(db, nullptr) << shortname;
    return diff::migration_for(*host, *db);
  }

  /// Runs the migrate action for host `shortname`, as the plan would give it.
  Status migrate(const std::string& shortname) {
    const model::Host* host = m_fleet.find_host(vhost(shortname));
    plan::HostChange change;
    change.vhostname = host->vhostname;
    change.action = plan::Action::migrate;
    change.server = host->server;
    change.database = host->database;
    change.dataroot = host->dataroot;
    change.migration = planned(shortname);
    apply::ActionContext ctx{m_fleet, m_live,
                             apply::Effects{m_connector, m_files, m_secrets, m_clock, m_reporter}};
    return apply::migrate_host(change, ctx);
  }

  RecordingReporter& reporter() { return m_reporter; }

private:
  FleetWorkspace& m_ws;
  db::MysqlConnector m_connector;
  platform::PosixFileSystem m_files;
  platform::EnvSecretSource m_secrets;
  platform::SystemClock m_clock;
  RecordingReporter m_reporter;
  model::Fleet m_fleet;
  model::LiveState m_live;
};

/// Whether every table of `states` (see table_states) reads `engine|row format|collation`.
inline std::vector<std::string> tables_not_at(const std::vector<std::string>& states,
                                              const std::string& wanted) {
  std::vector<std::string> off;
  for (const auto& state : states) {
    if (state.substr(state.find('|') + 1) != wanted) {
      off.push_back(state);
    }
  }
  return off;
}

} // namespace vmoodle::testing
