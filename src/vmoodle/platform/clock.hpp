#pragma once

#include <cstdint>

namespace vmoodle::platform {

/// Time, injectable so that tests are deterministic.
class Clock {
public:
  virtual ~Clock() = default;
  /// Seconds since the epoch, for `timecreated`.
  virtual std::int64_t unix_seconds() = 0;
  /// Monotonic milliseconds, for elapsed times.
  virtual std::int64_t monotonic_ms() = 0;
};

} // namespace vmoodle::platform
