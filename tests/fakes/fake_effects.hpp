#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "vmoodle/apply/reporter.hpp"
#include "vmoodle/platform/clock.hpp"
#include "vmoodle/platform/secrets.hpp"

namespace vmoodle::testing {

/// Secrets from a map keyed by the reference's name; unknown names fail.
class MapSecretSource : public platform::SecretSource {
public:
  std::map<std::string, std::string> values;
  Result<Secret> resolve(const model::SecretRef& ref) override {
    auto it = values.find(ref.name);
    if (it == values.end()) {
      return fail(ErrorKind::secret, "not set: " + ref.describe());
    }
    return Secret(it->second);
  }
};

/// Each monotonic reading is 100 ms after the previous one. Atomic: shared by threads.
class FakeClock : public platform::Clock {
public:
  std::atomic<std::int64_t> now = 1700000000;
  std::atomic<std::int64_t> ms = 0;
  std::int64_t unix_seconds() override { return now; }
  std::int64_t monotonic_ms() override { return ms += 100; }
};

/// Records every report as `host|step|event`, and the rendered errors of failures
/// in `errors`. Thread-safe like the real reporter; read the members once the code
/// under test has returned.
class RecordingReporter : public apply::Reporter {
public:
  std::vector<std::string> events;
  std::vector<std::string> errors;
  void step_done(const std::string& host, const std::string& step, std::int64_t) override {
    std::lock_guard lock(m_mutex);
    events.push_back(host + "|" + step + "|done");
  }
  void progress(const std::string&, const std::string&, const std::string&) override {}
  void step_failed(const std::string& host, const std::string& step,
                   const std::string& error) override {
    std::lock_guard lock(m_mutex);
    events.push_back(host + "|" + step + "|failed");
    errors.push_back(error);
  }

private:
  std::mutex m_mutex;
};

} // namespace vmoodle::testing
