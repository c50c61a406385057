// --parallelism caps a template load's sessions too: at 1, one thing at a time.
#include <gtest/gtest.h>

#include "integration/e2e/fleet_workspace.hpp"

namespace vmoodle::testing {
namespace {

// Sessions the server accepted so far (every connection, whoever opened it).
long connections(FleetWorkspace& ws) {
  auto rows = ws.rows("SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE "
                      "VARIABLE_NAME = 'CONNECTIONS'");
  return rows.empty() ? 0 : std::stol(rows.front());
}

// Sessions one apply opened to create host `shortname` at `parallelism`.
long sessions_for_create(FleetWorkspace& ws, const std::string& head, const std::string& shortname,
                         const std::string& parallelism) {
  const auto manifest = ws.write_manifest(head + "  - vhostname: https://" + shortname +
                                          ".example.org\n" + "    shortname: " + shortname + "\n");
  const long before = connections(ws);
  auto applied = ws.cli({"apply", "-f", manifest, "--auto-approve", "--parallelism", parallelism});
  EXPECT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  return connections(ws) - before - 1; // less the one counting
}

TEST(Parallelism, OneMeansATemplateLoadOnASingleSession) {
  FleetWorkspace ws("e2epar");
  // Each apply creates one host; the earlier one is kept in the manifest, unchanged.
  std::string head = ws.manifest_head() + "hosts:\n";
  const long at_one = sessions_for_create(ws, head, "one", "1");
  head += "  - vhostname: https://one.example.org\n    shortname: one\n";
  const long at_four = sessions_for_create(ws, head, "four", "4");
  // The same work but for the four load sessions (beside the create's own) of a load at
  // --parallelism 4; at 1 the create's own session loads alone.
  EXPECT_EQ(at_four - at_one, 4) << "at 1: " << at_one << ", at 4: " << at_four;
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.master_db() + "`.`mdl_local_vmoodle`"),
            (std::vector<std::string>{"2"}));
}

} // namespace
} // namespace vmoodle::testing
