#pragma once

#include "vmoodle/platform/clock.hpp"

namespace vmoodle::platform {

/// The real clocks: wall time for timestamps, the steady clock for durations.
class SystemClock : public Clock {
public:
  std::int64_t unix_seconds() override;
  std::int64_t monotonic_ms() override;
};

} // namespace vmoodle::platform
