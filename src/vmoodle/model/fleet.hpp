#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "vmoodle/model/hook.hpp"
#include "vmoodle/model/settings.hpp"
#include "vmoodle/util/error.hpp"

namespace vmoodle::model {

/// Where a password comes from. The manifest never holds a literal password.
struct SecretRef {
  enum class Source { env, file };
  Source source = Source::env;
  std::string name; ///< variable name or file path
  Location loc;

  /// `env DB1_PASSWORD` or `file /etc/vmoodle/db1.pass`: safe to print.
  std::string describe() const;
  bool operator==(const SecretRef& other) const {
    return source == other.source && name == other.name;
  }
};

/// `ssl_mode` of a server: as MySQL's client `--ssl-mode`. `preferred` uses TLS when the
/// server offers it; `required` refuses a plain session; `verify_ca` also checks the
/// certificate against `ssl_ca`; `verify_identity` also checks the host name.
enum class SslMode { disabled, preferred, required, verify_ca, verify_identity };

/// `verify_ca` for SslMode::verify_ca...: the manifest spelling.
std::string to_string(SslMode mode);
/// The mode spelled `text` in a manifest, or nullopt.
std::optional<SslMode> ssl_mode_from_string(const std::string& text);

/// A database server the tool connects to (`servers.<name>`).
struct Server {
  std::string name;
  std::string host;   ///< TCP host; empty when `socket` is used
  std::string socket; ///< Unix socket path; empty when `host` is used
  unsigned port = 3306;
  std::string user;
  std::optional<SecretRef> password;
  std::string registry_host; ///< written to `vdbhost`; defaults to `host` (or `localhost`)
  int max_parallel = 4;
  /// TLS for every connection to this server (`ssl_mode`, see docs/manifest.md).
  SslMode ssl_mode = SslMode::preferred;
  std::string ssl_ca;   ///< CA bundle (PEM) the server's certificate must chain to
  std::string ssl_cert; ///< client certificate (PEM), with `ssl_key`
  std::string ssl_key;  ///< client private key (PEM), with `ssl_cert`
  Location loc;

  /// `db1 (127.0.0.1:3306)` or `db1 (/run/mysqld/mysqld.sock)`.
  std::string describe() const;
};

/// The master Moodle: its database holds the registry, its dataroot the templates.
struct Master {
  std::string server;
  std::string database;
  std::string prefix = "mdl_";
  std::string dataroot;
  std::string wwwroot;
  Location loc;

  std::string registry_table() const { return prefix + "local_vmoodle"; }
  std::string templates_dir() const { return dataroot + "/vmoodle"; }
};

/// VMoodle's `mnet` column: -1 off, 0 master only, N sub-network; `new` allocates
/// `MAX(mnet)+1` when the host is created and is not compared afterwards.
struct Mnet {
  bool allocate_new = false;
  int value = -1;
  bool operator==(const Mnet&) const = default;
};

enum class HostState { present, absent };

/// One host after `defaults:` are merged in and placeholders expanded.
struct Host {
  int index = 0; ///< position in `hosts:`
  std::string vhostname;
  std::string shortname;
  std::string name;
  std::string description;
  std::string server;
  std::string database;
  std::string prefix = "mdl_";
  std::string db_type = "mariadb";
  std::string db_user;
  std::optional<SecretRef> db_password;
  /// `manage_db_user`: vmoodle-apply creates `db_user`@`db_user_host` with privileges on
  /// `database` only, generates its password (kept only in the registry's `vdbpass`)
  /// and drops the account on destroy.
  bool manage_db_user = false;
  std::string db_user_host = "%";
  bool db_persist = false;
  std::string dataroot;
  std::optional<std::string> charset;
  std::optional<std::string> collation;
  std::optional<std::string> engine;
  std::optional<std::string> row_format;
  Mnet mnet;
  bool enabled = true;
  std::optional<std::string> template_name;
  bool protect = false;
  HostState state = HostState::present;
  bool final_snapshot = true;
  /// `hooks:` by hook name (`after_create`...), each a list run in order; a host's own
  /// list replaces the one of `defaults:` for that name.
  std::map<std::string, std::vector<HookCommand>> hooks;
  /// `config:`, `config_plugins:` and `maintenance:`, merged over `defaults:`.
  Settings settings;
  Location loc; ///< of `hosts[i]`
  /// Location of each key as written (in the host or in `defaults:`), by key name.
  std::map<std::string, Location> key_locs;

  /// Location of `key`, falling back to the host entry itself.
  Location where(const std::string& key) const;
};

/// A template to take from a live host (`snapshots:`).
struct Snapshot {
  std::string name;
  std::string from;
  Location loc;
};

/// The whole manifest, validated and resolved.
struct Fleet {
  std::string file;
  int version = 1;
  std::map<std::string, Server> servers;
  Master master;
  std::vector<std::string> dataroot_roots;
  std::vector<Host> hosts;
  std::vector<Snapshot> snapshots;

  const Host* find_host(const std::string& vhostname) const;
  const Server* find_server(const std::string& name) const;
};

} // namespace vmoodle::model
