#include "vmoodle/live/refresh.hpp"

#include <algorithm>
#include <future>
#include <set>

#include "vmoodle/diff/migration_diff.hpp"
#include "vmoodle/live/catalog_queries.hpp"
#include "vmoodle/live/disk_facts.hpp"
#include "vmoodle/live/innodb_dictionary.hpp"
#include "vmoodle/live/settings_queries.hpp"

namespace vmoodle::live {
namespace {

// Sessions a refresh reads one server's catalog on at once (within its max_parallel and
// the server's processors: the catalog statements are CPU-bound on the server, and on
// two cores three sessions took 1.18–1.26 s where two took 1.03 s, docs/performance.md).
constexpr int k_catalog_sessions = 3;

struct ServerFacts {
  std::string version;
  std::map<std::string, model::DatabaseFacts> databases;
  std::map<std::string, model::SettingsFacts> settings; ///< by database
};

Result<Secret> server_password(platform::SecretSource& secrets, const model::Server& server) {
  if (!server.password) {
    return Secret{};
  }
  return secrets.resolve(*server.password);
}

Result<ServerFacts> read_server(db::Connector& connector, const model::Server& server,
                                const Secret& password, const std::set<std::string>& databases,
                                const std::vector<SettingsRequest>& settings,
                                const std::vector<diff::MigrationTarget>& collation_targets) {
  VM_TRY_ASSIGN(auto conn, connector.connect(server, password, ""));
  ServerFacts facts;
  VM_TRY_ASSIGN(facts.version, read_server_version(*conn));
  if (is_mariadb_version(facts.version) && !databases.empty()) {
    std::vector<std::unique_ptr<db::Connection>> extra;
    std::vector<db::Connection*> sessions{conn.get()};
    int wanted = std::min(k_catalog_sessions, std::max(1, server.max_parallel));
    if (const int processors = read_server_processors(*conn); processors > 0) {
      wanted = std::min(wanted, processors);
    }
    while (static_cast<int>(sessions.size()) < wanted) {
      // Fewer sessions only make the read slower: a refused one is not an error.
      auto more = connector.connect(server, password, "");
      if (!more) {
        break;
      }
      extra.push_back(std::move(*more));
      sessions.push_back(extra.back().get());
    }
    // A column at every target of the server's hosts is one the plan never looks at.
    auto counted = [&collation_targets](const std::string& collation) {
      return std::any_of(
          collation_targets.begin(), collation_targets.end(),
          [&](const auto& target) { return !diff::collation_at_target(target, collation); });
    };
    VM_TRY_ASSIGN(facts.databases, read_databases_from_dictionary(sessions, databases, counted));
  } else {
    VM_TRY_ASSIGN(facts.databases, read_databases(*conn, databases, facts.version));
  }
  VM_TRY_ASSIGN(facts.settings, read_settings(*conn, settings, facts.databases));
  return facts;
}

} // namespace

Result<model::LiveState> refresh(const model::Fleet& fleet, Sources sources) {
  model::LiveState live;

  std::map<std::string, std::set<std::string>> wanted;
  std::map<std::string, std::vector<SettingsRequest>> settings;
  std::map<std::string, std::vector<diff::MigrationTarget>> collation_targets;
  for (const auto& host : fleet.hosts) {
    wanted[host.server].insert(host.database);
    if (auto target = diff::migration_target(host); !target.charset.empty()) {
      auto& targets = collation_targets[host.server];
      const bool known = std::any_of(targets.begin(), targets.end(), [&](const auto& t) {
        return t.charset == target.charset && t.collation == target.collation;
      });
      if (!known) {
        targets.push_back(std::move(target));
      }
    }
    if (host.state == model::HostState::present && !host.settings.empty()) {
      settings[host.server].push_back({host.database, host.prefix, host.settings});
    }
  }
  wanted.try_emplace(fleet.master.server);

  // Secrets are resolved up front, on this thread: SecretSource need not be thread-safe.
  std::map<std::string, Secret> passwords;
  for (const auto& [name, databases] : wanted) {
    const model::Server* server = fleet.find_server(name);
    if (server == nullptr) {
      return fail(ErrorKind::internal, "unknown server " + name);
    }
    VM_TRY_ASSIGN(passwords[name], server_password(sources.secrets, *server));
  }

  std::map<std::string, std::future<Result<ServerFacts>>> pending;
  for (const auto& [name, databases] : wanted) {
    const model::Server* server = fleet.find_server(name);
    pending.emplace(name,
                    std::async(std::launch::async, read_server, std::ref(sources.connector),
                               std::cref(*server), std::cref(passwords[name]), std::cref(databases),
                               std::cref(settings[name]), std::cref(collation_targets[name])));
  }

  // The registry is read while the servers' catalogs are being read.
  const model::Server* master_server = fleet.find_server(fleet.master.server);
  auto master_conn = sources.connector.connect(*master_server, passwords[fleet.master.server], "");
  std::vector<Error> errors;
  if (master_conn) {
    auto registry = read_registry(**master_conn, fleet.master);
    auto identity = read_master_identity(**master_conn, fleet.master);
    if (registry && identity) {
      live.registry = std::move(*registry);
      live.master = std::move(*identity);
    } else {
      errors.push_back(registry ? identity.error() : registry.error());
    }
  } else {
    errors.push_back(master_conn.error());
  }

  for (auto& [name, future] : pending) {
    auto facts = future.get();
    if (!facts) {
      errors.push_back(facts.error());
      continue;
    }
    live.server_versions[name] = facts->version;
    for (const auto& database : wanted[name]) {
      auto it = facts->databases.find(database);
      live.databases[{name, database}] =
          it == facts->databases.end() ? model::DatabaseFacts{} : std::move(it->second);
      if (auto read = facts->settings.find(database); read != facts->settings.end()) {
        live.settings[{name, database}] = std::move(read->second);
      }
    }
  }
  if (!errors.empty()) {
    if (errors.size() == 1) {
      return tl::unexpected(std::move(errors.front()));
    }
    return tl::unexpected(Error{ErrorKind::db, "", "", "", std::move(errors)});
  }

  for (const auto& host : fleet.hosts) {
    VM_TRY_ASSIGN(live.dataroots[host.dataroot],
                  read_dataroot(sources.files, host.dataroot, fleet.dataroot_roots));
  }
  VM_TRY_ASSIGN(live.templates, read_templates(sources.files, fleet.master.templates_dir()));
  return live;
}

} // namespace vmoodle::live
