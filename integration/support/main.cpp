#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "integration/support/sandbox.hpp"

namespace vmoodle::testing {

namespace {

std::mutex g_mutex;
std::unique_ptr<MariadbSandbox> g_shared;
std::string g_start_error;

// Stops the shared sandbox once all tests ran, failed ones included. A crash
// skips this; the sandbox's watchdog then does the cleanup.
class SandboxEnvironment : public ::testing::Environment {
public:
  void SetUp() override {
    // Exported before any test starts a child, so that the CLI can resolve
    // `{env: VMOODLE_SANDBOX_PASSWORD}`.
    sandbox_password();
  }
  void TearDown() override {
    std::lock_guard lock(g_mutex);
    g_shared.reset();
  }
};

} // namespace

MariadbSandbox& shared_sandbox() {
  std::lock_guard lock(g_mutex);
  // Started on first use, so that a filtered run without database tests is quick;
  // a failed start is not retried by every test.
  if (!g_shared && g_start_error.empty()) {
    try {
      g_shared = std::make_unique<MariadbSandbox>();
    } catch (const std::exception& error) {
      g_start_error = error.what();
    }
  }
  if (!g_shared) {
    throw std::runtime_error(g_start_error);
  }
  return *g_shared;
}

} // namespace vmoodle::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new vmoodle::testing::SandboxEnvironment);
  return RUN_ALL_TESTS();
}
