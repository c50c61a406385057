#include "vmoodle/manifest/semantic_checks.hpp"

#include <set>

#include "vmoodle/manifest/identifiers.hpp"
#include "vmoodle/manifest/manifest.hpp"
#include "vmoodle/manifest/resolve.hpp"

namespace vmoodle::manifest {

namespace {

// Widths of VMoodle's `local_vmoodle` columns (and MySQL's 64-character names).
constexpr std::size_t k_max_shortname = 80;
constexpr std::size_t k_max_name = 255;
constexpr std::size_t k_max_vhostname = 255;
constexpr std::size_t k_max_dataroot = 255;
constexpr std::size_t k_max_database = 64;
constexpr std::size_t k_max_db_user = 16;
constexpr std::size_t k_max_prefix = 10;
constexpr std::size_t k_max_registry_host = 80;

const char* const k_identifier_hint = "use only letters, digits and `_`";
const char* const k_wwwroot_hint =
    "write the exact wwwroot: https://host.example.org or http://host:8080, no path, no "
    "trailing slash";

class FleetChecker {
public:
  FleetChecker(const model::Fleet& fleet, const SourceMap& source, Diagnostics& diags)
      : m_fleet(fleet), m_source(source), m_diags(diags) {}

  void run() {
    for (const auto& [name, server] : m_fleet.servers) {
      check_server(server);
    }
    check_master();
    for (const auto& host : m_fleet.hosts) {
      check_host(host);
    }
    check_snapshots();
  }

private:
  void too_long(const Location& loc, const std::string& what, const std::string& value,
                std::size_t limit, const std::string& column) {
    if (character_count(value) > limit) {
      m_diags.add(loc,
                  what + " is " + std::to_string(character_count(value)) +
                      " characters long; at most " + std::to_string(limit) + " fit",
                  "VMoodle stores it in `" + column + "`; shorten it");
    }
  }

  void identifier(const Location& loc, const std::string& what, const std::string& value) {
    if (!value.empty() && !is_identifier(value)) {
      m_diags.add(loc, what + " " + shown(value) + " may only contain letters, digits and `_`",
                  k_identifier_hint);
    }
  }

  void declared_server(const Location& loc, const std::string& name) {
    if (name.empty() || m_fleet.servers.count(name) > 0) {
      return;
    }
    std::string known;
    for (const auto& [declared, ignored] : m_fleet.servers) {
      known += (known.empty() ? "" : ", ") + declared;
    }
    m_diags.add(
        loc, "server `" + name + "` is not declared under servers:", "declared servers: " + known);
  }

  void check_server(const model::Server& server) {
    // A registry_host inherited from `host` is located at `host`.
    const bool written =
        m_source.has({PathSegment::field("servers"), PathSegment::field(server.name),
                      PathSegment::field("registry_host")});
    const Location loc = key_at("servers", server.name, -1, written ? "registry_host" : "host");
    too_long(loc, "registry_host " + shown(server.registry_host), server.registry_host,
             k_max_registry_host, "vdbhost");
    // Every Moodle web server reads vdbhost as a host name: quotes, spaces or a newline
    // there can only be a mistake or an attack on whatever else reads the registry.
    if (written && !is_host_name(server.registry_host)) {
      m_diags.add(loc, "invalid registry_host " + shown(server.registry_host),
                  "write a host name or address such as db1.internal, 10.0.0.5 or "
                  "db1.internal:3307");
    }
    const Location user_loc = key_at("servers", server.name, -1, "user");
    if (has_control_character(server.user) ||
        server.user.find_first_of("'\"\\`") != std::string::npos) {
      m_diags.add(user_loc, "invalid server user " + shown(server.user),
                  "MySQL account names for vmoodle-apply hold no quotes, backslashes or control "
                  "characters; create a plain account such as vmoodle_admin");
    }
  }

  void check_master() {
    const model::Master& master = m_fleet.master;
    auto at = [this](const char* key) { return key_at("master", {}, -1, key); };
    declared_server(at("server"), master.server);
    identifier(at("database"), "database", master.database);
    identifier(at("prefix"), "prefix", master.prefix);
    if (!master.wwwroot.empty() && !is_wwwroot(master.wwwroot)) {
      m_diags.add(at("wwwroot"), "invalid wwwroot " + shown(master.wwwroot), k_wwwroot_hint);
    }
  }

  void check_host(const model::Host& host) {
    auto at = [&host](const char* key) { return host_key_location(host, key); };
    if (!is_wwwroot(host.vhostname)) {
      m_diags.add(at("vhostname"), "invalid vhostname " + shown(host.vhostname), k_wwwroot_hint);
    } else if (ascii_lower(host.vhostname) == ascii_lower(m_fleet.master.wwwroot)) {
      m_diags.add(at("vhostname"), "vhostname " + host.vhostname + " is the master's wwwroot",
                  "the master is not a VMoodle host; give this host its own address");
    }
    too_long(at("vhostname"), "vhostname", host.vhostname, k_max_vhostname, "vhostname");
    check_text(at("shortname"), "shortname", host.shortname, k_max_shortname);
    if (!host.shortname.empty() && sessioncookie_for(host.shortname).empty()) {
      m_diags.add(at("shortname"),
                  "shortname " + shown(host.shortname) +
                      " has no letter or digit, so VMoodle "
                      "would give the host an empty session cookie",
                  "use letters or digits in the shortname");
    }
    check_text(at("name"), "name", host.name, k_max_name);
    check_database(host);
    identifier(at("prefix"), "prefix", host.prefix);
    too_long(at("prefix"), "prefix " + shown(host.prefix), host.prefix, k_max_prefix, "vdbprefix");
    if (host.prefix == "vmoodle_") {
      m_diags.add(at("prefix"), "the table prefix `vmoodle_` is not allowed",
                  "VMoodle's own tables use it; choose another prefix such as mdl_");
    }
    identifier(at("db_user"), "db_user", host.db_user);
    too_long(at("db_user"), "db_user " + shown(host.db_user), host.db_user, k_max_db_user,
             "vdblogin");
    too_long(at("dataroot"), "dataroot", host.dataroot, k_max_dataroot, "vdatapath");
    declared_server(at("server"), host.server);
    if (host.template_name) {
      identifier(at("template"), "template name", *host.template_name);
    }
    check_charset(host);
  }

  void check_text(const Location& loc, const std::string& what, const std::string& value,
                  std::size_t limit) {
    if (has_control_character(value)) {
      m_diags.add(loc, what + " contains a control character (newline, tab...)",
                  "write it on one line");
    }
    too_long(loc, what, value, limit, what);
  }

  void check_database(const model::Host& host) {
    const Location loc = host_key_location(host, "database");
    if (host.database.empty()) {
      return;
    }
    if (!is_identifier(host.database)) {
      identifier(loc, "database name", host.database);
      return;
    }
    too_long(loc, "database name " + shown(host.database), host.database, k_max_database,
             "vdbname");
    if (host.database.back() == '_') {
      m_diags.add(loc, "database name " + shown(host.database) + " must not end with `_`",
                  "VMoodle cannot tell such a name from a prefix; drop the trailing `_`");
    }
    const model::Master& master = m_fleet.master;
    if (host.server == master.server && host.database == master.database) {
      m_diags.add(loc,
                  "database `" + host.database + "` on server `" + host.server +
                      "` is the master's database",
                  "give the host its own database");
    }
  }

  void check_charset(const model::Host& host) {
    if (host.charset) {
      identifier(host_key_location(host, "charset"), "charset", *host.charset);
    }
    if (!host.collation) {
      return;
    }
    const Location loc = host_key_location(host, "collation");
    identifier(loc, "collation", *host.collation);
    if (!host.charset || !is_identifier(*host.charset)) {
      return;
    }
    // utf8 and utf8mb3 are one charset whose collations carry either name.
    std::set<std::string> prefixes = {ascii_lower(*host.charset) + "_"};
    if (prefixes.count("utf8_") > 0 || prefixes.count("utf8mb3_") > 0) {
      prefixes = {"utf8_", "utf8mb3_"};
    }
    const std::string collation = ascii_lower(*host.collation);
    for (const auto& prefix : prefixes) {
      if (collation.compare(0, prefix.size(), prefix) == 0) {
        return;
      }
    }
    m_diags.add(loc,
                "collation `" + *host.collation + "` does not belong to charset `" + *host.charset +
                    "`",
                "use a collation named " + ascii_lower(*host.charset) + "_...");
  }

  void check_snapshots() {
    std::map<std::string, const model::Snapshot*> seen;
    int index = 0;
    for (const auto& snapshot : m_fleet.snapshots) {
      const Location name_loc = key_at("snapshots", {}, index, "name");
      const Location from_loc = key_at("snapshots", {}, index, "from");
      ++index;
      identifier(name_loc, "snapshot name", snapshot.name);
      auto [previous, inserted] = seen.emplace(snapshot.name, &snapshot);
      if (!inserted) {
        m_diags.add(name_loc,
                    "snapshot `" + snapshot.name + "` is already declared on line " +
                        std::to_string(previous->second->loc.line),
                    "give each snapshot its own name");
      }
      if (!is_wwwroot(snapshot.from)) {
        m_diags.add(from_loc, "invalid vhostname " + shown(snapshot.from), k_wwwroot_hint);
        continue;
      }
      const model::Host* host = nullptr;
      for (const auto& candidate : m_fleet.hosts) {
        if (host == nullptr && ascii_lower(candidate.vhostname) == ascii_lower(snapshot.from)) {
          host = &candidate;
        }
      }
      if (host == nullptr) {
        m_diags.add(from_loc, snapshot.from + " is not a host of this manifest",
                    "snapshots are taken from hosts listed under hosts:");
      } else if (host->state == model::HostState::absent) {
        m_diags.add(from_loc, snapshot.from + " has state: absent",
                    "a snapshot needs a live host; its final snapshot is taken on destroy");
      }
    }
  }

  // `section.name.key` or `section[index].key` in the manifest.
  Location key_at(const char* section, const std::string& name, int index, const char* key) const {
    JsonPath path{PathSegment::field(section)};
    if (index >= 0) {
      path.push_back(PathSegment::item(index));
    } else if (!name.empty()) {
      path.push_back(PathSegment::field(name));
    }
    path.push_back(PathSegment::field(key));
    return m_source.at(path);
  }

  const model::Fleet& m_fleet;
  const SourceMap& m_source;
  Diagnostics& m_diags;
};

} // namespace

void check_fleet(const model::Fleet& fleet, const SourceMap& source, Diagnostics& diags) {
  FleetChecker(fleet, source, diags).run();
  check_uniqueness(fleet, diags);
  check_dataroots(fleet, diags);
  check_security(fleet, source, diags);
}

} // namespace vmoodle::manifest
