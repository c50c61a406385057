#pragma once

#include "vmoodle/db/connection.hpp"
#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/platform/filesystem.hpp"
#include "vmoodle/platform/secrets.hpp"

namespace vmoodle::live {

/// What refresh needs from the outside world; read-only.
struct Sources {
  db::Connector& connector;
  platform::FileReader& files;
  platform::SecretSource& secrets;
};

/// Reads the live state the manifest refers to: the registry and the master's
/// identity, every managed database (a fixed number of queries per server, servers
/// read in parallel), each host's dataroot and the templates folder. Writes nothing.
Result<model::LiveState> refresh(const model::Fleet& fleet, Sources sources);

} // namespace vmoodle::live
