#pragma once

#include <string>
#include <vector>

#include "vmoodle/util/error.hpp"

namespace vmoodle::model {

/// One command of a host's hook (`hooks.after_create[i]`), placeholders expanded.
struct HookCommand {
  std::vector<std::string> argv; ///< argv[0] absolute or a bare program name
  int timeout_seconds = 600;
  Location loc; ///< where it was written
};

/// Hook names, in the order the manifest documents them.
inline constexpr const char* k_hook_names[] = {"after_create", "after_update", "after_migrate",
                                               "after_config", "before_destroy"};

} // namespace vmoodle::model
