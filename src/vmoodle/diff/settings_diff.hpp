#pragma once

#include <optional>
#include <string>
#include <vector>

#include "vmoodle/model/fleet.hpp"
#include "vmoodle/model/live.hpp"
#include "vmoodle/plan/plan.hpp"

namespace vmoodle::diff {

/// The settings of `wanted` whose live value differs, `config` rows first, each in name
/// order. A key without a row is a change (`before` nullopt) even to an empty value;
/// a setting the manifest does not name is never looked at.
std::vector<plan::SettingChange> settings_changes(const model::Settings& wanted,
                                                  const model::SettingsFacts& live);

/// Every setting of `wanted` as one to write, `before` unknown: for a host not created yet.
std::vector<plan::SettingChange> all_settings(const model::Settings& wanted);

/// The `configure` change of `host`, or nothing when it manages no setting or they all
/// match. `creating`: the host is created (or its creation resumed) by this plan, so its
/// values are unknown until the template is loaded and every managed key is listed.
/// When the settings of an existing database could not be read, says why in `warnings`.
std::optional<plan::HostChange> configure_change(const model::Host& host,
                                                 const model::LiveState& live, bool creating,
                                                 std::vector<std::string>& warnings);

} // namespace vmoodle::diff
