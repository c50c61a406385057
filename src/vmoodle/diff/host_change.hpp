#pragma once

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/plan/plan.hpp"

namespace vmoodle::diff {

/// A change of `action` to `host`, naming where it acts (server, database, dataroot).
inline plan::HostChange change_for(const model::Host& host, plan::Action action) {
  plan::HostChange change;
  change.vhostname = host.vhostname;
  change.action = action;
  change.server = host.server;
  change.database = host.database;
  change.dataroot = host.dataroot;
  return change;
}

} // namespace vmoodle::diff
