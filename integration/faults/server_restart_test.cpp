// The database server restarted (clean shutdown, every session cut) while an apply is
// loading a template: the apply fails with an error naming the host and the step, and
// the next apply converges to the host an uninterrupted run makes. On a private sandbox:
// the shared one serves the other tests.
#include "integration/faults/fault_fixture.hpp"

namespace vmoodle::testing::faults {
namespace {

constexpr const char* k_restart_lock = "vmoodle_fault_gate_frestart";

TEST(ServerRestartFault, RestartDuringTemplateLoadThenApplyConverges) {
  MariadbSandbox sandbox;
  FleetWorkspace ws("frestart", sandbox);
  make_gated_template(ws, "gated", k_restart_lock);
  auto reference =
      ws.cli({"apply", "-f", hosts_manifest(ws, {"rref"}, "gated", "rref.yaml"), "--auto-approve"});
  ASSERT_EQ(reference.exit_code, 0) << output_of(reference);
  const auto registry_before =
      ws.rows("SELECT COUNT(*) FROM `" + ws.master_db() + "`.mdl_local_vmoodle");

  const auto manifest = hosts_manifest(ws, {"rload"}, "gated", "rload.yaml");
  auto gate = std::make_unique<Gate>(sandbox, k_restart_lock);
  auto apply = start_cli(ws, {"apply", "-f", manifest, "--auto-approve"});
  wait_for_statement(sandbox, "%GET_LOCK(''" + std::string(k_restart_lock) + "''%");
  gate.reset(); // its session would die with the server anyway
  sandbox.restart();
  auto failed = apply->wait();
  EXPECT_EQ(failed.exit_code, 1) << failed.out;
  EXPECT_NE(failed.out.find(vhost_of("rload") + ": template FAILED"), std::string::npos)
      << failed.out;

  auto again = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << output_of(again);
  expect_converged(ws, manifest);
  expect_same_host(ws, "rload", "rref");
  // One registry row more than before, the new host's; the reference's still there.
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.master_db() + "`.mdl_local_vmoodle"),
            std::vector<std::string>{std::to_string(std::stoi(registry_before.front()) + 1)});
  expect_converged(ws, hosts_manifest(ws, {"rref"}, "gated", "rref.yaml"));
}

} // namespace
} // namespace vmoodle::testing::faults
