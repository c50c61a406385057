#pragma once

#include <memory>
#include <string>

#include "vmoodle/apply/effects.hpp"
#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/plan/plan.hpp"

namespace vmoodle::apply {

/// What every action (create, update, migrate, snapshot, destroy) gets. Actions of
/// different hosts run on different threads: each opens its own connections, and
/// `effects` are safe to share.
struct ActionContext {
  const model::Fleet& fleet;
  const model::LiveState& live; ///< as refreshed before the plan was made
  Effects effects;
  /// apply's --parallelism: changes at once, and also the sessions one template load may
  /// use (so that `--parallelism 1` does one thing at a time on every server).
  int parallelism = 4;
};

/// A new session on the manifest's server `server_name`, its password resolved
/// through `ctx.effects.secrets`; `database` selected when not empty.
Result<std::unique_ptr<db::Connection>> connect_to(const ActionContext& ctx,
                                                   const std::string& server_name,
                                                   const std::string& database = "");

/// A new session on the master's server (the registry's).
Result<std::unique_ptr<db::Connection>> connect_to_master(const ActionContext& ctx);

} // namespace vmoodle::apply
