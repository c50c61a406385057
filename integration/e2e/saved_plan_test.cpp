// plan --out / apply FILE / show / drift, against the real server.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "integration/e2e/fleet_workspace.hpp"

namespace vmoodle::testing {
namespace {

// Every error valijson finds when checking `doc` against schemas/plan.schema.json.
std::vector<std::string> plan_schema_errors(const nlohmann::json& doc) {
  std::ifstream in(std::string(VMOODLE_SOURCE_DIR) + "/schemas/plan.schema.json");
  const auto schema_doc = nlohmann::json::parse(in);
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_doc);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(doc);
  validator.validate(schema, target, &results);
  std::vector<std::string> errors;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    errors.push_back(error.description);
  }
  return errors;
}

std::string hosts(const std::vector<std::pair<std::string, std::string>>& list) {
  std::string out = "hosts:\n";
  for (const auto& [shortname, name] : list) {
    out += "  - vhostname: https://" + shortname + ".example.org\n    shortname: " + shortname +
           "\n    name: \"" + name + "\"\n";
  }
  return out;
}

TEST(SavedPlan, AppliesCleanlyThenRefusesWhenStaleAndSkipsWhenAsked) {
  FleetWorkspace ws("e2esaved");
  const auto first = ws.write_manifest(ws.manifest_head() + hosts({{"a", "A"}, {"b", "B"}}));
  const std::string plan_file = ws.dir() + "/create.plan.json";

  auto plan = ws.cli({"plan", "-f", first, "--out", plan_file});
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  auto shown = ws.cli({"show", plan_file});
  EXPECT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_NE(shown.out.find("Plan: 2 to create"), std::string::npos) << shown.out;
  // The file carries no secret.
  std::ifstream in(plan_file);
  const std::string saved((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(saved.find(FleetWorkspace::k_host_password), std::string::npos);
  EXPECT_EQ(saved.find(ws.sandbox().password()), std::string::npos);
  EXPECT_EQ(plan_schema_errors(nlohmann::json::parse(saved)), std::vector<std::string>{});

  auto apply = ws.cli({"apply", plan_file});
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.master_db() + "`.`mdl_local_vmoodle`"),
            (std::vector<std::string>{"2"}));

  // Drift: none right after the apply.
  auto quiet = ws.cli({"drift", "-f", first});
  EXPECT_EQ(quiet.exit_code, 0) << quiet.out << quiet.err;

  // Rename both hosts in the manifest; save that plan.
  const auto second = ws.write_manifest(
      ws.manifest_head() + hosts({{"a", "A renamed"}, {"b", "B renamed"}}), "second.yaml");
  const std::string update_file = ws.dir() + "/update.plan.json";
  ASSERT_EQ(ws.cli({"plan", "-f", second, "--out", update_file}).exit_code, 0);

  // Someone edits host a's registry row by hand.
  auto conn = ws.sandbox().connect();
  ASSERT_TRUE(conn->execute("UPDATE `" + ws.master_db() +
                            "`.`mdl_local_vmoodle` SET description = 'hand edit' WHERE "
                            "vhostname = 'https://a.example.org'"));

  auto drift = ws.cli({"drift", "-f", first});
  EXPECT_EQ(drift.exit_code, 2) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("\"https://a.example.org\" registry: description"), std::string::npos)
      << drift.out;

  auto refused = ws.cli({"apply", update_file});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("the saved plan is stale"), std::string::npos) << refused.err;
  EXPECT_NE(
      refused.err.find("https://a.example.org: live state moved since the plan: registry row"),
      std::string::npos)
      << refused.err;
  EXPECT_EQ(refused.err.find("https://b.example.org:"), std::string::npos) << refused.err;
  EXPECT_EQ(
      ws.rows("SELECT name FROM `" + ws.master_db() + "`.`mdl_local_vmoodle` ORDER BY shortname"),
      (std::vector<std::string>{"A", "B"}));

  auto skipped = ws.cli({"apply", update_file, "--skip-stale"});
  EXPECT_EQ(skipped.exit_code, 0) << skipped.out << skipped.err;
  EXPECT_EQ(
      ws.rows("SELECT name FROM `" + ws.master_db() + "`.`mdl_local_vmoodle` ORDER BY shortname"),
      (std::vector<std::string>{"A", "B renamed"}));
}

TEST(SavedPlan, AChangedManifestMakesThePlanStale) {
  FleetWorkspace ws("e2esaved2");
  const auto manifest = ws.write_manifest(ws.manifest_head() + hosts({{"c", "C"}}));
  const std::string plan_file = ws.dir() + "/p.json";
  ASSERT_EQ(ws.cli({"plan", "-f", manifest, "--out", plan_file}).exit_code, 0);
  ws.write_manifest(ws.manifest_head() + hosts({{"c", "C"}, {"d", "D"}}));
  auto apply = ws.cli({"apply", plan_file});
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE(apply.err.find("the manifest changed since this plan was made"), std::string::npos)
      << apply.err;
}

TEST(SavedPlan, GarbageIsNotAPlan) {
  FleetWorkspace ws("e2esaved3");
  const auto file = ws.write_manifest("{\"format_version\": 99}", "bad.json");
  auto apply = ws.cli({"apply", file});
  EXPECT_EQ(apply.exit_code, 1);
  EXPECT_NE(apply.err.find("plan file format 99 is not supported"), std::string::npos) << apply.err;
}

} // namespace
} // namespace vmoodle::testing
