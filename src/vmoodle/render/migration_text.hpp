#pragma once

#include <string>
#include <vector>

#include "vmoodle/plan/plan.hpp"

namespace vmoodle::render {

/// One line per kind of change a migration makes, most tables first:
/// `312 tables utf8mb3_unicode_ci → utf8mb4_unicode_ci`, `14 tables MyISAM → InnoDB`,
/// `database default utf8mb3_general_ci → utf8mb4_unicode_ci`.
std::vector<std::string> migration_lines(const plan::Migration& migration);

/// `105.2 MB`, `3.0 GB`, `812 B`: the size a migration rewrites.
std::string human_bytes(std::uint64_t bytes);

} // namespace vmoodle::render
