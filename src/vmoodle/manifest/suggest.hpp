#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vmoodle::manifest {

/// The candidate an unknown `word` was most likely meant to be (a typo within a
/// couple of edits, or `password` for `db_password`), if any.
std::optional<std::string> closest_match(const std::string& word,
                                         const std::vector<std::string>& candidates);

} // namespace vmoodle::manifest
