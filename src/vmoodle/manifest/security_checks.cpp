// TLS options of servers and managed accounts of hosts: the rules the schema cannot express.
#include "vmoodle/manifest/identifiers.hpp"
#include "vmoodle/manifest/resolve.hpp"
#include "vmoodle/manifest/semantic_checks.hpp"

namespace vmoodle::manifest {

namespace {

Location server_key(const SourceMap& source, const model::Server& server, const char* key) {
  const JsonPath with_key{PathSegment::field("servers"), PathSegment::field(server.name),
                          PathSegment::field(key)};
  if (source.has(with_key)) {
    return source.at(with_key);
  }
  return source.at({PathSegment::field("servers"), PathSegment::field(server.name)});
}

void check_server_tls(const model::Server& server, const SourceMap& source, Diagnostics& diags) {
  const bool verifies = server.ssl_mode == model::SslMode::verify_ca ||
                        server.ssl_mode == model::SslMode::verify_identity;
  if (verifies && server.ssl_ca.empty()) {
    diags.add(server_key(source, server, "ssl_mode"),
              "ssl_mode " + model::to_string(server.ssl_mode) + " of server `" + server.name +
                  "` needs ssl_ca",
              "set ssl_ca to the CA certificate (PEM) that signed the server's certificate");
  }
  if (server.ssl_cert.empty() != server.ssl_key.empty()) {
    const char* written = server.ssl_cert.empty() ? "ssl_key" : "ssl_cert";
    diags.add(server_key(source, server, written),
              std::string(written) + " of server `" + server.name + "` is set without " +
                  (server.ssl_cert.empty() ? "ssl_cert" : "ssl_key"),
              "a client certificate needs both its certificate (ssl_cert) and key (ssl_key)");
  }
  if (server.ssl_mode == model::SslMode::disabled) {
    for (const char* key : {"ssl_ca", "ssl_cert", "ssl_key"}) {
      const JsonPath path{PathSegment::field("servers"), PathSegment::field(server.name),
                          PathSegment::field(key)};
      if (source.has(path)) {
        diags.add(source.at(path),
                  std::string(key) + " is set but server `" + server.name +
                      "` has ssl_mode: disabled",
                  "remove it, or choose an ssl_mode that uses TLS");
      }
    }
  }
}

void check_managed_account(const model::Host& host, const model::Fleet& fleet, Diagnostics& diags) {
  if (!host.manage_db_user || host.state != model::HostState::present) {
    return;
  }
  if (host.db_password) {
    diags.add(host_key_location(host, "db_password"),
              "host " + host.vhostname + " has manage_db_user: true and a db_password",
              "remove db_password: vmoodle-apply generates the managed account's password and "
              "keeps it only in the registry");
  }
  const model::Server* server = fleet.find_server(host.server);
  if (server != nullptr && !host.db_user.empty() && host.db_user == server->user) {
    diags.add(host_key_location(host, "db_user"),
              "db_user `" + host.db_user + "` of host " + host.vhostname +
                  " is the account vmoodle-apply connects to server `" + server->name + "` with",
              "a managed account is created and dropped with its host: give it a name of its "
              "own, such as m_{shortname}");
  }
}

} // namespace

void check_security(const model::Fleet& fleet, const SourceMap& source, Diagnostics& diags) {
  for (const auto& [name, server] : fleet.servers) {
    check_server_tls(server, source, diags);
  }
  for (const auto& host : fleet.hosts) {
    check_managed_account(host, fleet, diags);
  }
}

} // namespace vmoodle::manifest
