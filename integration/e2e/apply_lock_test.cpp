// Two applies at once: the second waits --lock-timeout, then names the holder.
#include <gtest/gtest.h>

#include <future>

#include "integration/e2e/fleet_workspace.hpp"

namespace vmoodle::testing {
namespace {

TEST(ApplyLock, ASecondApplyNamesTheHolderAndChangesNothing) {
  FleetWorkspace ws("e2elock");
  const auto manifest = ws.write_manifest(
      ws.manifest_head() + "hosts:\n  - vhostname: https://l.example.org\n    shortname: l\n");
  // Another apply, as the server sees it: a session holding the fleet's named lock.
  auto holder = ws.sandbox().connect();
  auto got = holder->query("SELECT GET_LOCK('vmoodle-apply/" + ws.master_db() + "', 0)");
  ASSERT_TRUE(got);
  ASSERT_EQ(got->rows.at(0).at(0).value_or(""), "1");

  auto refused = ws.cli({"apply", "-f", manifest, "--auto-approve", "--lock-timeout", "1"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("another apply holds the lock vmoodle-apply/" + ws.master_db()),
            std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("vmoodle_admin@localhost"), std::string::npos) << refused.err;
  EXPECT_TRUE(ws.rows("SELECT id FROM `" + ws.master_db() + "`.`mdl_local_vmoodle`").empty());

  // Two real applies together: one creates the host; the other waits for the lock, then
  // reads live state and finds nothing left to do. Never two creations, never a conflict.
  holder.reset();
  auto first = std::async(std::launch::async, [&] {
    return ws.cli({"apply", "-f", manifest, "--auto-approve", "--lock-timeout", "60"});
  });
  auto second = ws.cli({"apply", "-f", manifest, "--auto-approve", "--lock-timeout", "60"});
  auto one = first.get();
  EXPECT_EQ(one.exit_code, 0) << one.out << one.err;
  EXPECT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE((one.out + second.out).find("No changes."), std::string::npos);
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.master_db() + "`.`mdl_local_vmoodle`"),
            (std::vector<std::string>{"1"}));
}

} // namespace
} // namespace vmoodle::testing
