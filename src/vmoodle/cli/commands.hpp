#pragma once

#include "vmoodle/cli/options.hpp"

namespace vmoodle::cli {

/// Each returns the process exit code and prints its own output and errors.
int validate_command(const Options& options);
int plan_command(const Options& options);
int apply_command(const Options& options);

} // namespace vmoodle::cli
