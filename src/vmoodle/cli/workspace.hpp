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
#include "vmoodle/platform/system_clock.hpp"
#include "vmoodle/util/secret.hpp"

namespace vmoodle::cli {

/// The real adapters, built once per command: the only place that chooses them.
struct Adapters {
  db::MysqlConnector connector;
  platform::PosixFileSystem files;
  platform::EnvSecretSource secrets;
  platform::SystemClock clock;
};

/// The manifest's text and where it was read from.
struct ManifestSource {
  std::string path; ///< absolute
  std::string text;
};

/// A manifest loaded, its live state read and a plan made: what plan and apply share.
struct Planned {
  ManifestSource manifest;
  model::Fleet fleet;
  model::LiveState live;
  plan::Plan plan;
};

/// Reads the manifest at `path` (relative to the working directory).
Result<ManifestSource> read_manifest(Adapters& adapters, const std::string& path);

/// Reads and loads the manifest at `path`.
Result<model::Fleet> load_manifest(Adapters& adapters, const std::string& path);

/// Load, resolve the selected hosts' passwords, refresh, diff.
Result<Planned> make_plan(Adapters& adapters, const Options& options);

/// Prints `error` on stderr as `Error: …` lines.
void print_error(const Error& error);

} // namespace vmoodle::cli
