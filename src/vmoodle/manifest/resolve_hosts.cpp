// Hosts: merge `defaults:` under each entry, expand placeholders, resolve paths.
#include <array>

#include "vmoodle/manifest/identifiers.hpp"
#include "vmoodle/manifest/placeholders.hpp"
#include "vmoodle/manifest/resolve.hpp"
#include "vmoodle/manifest/resolve_hooks.hpp"
#include "vmoodle/manifest/resolve_settings.hpp"

namespace vmoodle::manifest {

namespace {

using nlohmann::json;

// Keys every present host needs once defaults are merged in.
constexpr std::array<const char*, 5> k_required_keys = {"server", "database", "db_user",
                                                        "db_password", "dataroot"};

/// A host key's value as the host sees it: its own, or the one from defaults.
struct Field {
  const json* value = nullptr;
  JsonPath at; ///< where it was written
};

std::string canonical_case(const std::string& value, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (ascii_lower(value) == ascii_lower(name)) {
      return name;
    }
  }
  return value;
}

class HostResolver {
public:
  HostResolver(const json& entry, const json& defaults, int index, ResolveContext& ctx)
      : m_entry(entry), m_defaults(defaults), m_index(index), m_ctx(ctx) {}

  model::Host resolve() {
    model::Host host;
    host.index = m_index;
    host.loc = m_ctx.source.at(host_path());
    host.vhostname = text("vhostname").value_or("");
    host.shortname = text("shortname").value_or("");
    m_values = PlaceholderValues{host.shortname, first_dns_label(host.vhostname)};
    host.name = expanded("name").value_or(host.shortname);
    host.description = expanded("description").value_or("");
    host.server = text("server").value_or("");
    host.database = expanded("database").value_or("");
    host.prefix = text("prefix").value_or(host.prefix);
    host.db_type = text("db_type").value_or(host.db_type);
    host.db_user = expanded("db_user").value_or("");
    if (Field f = field("db_password"); f.value != nullptr) {
      host.db_password = m_ctx.secret(*f.value, f.at);
    }
    host.manage_db_user = boolean("manage_db_user").value_or(host.manage_db_user);
    host.db_user_host = text("db_user_host").value_or(host.db_user_host);
    host.db_persist = boolean("db_persist").value_or(host.db_persist);
    if (auto dataroot = expanded("dataroot")) {
      host.dataroot = m_ctx.path(*dataroot, where("dataroot")).value_or("");
    }
    host.charset = text("charset");
    host.collation = text("collation");
    if (auto engine = text("engine")) {
      host.engine = canonical_case(*engine, {"InnoDB", "MyISAM", "Aria"});
    }
    if (auto row_format = text("row_format")) {
      host.row_format =
          canonical_case(*row_format, {"Dynamic", "Compact", "Compressed", "Redundant"});
    }
    if (Field f = field("mnet"); f.value != nullptr) {
      if (f.value->is_string()) {
        host.mnet.allocate_new = true;
      } else {
        host.mnet.value = f.value->get<int>();
      }
    }
    host.enabled = boolean("enabled").value_or(host.enabled);
    host.template_name = text("template");
    host.protect = boolean("protect").value_or(host.protect);
    if (text("state").value_or("present") == "absent") {
      host.state = model::HostState::absent;
    }
    host.final_snapshot = boolean("final_snapshot").value_or(host.final_snapshot);
    host.hooks = resolve_hooks(m_entry, m_defaults, m_index, host, m_ctx);
    host.settings = resolve_settings(m_entry, m_defaults, m_index, m_ctx, m_key_locs);
    host.key_locs = std::move(m_key_locs);
    if (host.state == model::HostState::present) {
      require_merged_keys(host);
    }
    return host;
  }

private:
  JsonPath host_path() const { return {PathSegment::field("hosts"), PathSegment::item(m_index)}; }

  Field field(const char* key) {
    Field out;
    if (m_entry.contains(key)) {
      out.value = &m_entry.at(key);
      out.at = host_path();
    } else if (m_defaults.is_object() && m_defaults.contains(key)) {
      out.value = &m_defaults.at(key);
      out.at = {PathSegment::field("defaults")};
    } else {
      return out;
    }
    out.at.push_back(PathSegment::field(key));
    // A key set to an empty value (`template:`) counts as not set.
    if (out.value->is_null()) {
      out.value = nullptr;
      return out;
    }
    m_key_locs[key] = m_ctx.source.at(out.at);
    return out;
  }

  // Where to report a problem with the host's final value of `key`. An inherited
  // value is located at `defaults:` but names the host, so that the operator can
  // tell which of the hosts sharing the default is affected.
  Location where(const char* key) const {
    model::Host partial;
    partial.index = m_index;
    partial.loc = m_ctx.source.at(host_path());
    partial.key_locs = m_key_locs;
    return host_key_location(partial, key);
  }

  std::optional<std::string> text(const char* key) {
    Field f = field(key);
    if (f.value == nullptr || !f.value->is_string()) {
      return std::nullopt;
    }
    return f.value->get<std::string>();
  }

  std::optional<bool> boolean(const char* key) {
    Field f = field(key);
    if (f.value == nullptr || !f.value->is_boolean()) {
      return std::nullopt;
    }
    return f.value->get<bool>();
  }

  // An unknown placeholder is a property of the text as written, so it is reported
  // at the text (once for a default shared by many hosts). The value is then "" so
  // that no later check reports the unexpanded text again.
  std::optional<std::string> expanded(const char* key) {
    Field f = field(key);
    if (f.value == nullptr || !f.value->is_string()) {
      return std::nullopt;
    }
    auto result = expand_placeholders(f.value->get<std::string>(), m_values);
    if (!result) {
      m_ctx.diags.add(m_ctx.source.at(f.at), result.error(),
                      "use {shortname} or {vhost}, or remove the braces");
      return std::string();
    }
    return *result;
  }

  void require_merged_keys(const model::Host& host) {
    for (const char* key : k_required_keys) {
      // A managed account's password is generated, never written in the manifest.
      if (host.key_locs.count(key) > 0 ||
          (host.manage_db_user && key == std::string_view("db_password"))) {
        continue;
      }
      JsonPath at = host_path();
      at.push_back(PathSegment::field(key));
      m_ctx.diags.add(m_ctx.source.at(at),
                      "`" + std::string(key) + "` is not set for host " +
                          (host.vhostname.empty() ? render_path(host_path()) : host.vhostname),
                      "set " + render_path(at) + " or defaults." + key);
    }
  }

  const json& m_entry;
  const json& m_defaults;
  int m_index;
  ResolveContext& m_ctx;
  PlaceholderValues m_values;
  std::map<std::string, Location> m_key_locs;
};

} // namespace

Location host_key_location(const model::Host& host, const std::string& key) {
  const std::string host_key = "hosts[" + std::to_string(host.index) + "]." + key;
  auto it = host.key_locs.find(key);
  if (it == host.key_locs.end()) {
    Location loc = host.loc;
    loc.path = host_key;
    return loc;
  }
  Location loc = it->second;
  if (loc.path != host_key) {
    loc.path = host_key + " (from " + loc.path + ")";
  }
  return loc;
}

std::vector<model::Host> resolve_hosts(const nlohmann::json& doc, ResolveContext& ctx) {
  std::vector<model::Host> hosts;
  const json defaults = doc.value("defaults", json::object());
  int index = 0;
  const json entries = doc.value("hosts", json::array());
  for (const auto& entry : entries) {
    if (entry.is_object()) {
      hosts.push_back(HostResolver(entry, defaults, index, ctx).resolve());
    }
    ++index;
  }
  return hosts;
}

} // namespace vmoodle::manifest
