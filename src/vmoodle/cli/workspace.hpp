#pragma once

#include <map>
#include <string>

#include "vmoodle/cli/options.hpp"
#include "vmoodle/db/mysql_connector.hpp"
#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/plan/plan.hpp"
#include "vmoodle/platform/env_secret_source.hpp"
#include "vmoodle/platform/posix_filesystem.hpp"
#include "vmoodle/platform/posix_process_runner.hpp"
#include "vmoodle/platform/system_clock.hpp"
#include "vmoodle/util/secret.hpp"

namespace vmoodle::cli {

/// The real adapters, built once per command: the only place that chooses them.
struct Adapters {
  db::MysqlConnector connector;
  platform::PosixFileSystem files;
  platform::EnvSecretSource secrets;
  platform::SystemClock clock;
  platform::PosixProcessRunner processes;
};

/// The manifest's text and where it was read from.
struct ManifestSource {
  std::string path; ///< absolute, in the working tree
  std::string text;
  std::string commit;    ///< the commit read (`--rev`) or HEAD; empty outside git
  std::string rev;       ///< `--rev` as given
  bool dirty = false;    ///< the working-tree file differs from HEAD (never with `--rev`)
  std::string git_state; ///< `modified`, `untracked`, … for messages
};

/// A manifest loaded, its live state read and a plan made: what plan and apply share.
struct Planned {
  ManifestSource manifest;
  model::Fleet fleet;
  model::LiveState live;
  plan::Plan plan;
};

/// Reads the manifest at `path` (relative to the working directory), from the
/// working tree or, with `rev`, from that commit without a checkout; records its git
/// commit and whether it is dirty, and refuses a branch lacking `base`'s head.
Result<ManifestSource> read_manifest(Adapters& adapters, const std::string& path,
                                     const std::string& rev = "", const std::string& base = "");

/// Loads a manifest read by read_manifest(); relative paths resolve against its folder.
Result<model::Fleet> load_manifest_source(const ManifestSource& source);

/// Reads and loads the manifest at `path`.
Result<model::Fleet> load_manifest(Adapters& adapters, const std::string& path);

/// Load, resolve the selected hosts' passwords, refresh, diff.
Result<Planned> make_plan(Adapters& adapters, const Options& options);

/// Prints `error` on stderr as `Error: …` lines.
void print_error(const Error& error);

} // namespace vmoodle::cli
