#pragma once

#include "vmoodle/apply/reporter.hpp"
#include "vmoodle/db/connection.hpp"
#include "vmoodle/platform/clock.hpp"
#include "vmoodle/platform/filesystem.hpp"
#include "vmoodle/platform/process_runner.hpp"
#include "vmoodle/platform/secrets.hpp"

namespace vmoodle::apply {

/// Everything apply may touch, behind interfaces.
struct Effects {
  db::Connector& connector;
  platform::FileSystem& files;
  platform::SecretSource& secrets;
  platform::Clock& clock;
  Reporter& reporter;
  /// Runs hook commands; the default refuses to (see unavailable_process_runner()).
  platform::ProcessRunner& processes = platform::unavailable_process_runner();
};

} // namespace vmoodle::apply
