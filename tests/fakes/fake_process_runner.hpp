#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "vmoodle/platform/process_runner.hpp"

namespace vmoodle::testing {

/// Records each command and answers with the result scripted for its program
/// (argv[0]); unscripted programs exit 0 without output. Thread-safe.
class FakeProcessRunner : public platform::ProcessRunner {
public:
  std::map<std::string, platform::ProcessResult> results; ///< by argv[0]
  std::vector<std::vector<std::string>> calls;
  std::vector<int> timeouts;

  Result<platform::ProcessResult> run(const std::vector<std::string>& argv,
                                      int timeout_seconds) override {
    std::lock_guard lock(m_mutex);
    calls.push_back(argv);
    timeouts.push_back(timeout_seconds);
    if (argv.front() == "missing-program") {
      return fail(ErrorKind::io, "program `missing-program` not found on PATH");
    }
    auto it = results.find(argv.front());
    return it == results.end() ? platform::ProcessResult{0, 0, false, "", false} : it->second;
  }

  /// The programs run so far, in order.
  std::vector<std::string> programs() {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    for (const auto& argv : calls) {
      out.push_back(argv.front());
    }
    return out;
  }

private:
  std::mutex m_mutex;
};

} // namespace vmoodle::testing
