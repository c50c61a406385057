#pragma once

#include "tests/fakes/fake_connection.hpp"
#include "tests/fakes/fake_effects.hpp"
#include "tests/fakes/memory_file_system.hpp"
#include "vmoodle/apply/effects.hpp"

namespace vmoodle::testing {

/// Every fake an apply action reaches the world through, wired together: a fixture
/// derives from it and reads what the action did from its members.
struct FakeWorld {
  FakeDatabase db;
  FakeConnector connector{db};
  MemoryFileSystem files;
  MapSecretSource secrets;
  FakeClock clock;
  RecordingReporter reporter;

  apply::Effects effects() { return apply::Effects{connector, files, secrets, clock, reporter}; }
};

} // namespace vmoodle::testing
