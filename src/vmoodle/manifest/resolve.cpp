#include "vmoodle/manifest/resolve.hpp"

#include "vmoodle/manifest/paths.hpp"

namespace vmoodle::manifest {

namespace {

using nlohmann::json;

JsonPath path_of(std::initializer_list<PathSegment> segments) {
  return JsonPath(segments);
}

std::string string_or(const json& object, const char* key, std::string fallback) {
  if (object.is_object() && object.contains(key) && object.at(key).is_string()) {
    return object.at(key).get<std::string>();
  }
  return fallback;
}

bool is_server_name(const std::string& name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

model::Server resolve_server(const std::string& name, const json& value, ResolveContext& ctx) {
  const JsonPath at = path_of({PathSegment::field("servers"), PathSegment::field(name)});
  auto key = [&at](const char* field) {
    JsonPath out = at;
    out.push_back(PathSegment::field(field));
    return out;
  };
  model::Server server;
  server.name = name;
  server.loc = ctx.source.at(at);
  if (!is_server_name(name)) {
    const std::string escaped = shown(name);
    ctx.diags.add(server.loc, "invalid server name `" + escaped.substr(1, escaped.size() - 2) + "`",
                  "a server name may only contain letters, digits, `_` and `-`");
  }
  server.host = string_or(value, "host", "");
  if (value.contains("socket")) {
    server.socket =
        ctx.path(value.at("socket").get<std::string>(), ctx.source.at(key("socket"))).value_or("");
  }
  if (value.contains("port")) {
    server.port = value.at("port").get<unsigned>();
  }
  server.user = string_or(value, "user", "");
  if (value.contains("password")) {
    server.password = ctx.secret(value.at("password"), key("password"));
  }
  const std::string fallback_registry_host = server.host.empty() ? "localhost" : server.host;
  server.registry_host = string_or(value, "registry_host", fallback_registry_host);
  if (value.contains("max_parallel")) {
    server.max_parallel = value.at("max_parallel").get<int>();
  }
  // The schema allows only the five spellings.
  server.ssl_mode =
      model::ssl_mode_from_string(string_or(value, "ssl_mode", "")).value_or(server.ssl_mode);
  for (auto [name, target] :
       {std::pair{"ssl_ca", &server.ssl_ca}, std::pair{"ssl_cert", &server.ssl_cert},
        std::pair{"ssl_key", &server.ssl_key}}) {
    if (value.contains(name)) {
      *target = ctx.path(value.at(name).get<std::string>(), ctx.source.at(key(name))).value_or("");
    }
  }
  return server;
}

model::Master resolve_master(const json& value, ResolveContext& ctx) {
  const JsonPath at = path_of({PathSegment::field("master")});
  model::Master master;
  master.loc = ctx.source.at(at);
  master.server = string_or(value, "server", "");
  master.database = string_or(value, "database", "");
  master.prefix = string_or(value, "prefix", master.prefix);
  master.wwwroot = string_or(value, "wwwroot", "");
  if (value.contains("dataroot")) {
    JsonPath key = at;
    key.push_back(PathSegment::field("dataroot"));
    master.dataroot =
        ctx.path(value.at("dataroot").get<std::string>(), ctx.source.at(key)).value_or("");
  }
  return master;
}

} // namespace

std::optional<std::string> ResolveContext::path(const std::string& raw, const Location& loc) {
  const std::string quoted = shown(raw);
  if (auto problem = path_problem(raw)) {
    diags.add(loc, "invalid path " + quoted + ": " + *problem,
              "write the path without `.`, `..`, `//` or a trailing `/`");
    return std::nullopt;
  }
  auto resolved = resolve_path(raw, base_dir);
  if (!resolved) {
    diags.add(loc,
              "relative path " + quoted + " cannot be resolved without the manifest's directory",
              "write an absolute path");
  }
  return resolved;
}

std::optional<model::SecretRef> ResolveContext::secret(const nlohmann::json& value,
                                                       const JsonPath& at) {
  if (!value.is_object() || value.size() != 1) {
    return std::nullopt;
  }
  model::SecretRef ref;
  ref.loc = source.at(at);
  if (value.contains("env")) {
    ref.source = model::SecretRef::Source::env;
    ref.name = value.at("env").get<std::string>();
    return ref;
  }
  ref.source = model::SecretRef::Source::file;
  JsonPath file_at = at;
  file_at.push_back(PathSegment::field("file"));
  auto resolved = path(value.at("file").get<std::string>(), source.at(file_at));
  if (!resolved) {
    return std::nullopt;
  }
  ref.name = *resolved;
  return ref;
}

model::Fleet resolve(const nlohmann::json& doc, ResolveContext& ctx) {
  model::Fleet fleet;
  fleet.file = ctx.source.file();
  fleet.version = doc.value("version", 1);
  const json servers = doc.value("servers", json::object());
  for (const auto& [name, value] : servers.items()) {
    fleet.servers.emplace(name, resolve_server(name, value, ctx));
  }
  fleet.master = resolve_master(doc.value("master", json::object()), ctx);
  int index = 0;
  const json roots = doc.value("dataroot_roots", json::array());
  for (const auto& root : roots) {
    const JsonPath at = path_of({PathSegment::field("dataroot_roots"), PathSegment::item(index)});
    auto resolved = ctx.path(root.get<std::string>(), ctx.source.at(at));
    if (resolved && *resolved == "/") {
      ctx.diags.add(
          ctx.source.at(at), "`/` cannot be a dataroot root",
          "name the directory that holds the host dataroots, e.g. /var/moodledata/vhosts");
    } else if (resolved) {
      fleet.dataroot_roots.push_back(*resolved);
    }
    ++index;
  }
  index = 0;
  const json snapshots = doc.value("snapshots", json::array());
  for (const auto& entry : snapshots) {
    const JsonPath at = path_of({PathSegment::field("snapshots"), PathSegment::item(index)});
    fleet.snapshots.push_back(model::Snapshot{string_or(entry, "name", ""),
                                              string_or(entry, "from", ""), ctx.source.at(at)});
    ++index;
  }
  fleet.hosts = resolve_hosts(doc, ctx);
  return fleet;
}

} // namespace vmoodle::manifest
