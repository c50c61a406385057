// Registry rows written by someone else (VMoodle's web UI, a CSV import, an attacker with
// access to the master) are data: plan, drift, every output format and an apply that
// updates a managed host must show them escaped, never run them as SQL, and never let
// them forge an output line.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "integration/e2e/fleet_workspace.hpp"
#include "vmoodle/render/plan_text.hpp"
#include "vmoodle/sql/quote.hpp"

namespace vmoodle::testing {
namespace {

// A line no honest output of these runs contains: the fleet has one update at most.
const std::string k_forged = "Plan: 0 to create, 0 to update, 0 to migrate, 0 to snapshot, 0 "
                             "to destroy.";

struct HostileRow {
  std::string vhostname;
  std::string name;
  std::string vdbname;
  std::string vdatapath;
  std::string vdbhost;
};

std::vector<HostileRow> hostile_rows() {
  return {
      {"https://evil.example.org'; DROP TABLE canary; --", "x'); DROP TABLE canary; --",
       "x`; DROP DATABASE mysql; --", "/var/moodledata/../../etc", "db'; --"},
      {"https://forge.example.org\n" + k_forged + "\nError: forged", "line1\nError: forged",
       "vmdl_x\nError: forged", "/tmp/x\n" + k_forged, "db\r\nPlan: forged"},
      {"https://back.example.org\\", "back\\slash\\'", "vmdl\\", "C:\\moodledata\\..\\", "h\\"},
      {"https://quote.example.org\"", "\"double\" 'single' `back`", "vmdl_\"q\"",
       "/var/moodledata/\"q\"", "\"h\""},
      {"https://\xF0\x9F\x98\x80.example.org", "emoji \xF0\x9F\x98\x80\xF0\x90\x8D\x88",
       "vmdl_\xF0\x9F\x98\x80", "/var/\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},
      {"https://ansi.example.org\x1b[2J\x1b[31m", "\x1b]0;title\x07", "vmdl\x1b[0m", "/tmp/\x1b[2J",
       "\x1b[1A"},
      {"https://md.example.org/<img src=x onerror=alert(1)>|`|", "**bold** | [link](javascript:x)",
       "vmdl|x", "/var/<script>", "h|x"},
      {"https://fmt.example.org/{}{0}%s%n", "{:>99999}%99999999d", "{}", "%s", "{0}"},
      {std::string("https://nul.example.org\0x", 25), std::string("nul\0name", 8),
       std::string("vmdl\0x", 6), std::string("/tmp/\0x", 7), "h"},
  };
}

// Every registry row as text, for before/after comparisons.
std::vector<std::string> registry(FleetWorkspace& ws) {
  return ws.rows("SELECT * FROM `" + ws.master_db() + "`.`mdl_local_vmoodle` ORDER BY id");
}

void expect_not_forged(const std::string& what, const std::string& output) {
  std::size_t start = 0;
  while (start <= output.size()) {
    auto end = output.find('\n', start);
    if (end == std::string::npos) {
      end = output.size();
    }
    const std::string line = output.substr(start, end - start);
    EXPECT_NE(line.rfind(k_forged, 0), 0u) << what << ": a registry value forged a line";
    EXPECT_NE(line.rfind("Error: forged", 0), 0u) << what << ": a registry value forged a line";
    EXPECT_NE(line.rfind("Plan: forged", 0), 0u) << what << ": a registry value forged a line";
    start = end + 1;
  }
  EXPECT_EQ(output.find('\x1b'), std::string::npos) << what << ": raw escape sequence";
  EXPECT_EQ(output.find('\r'), std::string::npos) << what << ": raw carriage return";
  EXPECT_EQ(output.find('\0'), std::string::npos) << what << ": raw NUL";
}

void expect_no_sql_error(const std::string& what, const RunResult& run) {
  for (const char* needle : {"SQL syntax", "You have an error", "1064", "Unknown column"}) {
    EXPECT_EQ(run.err.find(needle), std::string::npos) << what << ":\n" << run.err;
    EXPECT_EQ(run.out.find(needle), std::string::npos) << what << ":\n" << run.out;
  }
}

TEST(HostileRegistry, RowsAreDataInPlanDriftFormatsAndApply) {
  FleetWorkspace ws("hostreg");
  const auto managed = [&ws](const std::string& name) {
    return ws.write_manifest(ws.manifest_head() +
                             "hosts:\n"
                             "  - vhostname: https://managed.example.org\n"
                             "    shortname: managed\n"
                             "    name: \"" +
                             name + "\"\n");
  };
  const auto first = managed("Managed");
  auto created = ws.cli({"apply", "-f", first, "--auto-approve"});
  ASSERT_EQ(created.exit_code, 0) << created.out << created.err;

  auto conn = ws.sandbox().connect(ws.master_db());
  ASSERT_TRUE(conn->execute("CREATE TABLE canary (id INT PRIMARY KEY)"));
  ASSERT_TRUE(conn->execute("INSERT INTO canary VALUES (42)"));
  const auto rows = hostile_rows();
  for (const auto& row : rows) {
    auto inserted = conn->execute(
        "INSERT INTO mdl_local_vmoodle (vhostname, name, shortname, vdbname, vdatapath, vdbhost, "
        "vdblogin, vdbpass) VALUES (" +
        sql::literal(row.vhostname) + ", " + sql::literal(row.name) + ", 'hostile', " +
        sql::literal(row.vdbname) + ", " + sql::literal(row.vdatapath) + ", " +
        sql::literal(row.vdbhost.substr(0, 80)) + ", 'u', 'p')");
    ASSERT_TRUE(inserted) << inserted.error().render();
  }
  const auto before = registry(ws);

  for (const auto& args : std::vector<std::vector<std::string>>{
           {"plan", "-f", first},
           {"plan", "-f", first, "--format", "markdown"},
           {"drift", "-f", first},
           {"drift", "-f", first, "--format", "json"},
       }) {
    const std::string what = args[0] + (args.size() > 3 ? " " + args[4] : "");
    auto run = ws.cli(args);
    EXPECT_TRUE(run.exit_code == 0 || run.exit_code == 2) << what << "\n" << run.out << run.err;
    expect_no_sql_error(what, run);
    expect_not_forged(what + " stdout", run.out);
    expect_not_forged(what + " stderr", run.err);
  }

  // The text plan lists every unmanaged row, its values quoted and escaped.
  auto text_run = ws.cli({"plan", "-f", first});
  for (const auto& row : rows) {
    EXPECT_NE(text_run.out.find("? " + render::quoted(row.vhostname)), std::string::npos)
        << "unmanaged row not listed escaped: " << render::quoted(row.vhostname) << "\n"
        << text_run.out;
  }

  // JSON carries every unmanaged value exactly, whatever it holds.
  auto json_run = ws.cli({"plan", "-f", first, "--format", "json"});
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  const auto doc = nlohmann::json::parse(json_run.out, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << json_run.out;
  std::vector<std::string> seen;
  for (const auto& host : doc.value("unmanaged", nlohmann::json::array())) {
    seen.push_back(host.value("vhostname", ""));
  }
  for (const auto& row : rows) {
    EXPECT_NE(std::find(seen.begin(), seen.end(), row.vhostname), seen.end())
        << "unmanaged row missing from the JSON plan: " << nlohmann::json(row.vhostname).dump();
  }

  // An apply that updates the managed host leaves every hostile row and the canary alone.
  const auto second = managed("Managed again");
  const std::string plan_file = ws.dir() + "/update.plan.json";
  auto planned = ws.cli({"plan", "-f", second, "--out", plan_file});
  ASSERT_EQ(planned.exit_code, 0) << planned.out << planned.err;
  expect_not_forged("plan --out", planned.out + planned.err);
  auto applied = ws.cli({"apply", plan_file});
  EXPECT_EQ(applied.exit_code, 0) << applied.out << applied.err;
  expect_no_sql_error("apply", applied);
  expect_not_forged("apply", applied.out + applied.err);

  EXPECT_EQ(ws.rows("SELECT id FROM `" + ws.master_db() + "`.canary"),
            std::vector<std::string>{"42"});
  EXPECT_EQ(ws.rows("SELECT name FROM `" + ws.master_db() +
                    "`.mdl_local_vmoodle WHERE vhostname = 'https://managed.example.org'"),
            std::vector<std::string>{"Managed again"});
  auto after = registry(ws);
  // Only the managed row (the first) changed.
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 1; i < after.size(); ++i) {
    EXPECT_EQ(after[i], before[i]) << "hostile row " << i << " was modified";
  }
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'mysql'"),
            std::vector<std::string>{"1"});
}

} // namespace
} // namespace vmoodle::testing
