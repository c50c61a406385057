// Faults in the middle of a step, not at its boundary: the tool SIGKILLed while a
// template load, a snapshot dump or a migration's ALTER TABLE is running, and the tool's
// database session killed (KILL CONNECTION) while a load runs. After each, the next
// apply converges and nothing is lost or duplicated; a half-written snapshot is never
// taken for a template.
//
// The faults are placed deterministically: a "gated" template waits on a user lock the
// test holds; a snapshot dump and an ALTER TABLE wait on a table the test has locked.
#include <csignal>

#include "integration/faults/fault_fixture.hpp"
#include "integration/migrate/migrate_fixture.hpp"

namespace vmoodle::testing::faults {
namespace {

constexpr const char* k_mid_step_lock = "vmoodle_fault_gate_fmid";

class MidStepFaults : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    s_ws = new FleetWorkspace("fmid");
    make_gated_template(*s_ws, "gated", k_mid_step_lock);
    // The reference: a host created from the gated template with the gate open.
    auto created = s_ws->cli(
        {"apply", "-f", hosts_manifest(*s_ws, {"fref"}, "gated", "fref.yaml"), "--auto-approve"});
    if (created.exit_code != 0) {
      FAIL() << output_of(created);
    }
  }
  static void TearDownTestSuite() {
    delete s_ws;
    s_ws = nullptr;
  }

  static FleetWorkspace* s_ws;
};

FleetWorkspace* MidStepFaults::s_ws = nullptr;

TEST_F(MidStepFaults, KillDuringTemplateLoadThenApplyConverges) {
  auto& ws = *s_ws;
  const auto manifest = hosts_manifest(ws, {"fload"}, "gated", "fload.yaml");
  Gate gate(ws.sandbox(), k_mid_step_lock);
  auto apply = start_cli(ws, {"apply", "-f", manifest, "--auto-approve"});
  wait_for_statement(ws.sandbox(), "%GET_LOCK(''" + std::string(k_mid_step_lock) + "''%");
  // Half loaded: some of the template's tables are there, not all.
  const auto loaded = ws.checksums(ws.db("fload")).size();
  EXPECT_GT(loaded, 0u);
  EXPECT_LT(loaded, ws.checksums(ws.db("fref")).size());
  apply->signal(SIGKILL);
  auto killed = apply->wait();
  ASSERT_EQ(killed.exit_code, 137) << killed.out;
  EXPECT_EQ(killed.out.find(vhost_of("fload") + ": template done"), std::string::npos)
      << killed.out;
  gate.open();

  auto again = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << output_of(again);
  expect_converged(ws, manifest);
  expect_same_host(ws, "fload", "fref");
}

TEST_F(MidStepFaults, ConnectionKilledDuringTemplateLoadFailsClearlyThenApplyConverges) {
  auto& ws = *s_ws;
  const auto manifest = hosts_manifest(ws, {"fconn"}, "gated", "fconn.yaml");
  Gate gate(ws.sandbox(), k_mid_step_lock);
  auto apply = start_cli(ws, {"apply", "-f", manifest, "--auto-approve"});
  const std::string id =
      wait_for_statement(ws.sandbox(), "%GET_LOCK(''" + std::string(k_mid_step_lock) + "''%");
  ASSERT_TRUE(gate.session().execute("KILL CONNECTION " + id)) << id;
  auto failed = apply->wait();
  EXPECT_EQ(failed.exit_code, 1) << failed.out;
  EXPECT_NE(failed.out.find(vhost_of("fconn") + ": template FAILED"), std::string::npos)
      << failed.out;
  EXPECT_NE(failed.out.find("vmoodle_master.sql:"), std::string::npos)
      << "the error names the dump and its line\n"
      << failed.out;
  gate.open();

  auto again = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << output_of(again);
  expect_converged(ws, manifest);
  expect_same_host(ws, "fconn", "fref");
}

TEST_F(MidStepFaults, KillDuringSnapshotDumpLeavesNoTemplateAndApplyRetakesIt) {
  auto& ws = *s_ws;
  // The snapshot of fref and a host created from it, in one manifest.
  const std::string manifest = ws.write_manifest(
      ws.manifest_head() + "snapshots:\n  - name: fsnap\n    from: " + vhost_of("fref") +
          "\nhosts:\n" + host_entry("fref", "    name: \"Site fref\"\n    template: gated\n") +
          host_entry("fsnaphost", "    name: \"Site fsnaphost\"\n    template: fsnap\n"),
      "fsnap.yaml");
  // The dump reads tables in name order; the test locks one in the middle.
  const auto tables = ws.rows("SELECT TABLE_NAME FROM information_schema.TABLES WHERE "
                              "TABLE_SCHEMA = '" +
                              ws.db("fref") + "' ORDER BY TABLE_NAME");
  ASSERT_GT(tables.size(), 2u);
  const std::string locked = tables[tables.size() / 2];
  auto lock = ws.sandbox().connect(ws.db("fref"));
  ASSERT_TRUE(lock->execute("LOCK TABLES `" + locked + "` WRITE"));

  auto apply = start_cli(ws, {"apply", "-f", manifest, "--auto-approve"});
  wait_for_statement(ws.sandbox(), "%" + locked + "%", "Waiting for table metadata lock");
  EXPECT_EQ(template_entries(ws, "fsnap"), (std::vector<std::string>{".fsnap.partial_sql"}));
  apply->signal(SIGKILL);
  auto killed = apply->wait();
  ASSERT_EQ(killed.exit_code, 137) << killed.out;
  lock.reset();

  // The half-written dump is not a template: the plan takes the snapshot again before
  // creating the host from it.
  auto plan = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  ASSERT_EQ(plan.exit_code, 2) << output_of(plan);
  EXPECT_NE(plan.out.find("Plan: 1 to create, 0 to update, 0 to migrate, 1 to snapshot"),
            std::string::npos)
      << plan.out;

  auto again = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << output_of(again);
  EXPECT_LT(again.out.find("snapshot.fsnap: publish done"),
            again.out.find(vhost_of("fsnaphost") + ": database done"))
      << again.out;
  EXPECT_EQ(template_entries(ws, "fsnap"),
            (std::vector<std::string>{"fsnap_sql", "fsnap_vmoodledata"}));
  expect_converged(ws, manifest);
  expect_same_host(ws, "fsnaphost", "fref");
}

// The same at the snapshot's step boundaries (VMOODLE_APPLY_CRASH_AFTER): after the dump
// (a complete dump not yet published) and after the files copy.
TEST_F(MidStepFaults, KillAfterEachSnapshotStepLeavesNoTemplateAndApplyRetakesIt) {
  auto& ws = *s_ws;
  for (const std::string step : {"dump", "files"}) {
    SCOPED_TRACE(step);
    const std::string name = "fstep_" + step;
    const std::string manifest = ws.write_manifest(
        ws.manifest_head() + "snapshots:\n  - name: " + name + "\n    from: " + vhost_of("fref") +
            "\nhosts:\n" + host_entry("fref", "    name: \"Site fref\"\n    template: gated\n"),
        name + ".yaml");
    auto killed = run_command({VMOODLE_APPLY_BINARY, "apply", "-f", manifest, "--auto-approve"},
                              {{"VMOODLE_APPLY_CRASH_AFTER", "snapshot." + name + "|" + step},
                               {"E2E_HOST_PASSWORD", FleetWorkspace::k_host_password},
                               {"VMOODLE_SANDBOX_PASSWORD", ws.sandbox().password()}});
    ASSERT_EQ(killed.exit_code, 137) << output_of(killed);
    for (const auto& entry : template_entries(ws, name)) {
      EXPECT_EQ(entry.front(), '.') << "a visible template folder after a kill: " << entry;
    }
    auto plan = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
    ASSERT_EQ(plan.exit_code, 2) << output_of(plan);
    EXPECT_NE(plan.out.find("1 to snapshot"), std::string::npos) << plan.out;

    auto again = ws.cli({"apply", "-f", manifest, "--auto-approve"});
    ASSERT_EQ(again.exit_code, 0) << output_of(again);
    EXPECT_EQ(template_entries(ws, name),
              (std::vector<std::string>{name + "_sql", name + "_vmoodledata"}));
    expect_converged(ws, manifest);
  }
}

TEST_F(MidStepFaults, KillDuringMigrationThenApplyConvergesWithEveryRow) {
  auto& ws = *s_ws;
  // Two copies of a legacy site: one migrated in one run (the reference), one killed
  // while an ALTER TABLE waits on a table the test holds.
  auto created =
      ws.cli({"apply", "-f",
              ws.write_manifest(ws.manifest_head() + host_entries({"fmref", "fmkill"}), "fm.yaml"),
              "--auto-approve"});
  ASSERT_EQ(created.exit_code, 0) << output_of(created);
  load_legacy_site(ws, ws.db("fmref"));
  load_legacy_site(ws, ws.db("fmkill"));
  std::map<std::string, std::vector<std::string>> counts_before;
  for (const auto& [table, sum] : ws.checksums(ws.db("fmkill"))) {
    counts_before[table] =
        ws.rows("SELECT COUNT(*) FROM `" + ws.db("fmkill") + "`.`" + table + "`");
  }
  const std::string head = head_with_defaults(ws, k_moodle_target);
  auto migrated =
      ws.cli({"apply", "-f", ws.write_manifest(head + host_entries({"fmref"}), "fmref.yaml"),
              "--auto-approve"});
  ASSERT_EQ(migrated.exit_code, 0) << output_of(migrated);

  const auto manifest = ws.write_manifest(head + host_entries({"fmkill"}), "fmkill.yaml");
  auto lock = ws.sandbox().connect(ws.db("fmkill"));
  ASSERT_TRUE(lock->execute("LOCK TABLES `mdl_log` READ"));
  auto apply = start_cli(ws, {"apply", "-f", manifest, "--auto-approve"});
  const std::string id = wait_for_statement(ws.sandbox(), "ALTER TABLE %`mdl_log`%",
                                            "Waiting for table metadata lock");
  apply->signal(SIGKILL);
  auto killed = apply->wait();
  ASSERT_EQ(killed.exit_code, 137) << killed.out;
  EXPECT_NE(killed.out.find("preflight done"), std::string::npos) << killed.out;
  lock.reset();
  // The server may still finish (or undo) the statement of the dead client.
  wait_until_gone(ws.sandbox(), id);

  auto again = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << output_of(again);
  expect_converged(ws, manifest);
  EXPECT_EQ(tables_not_at(table_states(ws, ws.db("fmkill")), "InnoDB|Dynamic|utf8mb4_unicode_ci"),
            std::vector<std::string>{});
  // Every row kept, once: the same counts as before, and the same content as the
  // reference (but for the tables the fix-up made for each host).
  const auto reference = ws.checksums(ws.db("fmref"));
  const auto actual = ws.checksums(ws.db("fmkill"));
  ASSERT_EQ(actual.size(), reference.size());
  const auto changed = sql::fixup_changed_tables("mdl_");
  for (const auto& [table, sum] : reference) {
    ASSERT_TRUE(actual.count(table)) << table;
    if (std::find(changed.begin(), changed.end(), table) == changed.end()) {
      EXPECT_EQ(actual.at(table), sum) << table;
    }
    EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.db("fmkill") + "`.`" + table + "`"),
              counts_before[table])
        << table;
  }
}

} // namespace
} // namespace vmoodle::testing::faults
