#pragma once

#include <map>
#include <string>
#include <vector>

namespace vmoodle::testing {

/// What a finished child process left.
struct RunResult {
  int exit_code = -1; ///< the exit status, or 128 + signal when killed by one
  std::string out;    ///< everything written to stdout
  std::string err;    ///< everything written to stderr
};

/// Runs `argv` (searched on PATH, no shell) with the current environment plus
/// `env_extra` (which overrides), feeding it `stdin_text`, and waits for it. Output
/// is collected from both pipes at once, so a chatty child cannot deadlock. A program
/// that cannot be started gives exit code 127 and the reason in `err`.
RunResult run_command(const std::vector<std::string>& argv,
                      const std::map<std::string, std::string>& env_extra = {},
                      const std::string& stdin_text = "");

/// Both streams of `run`, stdout first: what a test searches for a message.
inline std::string all_output(const RunResult& run) {
  return run.out + run.err;
}

/// The exit status and both streams of `run`, for a failed assertion's message.
inline std::string output_of(const RunResult& run) {
  return "exit " + std::to_string(run.exit_code) + "\n" + run.out + run.err;
}

} // namespace vmoodle::testing
