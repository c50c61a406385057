#include "vmoodle/platform/system_clock.hpp"

#include <chrono>

namespace vmoodle::platform {

std::int64_t SystemClock::unix_seconds() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::seconds>(now).count();
}

std::int64_t SystemClock::monotonic_ms() {
  auto now = std::chrono::steady_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
}

} // namespace vmoodle::platform
