#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

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
