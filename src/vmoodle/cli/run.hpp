#pragma once

namespace vmoodle::cli {

/// Exit codes, as Terraform's `-detailed-exitcode` has them.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_error = 1;
inline constexpr int k_exit_changes = 2;

/// Parses the command line and runs the subcommand; returns the exit code.
int run(int argc, char** argv);

} // namespace vmoodle::cli
