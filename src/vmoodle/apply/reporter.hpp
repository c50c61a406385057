#pragma once

#include <cstdint>
#include <string>

namespace vmoodle::apply {

/// Where apply says what it does. The CLI prints to the terminal; tests record.
class Reporter {
public:
  virtual ~Reporter() = default;
  /// A step of `host` finished after `elapsed_ms`.
  virtual void step_done(const std::string& host, const std::string& step,
                         std::int64_t elapsed_ms) = 0;
  /// A long step of `host` moved on (`detail` such as "12,000 statements").
  virtual void progress(const std::string& host, const std::string& step,
                        const std::string& detail) = 0;
  /// A step of `host` failed; `error` is already rendered.
  virtual void step_failed(const std::string& host, const std::string& step,
                           const std::string& error) = 0;
};

} // namespace vmoodle::apply
