#pragma once

#include <string>
#include <vector>

#include "vmoodle/diff/registry_row.hpp"
#include "vmoodle/model/fleet.hpp"

namespace vmoodle::apply {

/// `INSERT` of the whole row; `mnet: new` becomes `MAX(mnet)+1` in the same statement.
std::string insert_registry_row(const model::Master& master, const diff::DesiredRow& row,
                                std::int64_t timecreated);

/// `UPDATE … SET` of exactly `columns`, for the row `id` of `vhostname`.
std::string update_registry_row(const model::Master& master, const diff::DesiredRow& row,
                                const std::vector<std::string>& columns, std::int64_t id);

} // namespace vmoodle::apply
