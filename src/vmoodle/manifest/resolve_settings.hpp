#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "vmoodle/manifest/resolve.hpp"
#include "vmoodle/model/settings.hpp"

namespace vmoodle::manifest {

/// The site settings of host `index` (`config:`, `config_plugins:`, `maintenance:`),
/// merged over those of `defaults:` name by name; a host's `null` drops a default's
/// name. `maintenance: true|false` becomes `config.maintenance_enabled` `1`/`0`.
///
/// Records where each managed key was written in `key_locs` (`config.NAME`,
/// `config_plugins.PLUGIN.NAME`). Reports to `ctx.diags` names Moodle cannot store or
/// that the database would confuse (too long, outside printable ASCII, two names that
/// differ only in case) and `maintenance` set together with `config.maintenance_enabled`.
model::Settings resolve_settings(const nlohmann::json& entry, const nlohmann::json& defaults,
                                 int index, ResolveContext& ctx,
                                 std::map<std::string, Location>& key_locs);

/// A setting's value as Moodle stores it: strings as they are, booleans `1`/`0`,
/// integers as their digits.
std::string setting_text(const nlohmann::json& value);

} // namespace vmoodle::manifest
