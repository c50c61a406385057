#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "vmoodle/manifest/resolve.hpp"
#include "vmoodle/model/fleet.hpp"

namespace vmoodle::manifest {

/// Default and bounds of a hook command's `timeout` (seconds); the schema holds the same.
inline constexpr int k_default_hook_timeout = 600;

/// The hooks of `host` (hosts[`index`], written as `entry`): each hook name of the
/// entry's `hooks:` replaces the same name of `defaults.hooks`. Placeholders {vhostname},
/// {shortname}, {database} and {dataroot} take `host`'s resolved values, so `host` must
/// be resolved otherwise. An unknown placeholder, or a program that is neither an
/// absolute path nor a bare name, goes to `ctx.diags` at the argument as written; such a
/// command is left out.
std::map<std::string, std::vector<model::HookCommand>>
resolve_hooks(const nlohmann::json& entry, const nlohmann::json& defaults, int index,
              const model::Host& host, ResolveContext& ctx);

} // namespace vmoodle::manifest
